package org.carbonledger.ledger;

/**
 * ChainCheck verifies, entry by entry, that a log is one unbroken hash chain: each entry decodes, its seq is
 * the next one, and its prev is the leaf hash of the entry before (64 zeros for entry 0). Feed it entries in
 * order; the first failure is thrown as a {@link ChainBreakException} and the check stays failed, so a caller
 * cannot skip a bad entry by accident.
 *
 * <p>It is a plain mutable object for one thread, like a running hash.
 */
public final class ChainCheck {

  private long nextSeq;
  private byte[] lastLeafHash;
  private ChainBreakException failure;

  private ChainCheck(long nextSeq, byte[] lastLeafHash) {
    this.nextSeq = nextSeq;
    this.lastLeafHash = lastLeafHash;
  }

  /** A check that expects entry 0 next. */
  public static ChainCheck fromStart() {
    return new ChainCheck(0, null);
  }

  /**
   * A check that continues after an entry the caller already trusts, e.g. the last one it verified before.
   *
   * @param seq      seq of the trusted entry
   * @param leafHash its leaf hash, 32 bytes
   */
  public static ChainCheck after(long seq, byte[] leafHash) {
    Check.argument(seq >= 0, "seq must be >= 0");
    Check.argument(leafHash.length == Hashes.SIZE_BYTES, "leaf hash must be 32 bytes");
    return new ChainCheck(Math.addExact(seq, 1), leafHash.clone());
  }

  /**
   * Checks the next entry and returns it decoded.
   *
   * @throws ChainBreakException at the first entry that does not decode or does not follow on
   * @throws IllegalStateException if an earlier entry already broke the chain
   */
  public LedgerEntry append(byte[] entryBytes) {
    if (failure != null) {
      throw new IllegalStateException("chain already broken at seq " + failure.seq(), failure);
    }
    try {
      LedgerEntry entry = decodeAt(entryBytes);
      checkLinks(entry);
      lastLeafHash = Hashes.leafHash(entryBytes);
      nextSeq++;
      return entry;
    } catch (ChainBreakException e) {
      failure = e;
      throw e;
    }
  }

  /** The seq the next entry must have. */
  public long nextSeq() {
    return nextSeq;
  }

  /** Leaf hash of the last accepted entry, or null if none was accepted yet and the check started at 0. */
  public byte[] lastLeafHash() {
    return lastLeafHash == null ? null : lastLeafHash.clone();
  }

  private LedgerEntry decodeAt(byte[] entryBytes) {
    try {
      return EntryCodec.decode(entryBytes);
    } catch (LedgerException e) {
      throw new ChainBreakException(nextSeq, e.code(), e.detail());
    }
  }

  private void checkLinks(LedgerEntry entry) {
    if (entry.seq() != nextSeq) {
      throw new ChainBreakException(nextSeq, LedgerException.Code.CHAIN_SEQ_NOT_NEXT,
          "entry has seq " + entry.seq());
    }
    String expectedPrev = lastLeafHash == null ? LedgerEntry.ZERO_HASH_HEX : Hex.encode(lastLeafHash);
    if (!entry.prev().equals(expectedPrev)) {
      throw new ChainBreakException(nextSeq, LedgerException.Code.CHAIN_PREV_MISMATCH,
          "prev " + entry.prev() + " is not " + expectedPrev);
    }
  }
}
