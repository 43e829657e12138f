package org.carbonledger.ledger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * TreeMath is the arithmetic of the RFC 6962 / RFC 9162 Merkle tree: which complete subtrees make up a range
 * of leaves, and which ranges make up a proof. It does no hashing, so a store can plan every read of a proof,
 * fetch the needed {@link NodeId}s in one query, and hand them to {@link SubtreeHashes}.
 *
 * <p>Rules at the edges, chosen once for the whole code base:
 * <ul>
 *   <li>The tree of size 0 has root SHA-256("") and no leaves, so no inclusion proof exists in it.</li>
 *   <li>An inclusion proof needs {@code 0 <= index < size}; anything else is PROOF_INDEX_OUT_OF_RANGE.</li>
 *   <li>A consistency proof needs {@code 0 <= oldSize <= newSize}; anything else is
 *       PROOF_SIZES_OUT_OF_ORDER.</li>
 *   <li>From oldSize == newSize the proof is empty (RFC 6962 SUBPROOF(m, D[m], true)).</li>
 *   <li>From oldSize == 0 the proof is also empty: the empty tree is a prefix of every tree, so there is
 *       nothing to prove. RFC 9162 defines proofs only for 0 &lt; m &lt; n and leaves this case to us; an
 *       empty proof lets a client that saw an empty checkpoint move on without a special case, and
 *       {@link ProofVerifier#verifyConsistency} accepts it only if the old root is SHA-256("").</li>
 * </ul>
 */
public final class TreeMath {

  private TreeMath() {}

  /**
   * The maximal aligned complete subtrees that exactly cover leaves {@code [begin, end)}, left to right. For
   * {@code [0, size)} these are the subtrees whose hashes a {@link CompactRange} keeps.
   */
  public static List<NodeId> completeSubtrees(long begin, long end) {
    Check.argument(begin >= 0 && begin <= end, "bad leaf range [" + begin + ", " + end + ")");
    List<NodeId> out = new ArrayList<>();
    while (begin < end) {
      int level = 63 - Long.numberOfLeadingZeros(end - begin); // largest subtree that fits
      if (begin != 0) {
        level = Math.min(level, Long.numberOfTrailingZeros(begin)); // largest subtree aligned at begin
      }
      out.add(new NodeId(level, begin >>> level));
      begin += 1L << level;
    }
    return out;
  }

  /**
   * The leaf ranges whose subtree hashes form the RFC 6962 PATH(index, D[size]) (section 2.1.1), ordered
   * from the leaf's sibling up to the root's child.
   */
  public static List<LeafRange> inclusionProofRanges(long index, long size) {
    if (index < 0 || index >= size) {
      throw new LedgerException(LedgerException.Code.PROOF_INDEX_OUT_OF_RANGE,
          "need 0 <= index < size, got index " + index + " and size " + size);
    }
    List<LeafRange> topDown = new ArrayList<>();
    long lo = 0;
    long hi = size;
    while (hi - lo > 1) {
      long k = splitPoint(hi - lo);
      if (index < lo + k) {
        topDown.add(new LeafRange(lo + k, hi));
        hi = lo + k;
      } else {
        topDown.add(new LeafRange(lo, lo + k));
        lo += k;
      }
    }
    Collections.reverse(topDown);
    return topDown;
  }

  /**
   * The leaf ranges whose subtree hashes form the RFC 6962 PROOF(oldSize, D[newSize]) (section 2.1.2), in
   * the RFC's order. Empty when oldSize is 0 or equals newSize (see the class comment).
   */
  public static List<LeafRange> consistencyProofRanges(long oldSize, long newSize) {
    if (oldSize < 0 || oldSize > newSize) {
      throw new LedgerException(LedgerException.Code.PROOF_SIZES_OUT_OF_ORDER,
          "need 0 <= oldSize <= newSize, got " + oldSize + " and " + newSize);
    }
    if (oldSize == 0 || oldSize == newSize) {
      return List.of();
    }
    // SUBPROOF(m, D[lo:hi], b), unrolled: descend until the old tree's right edge is a subtree edge.
    List<LeafRange> topDown = new ArrayList<>();
    long lo = 0;
    long hi = newSize;
    boolean oldTreeIsWholeSubtree = true;
    while (oldSize != hi) {
      long k = splitPoint(hi - lo);
      if (oldSize - lo <= k) {
        topDown.add(new LeafRange(lo + k, hi));
        hi = lo + k;
      } else {
        topDown.add(new LeafRange(lo, lo + k));
        lo += k;
        oldTreeIsWholeSubtree = false;
      }
    }
    List<LeafRange> out = new ArrayList<>(topDown.size() + 1);
    if (!oldTreeIsWholeSubtree) {
      // The verifier knows MTH(D[0:oldSize]) itself only when [lo, hi) is that whole old tree.
      out.add(new LeafRange(lo, hi));
    }
    Collections.reverse(topDown);
    out.addAll(topDown);
    return out;
  }

  /** Every node needed to hash the given ranges, without repeats, in first-use order: fetch these at once. */
  public static Set<NodeId> nodesFor(Collection<LeafRange> ranges) {
    Set<NodeId> out = new LinkedHashSet<>();
    for (LeafRange range : ranges) {
      out.addAll(completeSubtrees(range.begin(), range.end()));
    }
    return out;
  }

  /** The largest power of two strictly less than n, for n >= 2: where RFC 6962 splits a tree of n leaves. */
  static long splitPoint(long n) {
    Check.argument(n >= 2, "cannot split " + n + " leaves");
    return Long.highestOneBit(n - 1);
  }
}
