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
    return Base64.getUrlEncoder().withoutPadding().encodeToString((kind + ":" + position).getBytes(StandardCharsets.UTF_8));
  }

  /** The position in a cursor of {@code kind}; ApiException BAD_USER_INPUT for anything else. */
  static long decode(String kind, String cursor) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (text.startsWith(kind + ":")) {
        long position = Long.parseLong(text.substring(kind.length() + 1));
        if (position >= 0) {
          return position;
        }
      }
    } catch (IllegalArgumentException e) {
      // falls through to the error below; NumberFormatException is an IllegalArgumentException
    }
    throw new ApiException(ErrorCodes.BAD_USER_INPUT, "'after' is not a cursor of this list");
  }
}
