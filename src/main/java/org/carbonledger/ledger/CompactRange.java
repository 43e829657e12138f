package org.carbonledger.ledger;

import java.util.ArrayList;
import java.util.List;

/**
 * CompactRange is the right edge of the tree: the hashes of {@link TreeMath#completeSubtrees}(0, size), one
 * per set bit of size, left to right. It is all the writer needs to append leaves and compute the root
 * (O(log n) memory), and {@link #append} reports every subtree that became complete so the store can insert
 * it in the same transaction as the entry. At startup the store rebuilds it with {@link #restore}.
 *
 * <p>Mutable, for one thread (the writer).
 */
public final class CompactRange {

  private long size;
  private final List<byte[]> hashes;

  private CompactRange(long size, List<byte[]> hashes) {
    this.size = size;
    this.hashes = hashes;
  }

  /** The range of the empty tree. */
  public static CompactRange empty() {
    return new CompactRange(0, new ArrayList<>());
  }

  /**
   * Rebuilds the range of a tree of the given size from the hashes of completeSubtrees(0, size), in that
   * order (what the store loads at startup).
   */
  public static CompactRange restore(long size, List<byte[]> hashes) {
    Check.argument(size >= 0, "size must be >= 0");
    Check.argument(hashes.size() == Long.bitCount(size),
        "a tree of size " + size + " has " + Long.bitCount(size) + " edge subtrees, got " + hashes.size());
    List<byte[]> copy = new ArrayList<>(hashes.size());
    for (byte[] hash : hashes) {
      Check.argument(hash.length == Hashes.SIZE_BYTES, "subtree hashes must be 32 bytes");
      copy.add(hash.clone());
    }
    return new CompactRange(size, copy);
  }

  /** Number of leaves appended so far. */
  public long size() {
    return size;
  }

  /** The subtrees this range holds, left to right: completeSubtrees(0, size). */
  public List<NodeId> nodeIds() {
    return TreeMath.completeSubtrees(0, size);
  }

  /** Copies of the held hashes, in the order of {@link #nodeIds()}. */
  public List<byte[]> hashes() {
    List<byte[]> out = new ArrayList<>(hashes.size());
    for (byte[] hash : hashes) {
      out.add(hash.clone());
    }
    return out;
  }

  /**
   * Appends one leaf and returns the nodes that became complete: the leaf at level 0, then each new parent
   * up to the largest, in that order.
   */
  public List<TreeNode> append(byte[] leafHash) {
    Check.argument(leafHash.length == Hashes.SIZE_BYTES, "leaf hash must be 32 bytes");
    long newSize = Math.addExact(size, 1);
    List<TreeNode> completed = new ArrayList<>();
    byte[] hash = leafHash.clone();
    completed.add(new TreeNode(new NodeId(0, size), hash));
    // Each trailing zero bit of the new size is one pair of equal subtrees that now merge.
    int merges = Long.numberOfTrailingZeros(newSize);
    for (int level = 1; level <= merges; level++) {
      byte[] left = hashes.remove(hashes.size() - 1);
      hash = Hashes.nodeHash(left, hash);
      completed.add(new TreeNode(new NodeId(level, (newSize >>> level) - 1), hash));
    }
    hashes.add(hash);
    size = newSize;
    Check.state(hashes.size() == Long.bitCount(size), "compact range lost track of its subtrees");
    return completed;
  }

  /** The root hash at the current size: SHA-256("") when empty. */
  public byte[] root() {
    if (hashes.isEmpty()) {
      return Hashes.emptyRoot();
    }
    byte[] hash = hashes.get(hashes.size() - 1);
    for (int i = hashes.size() - 2; i >= 0; i--) {
      hash = Hashes.nodeHash(hashes.get(i), hash);
    }
    return hash.clone();
  }
}
