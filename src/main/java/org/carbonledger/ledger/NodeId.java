package org.carbonledger.ledger;

/**
 * NodeId names one complete subtree of the log's Merkle tree: the node at {@code level} (0 for leaves) and
 * {@code index} within that level, covering leaves {@code [index * 2^level, (index + 1) * 2^level)}. A complete
 * subtree's hash never changes once its last leaf exists, which is why the store can keep it forever.
 *
 * <p>Levels stop at 62: a tree with at most 2^63-1 leaves (a {@code long} size) has no complete subtree of
 * 2^63 leaves.
 */
public record NodeId(int level, long index) {

  /** Highest level a complete subtree can have in a tree whose size is a {@code long}. */
  public static final int LEVEL_MAX = 62;

  public NodeId {
    Check.argument(level >= 0 && level <= LEVEL_MAX, "level " + level + " is outside 0.." + LEVEL_MAX);
    Check.argument(index >= 0 && index < (Long.MAX_VALUE >> level),
        "index " + index + " at level " + level + " ends beyond 2^63-1 leaves");
  }

  /** First leaf covered (inclusive). */
  public long leafBegin() {
    return index << level;
  }

  /** Leaf after the last one covered (exclusive). */
  public long leafEnd() {
    return (index + 1) << level;
  }
}
