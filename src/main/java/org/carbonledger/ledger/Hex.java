package org.carbonledger.ledger;

/**
 * Hex converts bytes to lowercase hexadecimal and back. Decoding is strict (lowercase only, even length) because
 * every hex string in the ledger format is lowercase: accepting "AB" as well as "ab" would give one hash two
 * spellings, and an entry's bytes must have exactly one.
 */
public final class Hex {

  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private Hex() {}

  /** Encodes bytes as lowercase hex, two digits per byte. */
  public static String encode(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = DIGITS[(bytes[i] >> 4) & 0xf];
      out[2 * i + 1] = DIGITS[bytes[i] & 0xf];
    }
    return new String(out);
  }

  /** Decodes lowercase hex; throws LedgerException HEX_MALFORMED on odd length or any other character. */
  public static byte[] decode(String hex) {
    if (hex.length() % 2 != 0) {
      throw new LedgerException(LedgerException.Code.HEX_MALFORMED, "odd length " + hex.length());
    }
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (digit(hex, 2 * i) << 4 | digit(hex, 2 * i + 1));
    }
    return out;
  }

  /** True if s is exactly length lowercase hex digits. */
  public static boolean isLowerHex(String s, int length) {
    if (s.length() != length) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  private static int digit(String hex, int at) {
    char c = hex.charAt(at);
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    throw new LedgerException(LedgerException.Code.HEX_MALFORMED, "not a lowercase hex digit at " + at);
  }
}
