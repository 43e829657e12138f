package org.carbonledger.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Cursors encode a position in an ordered list as an opaque string. A cursor names the item itself (its
 * seq), not an offset, so it still means the same place after new entries are appended.
 */
final class Cursors {

  private Cursors() {}

  static String encode(String kind, long position) {
    return encodeText(kind, Long.toString(position));
  }

  static String encodeText(String kind, String key) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString((kind + ":" + key).getBytes(StandardCharsets.UTF_8));
  }

  /** The key in a cursor of {@code kind}, or null for a null cursor; ApiException BAD_USER_INPUT for anything else. */
  static String decodeText(String kind, String cursor) {
    if (cursor == null) {
      return null;
    }
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      // We write keys of printable text only; a control character (U+0000 cannot even reach PostgreSQL) or a
      // replaced invalid byte means the cursor was made elsewhere.
      boolean printable = text.chars().noneMatch(c -> c < 0x20 || c == 0x7f || c == 0xfffd);
      if (printable && text.startsWith(kind + ":") && text.length() > kind.length() + 1) {
        return text.substring(kind.length() + 1);
      }
    } catch (IllegalArgumentException e) {
      // falls through to the error below
    }
    throw new ApiException(ErrorCodes.BAD_USER_INPUT, "'after' is not a cursor of this list");
  }

  /** The position in a cursor of {@code kind}; ApiException BAD_USER_INPUT for anything else. */
  static long decode(String kind, String cursor) {
    try {
      long position = DecimalText.parseLong(decodeText(kind, cursor));
      if (position >= 0) {
        return position;
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw new ApiException(ErrorCodes.BAD_USER_INPUT, "'after' is not a cursor of this list");
  }
}
