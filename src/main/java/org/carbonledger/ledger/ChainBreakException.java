package org.carbonledger.ledger;

/**
 * ChainBreakException reports the first place where a sequence of entries stops being a valid hash chain:
 * the position ({@link #seq()}, the seq that was expected there) and, as its code, why. An undecodable entry
 * carries the decoder's code; a decodable one that does not follow on carries CHAIN_SEQ_NOT_NEXT or
 * CHAIN_PREV_MISMATCH.
 */
public final class ChainBreakException extends LedgerException {

  private final long seq;

  public ChainBreakException(long seq, Code code, String detail) {
    super(code, "chain breaks at seq " + seq + ": " + detail);
    this.seq = seq;
  }

  /** The position of the first bad entry: the seq it should have had. */
  public long seq() {
    return seq;
  }
}
