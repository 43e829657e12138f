package org.carbonledger.ledger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * EntryBundle is the body of a C2SP tlog-tiles entry bundle: each entry's bytes prefixed by its length as a
 * big-endian uint16, concatenated. That length prefix is why {@link LedgerEntry#SIZE_MAX_BYTES} is 65,535.
 */
public final class EntryBundle {

  private static final int LENGTH_BYTES = 2;

  private EntryBundle() {}

  /** Encodes 1..256 entries of at most 65,535 bytes each. */
  public static byte[] encode(List<byte[]> entries) {
    Check.argument(!entries.isEmpty() && entries.size() <= TileId.FULL_WIDTH, "a bundle holds 1..256 entries");
    int total = 0;
    for (byte[] entry : entries) {
      Check.argument(entry.length <= LedgerEntry.SIZE_MAX_BYTES, "entry longer than 65,535 bytes");
      total += LENGTH_BYTES + entry.length;
    }
    byte[] out = new byte[total];
    int at = 0;
    for (byte[] entry : entries) {
      out[at] = (byte) (entry.length >>> 8);
      out[at + 1] = (byte) entry.length;
      System.arraycopy(entry, 0, out, at + LENGTH_BYTES, entry.length);
      at += LENGTH_BYTES + entry.length;
    }
    return out;
  }

  /** Splits a bundle body; throws BUNDLE_MALFORMED on a truncated entry or more than 256 entries. */
  public static List<byte[]> decode(byte[] body) {
    List<byte[]> out = new ArrayList<>();
    int at = 0;
    while (at < body.length) {
      if (out.size() == TileId.FULL_WIDTH) {
        throw malformed("more than 256 entries");
      }
      if (body.length - at < LENGTH_BYTES) {
        throw malformed("truncated length prefix at byte " + at);
      }
      int length = (body[at] & 0xff) << 8 | body[at + 1] & 0xff;
      at += LENGTH_BYTES;
      if (body.length - at < length) {
        throw malformed("entry " + out.size() + " is truncated");
      }
      out.add(Arrays.copyOfRange(body, at, at + length));
      at += length;
    }
    return out;
  }

  /** Splits a bundle body and checks that it holds exactly id.width() entries. */
  public static List<byte[]> decode(BundleId id, byte[] body) {
    List<byte[]> entries = decode(body);
    if (entries.size() != id.width()) {
      throw malformed("bundle " + id.path() + " must hold " + id.width() + " entries, got " + entries.size());
    }
    return entries;
  }

  private static LedgerException malformed(String detail) {
    return new LedgerException(LedgerException.Code.BUNDLE_MALFORMED, detail);
  }
}
