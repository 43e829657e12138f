package org.carbonledger.ledger;

/**
 * EntryTooLargeException is the refusal to encode or decode an entry over {@link LedgerEntry#SIZE_MAX_BYTES}.
 * Its own type lets the writer map it to a reject code for the command without inspecting the code enum; the
 * C2SP entry bundle format prefixes each entry with a uint16 length, which is where the limit comes from.
 */
public final class EntryTooLargeException extends LedgerException {

  private final long sizeBytes;

  public EntryTooLargeException(long sizeBytes) {
    super(Code.ENTRY_TOO_LARGE,
        "entry is " + sizeBytes + " bytes, more than the limit of " + LedgerEntry.SIZE_MAX_BYTES);
    this.sizeBytes = sizeBytes;
  }

  /** The size of the refused entry, in bytes. */
  public long sizeBytes() {
    return sizeBytes;
  }
}
