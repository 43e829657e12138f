package org.carbonledger.ledger;

/**
 * LeafRange is a non-empty range of leaves {@code [begin, end)}. In a proof plan each range is one RFC 6962
 * subtree whose hash MTH(D[begin:end]) is one element of the proof.
 */
public record LeafRange(long begin, long end) {

  public LeafRange {
    Check.argument(begin >= 0 && begin < end, "leaf range [" + begin + ", " + end + ") is empty or negative");
  }

  /** Number of leaves in the range. */
  public long size() {
    return end - begin;
  }
}
