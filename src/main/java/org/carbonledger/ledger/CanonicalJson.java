package org.carbonledger.ledger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * CanonicalJson writes and reads the RFC 8785 (JCS) canonical form of a small JSON value model, which is the
 * byte format of every ledger entry. The same logical value always gives the same bytes, so a hash over the
 * bytes is a hash over the value.
 *
 * <p>The value model: {@code Map<String, ?>} (object), {@code List<?>} (array), {@code String},
 * {@code Long} or {@code Integer} (number), {@code Boolean} and {@code null}. Entries never contain non-integer
 * numbers: quantities that need a fraction or more than 53 bits travel as decimal strings. That keeps us clear
 * of the ECMAScript double formatting that JCS prescribes for other numbers, and keeps every value exact.
 *
 * <p>Encoding rules (RFC 8785 section 3.2): no whitespace; object members sorted by the UTF-16 code units of
 * their names; strings escape only {@code "} {@code \} and U+0000..U+001F, the seven short forms
 * ({@code \" \\ \b \f \n \r \t}) where JSON has one and {@code &#92;u00xx} in lowercase hex otherwise; everything
 * else is written as literal UTF-8; an unpaired surrogate is rejected.
 */
public final class CanonicalJson {

  /** Largest integer magnitude accepted, 2^53 - 1, the range JSON numbers keep exactly in every parser. */
  public static final long SAFE_INTEGER_MAX = (1L << 53) - 1;

  /** Deepest nesting of objects and arrays accepted, so hostile input cannot exhaust the stack. */
  public static final int DEPTH_MAX = 64;

  private CanonicalJson() {}

  /** Encodes a value of the model to canonical UTF-8 bytes; throws LedgerException for anything outside it. */
  public static byte[] encode(Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value, 0);
    // Safe: write() refuses lone surrogates, so every char sequence here maps to UTF-8 exactly.
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Parses strict JSON into the value model: objects become unmodifiable maps in document order, arrays
   * unmodifiable lists, numbers Long. Rejects invalid UTF-8, duplicate member names, numbers with a fraction
   * or exponent or beyond +-(2^53-1), lone surrogates, nesting beyond {@link #DEPTH_MAX} and trailing data.
   * Whitespace and non-canonical escapes are accepted; use {@link #isCanonical} to require the exact form.
   */
  public static Object parse(byte[] json) {
    return new JsonReader(json).readDocument();
  }

  /** True if the bytes parse and re-encode to exactly themselves. */
  public static boolean isCanonical(byte[] json) {
    try {
      return Arrays.equals(encode(parse(json)), json);
    } catch (LedgerException e) {
      return false;
    }
  }

  private static void write(StringBuilder out, Object value, int depth) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      writeString(out, s);
    } else if (value instanceof Boolean b) {
      out.append(b.booleanValue());
    } else if (value instanceof Long || value instanceof Integer) {
      writeInteger(out, ((Number) value).longValue());
    } else if (value instanceof Map<?, ?> map) {
      writeObject(out, map, depth + 1);
    } else if (value instanceof List<?> list) {
      writeArray(out, list, depth + 1);
    } else {
      throw new LedgerException(LedgerException.Code.JSON_VALUE_UNSUPPORTED,
          "cannot encode a " + value.getClass().getName() + "; numbers must be Long or Integer");
    }
  }

  private static void writeInteger(StringBuilder out, long value) {
    if (value > SAFE_INTEGER_MAX || value < -SAFE_INTEGER_MAX) {
      throw new LedgerException(LedgerException.Code.JSON_NUMBER_NOT_SAFE_INTEGER,
          value + " is outside +-(2^53-1); send it as a decimal string");
    }
    out.append(value);
  }

  private static void writeObject(StringBuilder out, Map<?, ?> map, int depth) {
    checkDepth(depth);
    List<String> keys = new ArrayList<>(map.size());
    for (Object key : map.keySet()) {
      if (!(key instanceof String s)) {
        throw new LedgerException(LedgerException.Code.JSON_VALUE_UNSUPPORTED,
            "object member names must be strings, got " + (key == null ? "null" : key.getClass()));
      }
      keys.add(s);
    }
    // String.compareTo orders by UTF-16 code units, which is exactly RFC 8785 section 3.2.3.
    keys.sort(null);
    out.append('{');
    for (int i = 0; i < keys.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      writeString(out, keys.get(i));
      out.append(':');
      write(out, map.get(keys.get(i)), depth);
    }
    out.append('}');
  }

  private static void writeArray(StringBuilder out, List<?> list, int depth) {
    checkDepth(depth);
    out.append('[');
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      write(out, list.get(i), depth);
    }
    out.append(']');
  }

  private static void checkDepth(int depth) {
    if (depth > DEPTH_MAX) {
      throw new LedgerException(LedgerException.Code.JSON_VALUE_UNSUPPORTED,
          "nesting deeper than " + DEPTH_MAX);
    }
  }

  static void writeString(StringBuilder out, String s) {
    checkSurrogates(s);
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append("\\u00").append(Character.forDigit(c >> 4, 16))
                .append(Character.forDigit(c & 0xf, 16));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** Throws JSON_STRING_HAS_LONE_SURROGATE unless every surrogate in s is half of a high-low pair. */
  static void checkSurrogates(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new LedgerException(LedgerException.Code.JSON_STRING_HAS_LONE_SURROGATE,
            "unpaired surrogate U+" + Integer.toHexString(c).toUpperCase() + " at char " + i);
      }
    }
  }
}
