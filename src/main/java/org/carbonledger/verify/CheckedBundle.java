package org.carbonledger.verify;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.carbonledger.ledger.BundleId;
import org.carbonledger.ledger.Check;
import org.carbonledger.ledger.EntryBundle;
import org.carbonledger.ledger.Hashes;
import org.carbonledger.ledger.LedgerException;

/**
 * CheckedBundle is an entry bundle with the work that does not depend on the bundles before it already done:
 * its framing (exactly id.width() length-prefixed entries), every entry's leaf hash, and which entries
 * {@link EntryScanner} accepts at their seq with the leaf hash of the entry before as prev. The first entry's
 * prev is the last leaf of the previous bundle, so for it the scanner accepts any prev and {@link #accepted}
 * compares it once that leaf is known.
 *
 * <p>The fetch threads check each bundle as it arrives, so that this work runs in parallel and overlaps the
 * downloads, while {@link EntryChecker} takes the bundles strictly in log order; what was not accepted here it
 * decides itself, so the first failure reported does not depend on timing.
 */
final class CheckedBundle {

  private static final int LENGTH_BYTES = 2;
  /** Characters of an entry's time, {@code yyyy-MM-ddTHH:mm:ss.SSSSSSZ}. */
  static final int TIME_LENGTH = 27;
  /** What lies between the time's closing quote and the type's opening quote. */
  private static final String TYPE_MEMBER_BEFORE_VALUE = ",\"type\":";
  private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private final BundleId id;
  private final byte[] body;
  /** Where each entry's bytes start in the body, after its length prefix; null if the framing is wrong. */
  private final int[] starts;
  /** The leaf hashes of the entries, concatenated. */
  private final byte[] leafHashes;
  private final boolean[] accepted;
  /** Where the first entry's prev lies in the body, when the scanner accepted that entry. */
  private final int firstPrevAt;

  private CheckedBundle(BundleId id, byte[] body, int[] starts, byte[] leafHashes, boolean[] accepted,
      int firstPrevAt) {
    this.id = id;
    this.body = body;
    this.starts = starts;
    this.leafHashes = leafHashes;
    this.accepted = accepted;
    this.firstPrevAt = firstPrevAt;
  }

  /** Checks the body of bundle id; never fails on what the log served, which is judged when it is taken. */
  static CheckedBundle check(BundleId id, byte[] body) {
    int[] starts = starts(id, body);
    if (starts == null) {
      return new CheckedBundle(id, body, null, null, null, -1);
    }
    TreeHasher hasher = new TreeHasher();
    EntryScanner scanner = new EntryScanner();
    byte[] leafHashes = new byte[id.width() * Hashes.SIZE_BYTES];
    boolean[] accepted = new boolean[id.width()];
    byte[] prevHex = new byte[EntryScanner.PREV_LENGTH];
    int firstPrevAt = -1;
    for (int i = 0; i < id.width(); i++) {
      int start = starts[i];
      int length = length(body, start);
      long seq = id.firstSeq() + i;
      // Entry 0 of the log is checked in full, as it names the log's origin and key.
      accepted[i] = seq > 0 && scanner.accepts(body, start, length, seq, i == 0 ? null : prevHex);
      if (i == 0 && accepted[i]) {
        firstPrevAt = scanner.prevAt();
      }
      System.arraycopy(hasher.leafHash(body, start, length), 0, leafHashes, i * Hashes.SIZE_BYTES, Hashes.SIZE_BYTES);
      hex(leafHashes, i * Hashes.SIZE_BYTES, prevHex);
    }
    return new CheckedBundle(id, body, starts, leafHashes, accepted, firstPrevAt);
  }

  BundleId id() {
    return id;
  }

  /** Throws BUNDLE_MALFORMED unless the bundle is exactly id.width() length-prefixed entries. */
  void checkFraming() throws VerificationException {
    if (starts != null) {
      return;
    }
    int count;
    try {
      count = EntryBundle.decode(body).size();
    } catch (LedgerException e) {
      throw new VerificationException(VerificationException.Code.BUNDLE_MALFORMED,
          Names.bundle(id) + ": " + e.detail(), e);
    }
    Check.state(count != id.width(), Names.bundle(id) + " was refused, yet it holds " + count + " entries");
    throw new VerificationException(VerificationException.Code.BUNDLE_MALFORMED,
        Names.bundle(id) + ": holds " + count + " entries, expected " + id.width());
  }

  /**
   * True if the scanner accepted entry i; for the first entry, also that its prev is the hex of
   * previousLeafHash, the last leaf of the bundle before.
   */
  boolean accepted(int i, byte[] previousLeafHash) {
    if (!accepted[i]) {
      return false;
    }
    if (i > 0) {
      return true;
    }
    byte[] expected = new byte[EntryScanner.PREV_LENGTH];
    hex(previousLeafHash, 0, expected);
    return Arrays.equals(body, firstPrevAt, firstPrevAt + expected.length, expected, 0, expected.length);
  }

  /** A copy of the bytes of entry i. */
  byte[] entry(int i) {
    return Arrays.copyOfRange(body, starts[i], starts[i] + length(body, starts[i]));
  }

  /**
   * A copy of the 27 ASCII characters of entry i's time, for an entry already accepted: a canonical entry ends in
   * {@code "time":"<time>","type":"<type>"}} and a type holds no quote, so the time is found from the end.
   */
  byte[] time(int i) {
    int typeOpeningQuote = starts[i] + length(body, starts[i]) - 3;
    while (body[typeOpeningQuote] != '"') {
      typeOpeningQuote--;
    }
    int timeEnd = typeOpeningQuote - TYPE_MEMBER_BEFORE_VALUE.length() - 1;
    return Arrays.copyOfRange(body, timeEnd - TIME_LENGTH, timeEnd);
  }

  /** A copy of the leaf hash of entry i. */
  byte[] leafHash(int i) {
    return Arrays.copyOfRange(leafHashes, i * Hashes.SIZE_BYTES, (i + 1) * Hashes.SIZE_BYTES);
  }

  /** Where each entry starts, or null unless the body is exactly id.width() length-prefixed entries. */
  private static int[] starts(BundleId id, byte[] body) {
    int[] starts = new int[id.width()];
    int at = 0;
    for (int i = 0; i < starts.length; i++) {
      if (body.length - at < LENGTH_BYTES) {
        return null;
      }
      starts[i] = at + LENGTH_BYTES;
      at = starts[i] + length(body, starts[i]);
    }
    return at == body.length ? starts : null;
  }

  /** The length of the entry starting at start, from the big-endian uint16 before it. */
  private static int length(byte[] body, int start) {
    return (body[start - LENGTH_BYTES] & 0xff) << 8 | body[start - LENGTH_BYTES + 1] & 0xff;
  }

  /** Writes the lowercase hex of the 32-byte hash at hashes[from] into out, as ASCII. */
  private static void hex(byte[] hashes, int from, byte[] out) {
    for (int i = 0; i < Hashes.SIZE_BYTES; i++) {
      out[2 * i] = HEX_DIGITS[(hashes[from + i] >> 4) & 0xf];
      out[2 * i + 1] = HEX_DIGITS[hashes[from + i] & 0xf];
    }
  }
}
