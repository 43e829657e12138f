package org.carbonledger.ledger;

import java.util.Base64;

/**
 * StrictBase64 decodes standard base64 (RFC 4648 section 4) only in its canonical spelling: padded, no line
 * breaks, unused bits zero. Java's decoder alone accepts missing padding and stray low bits, which would give
 * one signature or hash several spellings; re-encoding and comparing removes that malleability.
 */
final class StrictBase64 {

  private StrictBase64() {}

  static String encode(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** Decodes canonical base64 or throws LedgerException with the given code; the input is never echoed. */
  static byte[] decode(String text, LedgerException.Code code, String what) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new LedgerException(code, what + " is not valid base64");
    }
    if (!encode(bytes).equals(text)) {
      throw new LedgerException(code, what + " is not canonical base64");
    }
    return bytes;
  }
}
