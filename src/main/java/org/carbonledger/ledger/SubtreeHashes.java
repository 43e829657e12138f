package org.carbonledger.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * SubtreeHashes turns stored complete-subtree hashes into RFC 6962 hashes of ranges: a root, or each element
 * of a proof planned by {@link TreeMath}. The caller supplies the hashes as a lookup, typically
 * {@code fetched::get} over a map filled by one query for {@link TreeMath#nodesFor}.
 */
public final class SubtreeHashes {

  private SubtreeHashes() {}

  /** The root of the tree of the given size: SHA-256("") for size 0, else MTH(D[0:size]). */
  public static byte[] root(long size, Function<NodeId, byte[]> nodes) {
    Check.argument(size >= 0, "size must be >= 0");
    return size == 0 ? Hashes.emptyRoot() : rangeHash(new LeafRange(0, size), nodes);
  }

  /** The hashes of a planned proof, in the plan's order. */
  public static List<byte[]> proof(List<LeafRange> ranges, Function<NodeId, byte[]> nodes) {
    List<byte[]> out = new ArrayList<>(ranges.size());
    for (LeafRange range : ranges) {
      out.add(rangeHash(range, nodes));
    }
    return out;
  }

  /**
   * MTH(D[begin:end]) for a range that is a subtree of the RFC 6962 tree (begin is a multiple of the
   * smallest power of two >= its size, as every range in a root or proof is). The range's complete subtrees
   * shrink from left to right, which is exactly how RFC 6962 splits it, so folding them from the right
   * rebuilds MTH.
   */
  public static byte[] rangeHash(LeafRange range, Function<NodeId, byte[]> nodes) {
    Check.argument(isRfc6962Subtree(range), "range " + range + " is not an RFC 6962 subtree");
    List<NodeId> ids = TreeMath.completeSubtrees(range.begin(), range.end());
    byte[] hash = lookup(nodes, ids.get(ids.size() - 1));
    for (int i = ids.size() - 2; i >= 0; i--) {
      hash = Hashes.nodeHash(lookup(nodes, ids.get(i)), hash);
    }
    return hash;
  }

  static boolean isRfc6962Subtree(LeafRange range) {
    if (range.begin() == 0) {
      return true;
    }
    long size = range.size();
    int ceilLog2 = 64 - Long.numberOfLeadingZeros(size - 1);
    return ceilLog2 < 63 && range.begin() % (1L << ceilLog2) == 0;
  }

  private static byte[] lookup(Function<NodeId, byte[]> nodes, NodeId id) {
    byte[] hash = nodes.apply(id);
    Check.argument(hash != null, "node " + id + " was not supplied; fetch TreeMath.nodesFor(...) first");
    Check.argument(hash.length == Hashes.SIZE_BYTES, "node " + id + " hash is not 32 bytes");
    return hash;
  }
}
