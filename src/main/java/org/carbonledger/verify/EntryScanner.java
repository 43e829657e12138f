package org.carbonledger.verify;

import java.nio.charset.StandardCharsets;
import java.time.Month;
import java.time.Year;
import java.util.Arrays;
import org.carbonledger.ledger.CanonicalJson;
import org.carbonledger.ledger.LedgerEntry;

/**
 * EntryScanner is the verifier's fast path: one pass over an entry's bytes, building no objects, that accepts
 * only bytes which {@link org.carbonledger.ledger.EntryCodec#decode} accepts and {@link
 * org.carbonledger.ledger.ChainCheck} links at the expected seq and prev. Decoding into maps and strings, then
 * encoding again to compare, costs several times the SHA-256 of the same bytes; at ~130,000 entries that was
 * most of a run.
 *
 * <p>It answers "yes" or "not sure", never "no": whatever it does not accept (a broken entry, but also a rare
 * legitimate shape such as a member name that is not plain ASCII) goes to the strict decoder, which makes the
 * final decision and words the failure. So the verifier accepts exactly what it accepted before, and reports
 * the same failure for the same entry. EntryScannerTest holds it to that against the decoder.
 *
 * <p>What "canonical" means here is docs/LEDGER-FORMAT.md section 1: no whitespace; member names strictly
 * increasing (which also refuses duplicates); integers within +-(2^53-1) without leading zeros, fraction,
 * exponent or {@code -0}; strings of well-formed UTF-8 with exactly the RFC 8785 escapes.
 *
 * <p>A scanner is reused for one entry after another (it keeps its stack); it is not safe for concurrent use.
 */
final class EntryScanner {

  private static final byte[] DATA = ascii("{\"data\":");
  private static final byte[] PREV = ascii(",\"prev\":\"");
  private static final byte[] SEQ = ascii("\",\"seq\":");
  private static final byte[] TIME = ascii(",\"time\":\"");
  private static final byte[] TYPE = ascii("\",\"type\":\"");
  private static final byte[] END = ascii("\"}");
  private static final byte[] TRUE = ascii("true");
  private static final byte[] FALSE = ascii("false");
  private static final byte[] NULL = ascii("null");

  /** Characters of a prev: the hex of a SHA-256 hash. */
  static final int PREV_LENGTH = 64;

  /** Digits of 2^53-1; a longer integer is out of range. */
  private static final int DIGITS_MAX = 16;

  /** Depth of the entry object itself; its data object is one deeper. */
  private static final int ENTRY_DEPTH = 1;

  // Open containers of the data, innermost last: whether each is an object, and where its last name lies.
  private final boolean[] isObject = new boolean[CanonicalJson.DEPTH_MAX + 1];
  private final int[] nameStart = new int[CanonicalJson.DEPTH_MAX + 1];
  private final int[] nameEnd = new int[CanonicalJson.DEPTH_MAX + 1];
  private byte[] bytes;
  private int end;
  private int pos;
  private int prevAt;

  /**
   * True only if {@code bytes[offset, offset + length)} is a canonical entry whose seq is {@code seq} and whose
   * prev is {@code prevHex} (64 lowercase hex digits as ASCII); false when the strict decoder must decide.
   *
   * <p>With a null prevHex, the prev is not known yet: true then means the same provided that the 64 bytes at
   * {@link #prevAt()} turn out to be the prev, which the caller compares later.
   */
  boolean accepts(byte[] bytes, int offset, int length, long seq, byte[] prevHex) {
    if (length > LedgerEntry.SIZE_MAX_BYTES || seq < 0 || seq > CanonicalJson.SAFE_INTEGER_MAX) {
      return false;
    }
    this.bytes = bytes;
    this.pos = offset;
    this.end = offset + length;
    return literal(DATA) && data()
        && literal(PREV) && prev(prevHex)
        && literal(SEQ) && integer() == seq
        && literal(TIME) && time()
        && literal(TYPE) && type()
        && literal(END) && pos == end;
  }

  /** Where the prev's 64 characters start in the bytes of the entry last accepted. */
  int prevAt() {
    return prevAt;
  }

  /** The prev, or with a null prevHex any 64 bytes, whose place is kept for {@link #prevAt()}. */
  private boolean prev(byte[] prevHex) {
    prevAt = pos;
    if (prevHex != null) {
      return literal(prevHex);
    }
    if (end - pos < PREV_LENGTH) {
      return false;
    }
    pos += PREV_LENGTH;
    return true;
  }

  /**
   * The entry's data: an object, with everything nested in it. One loop over the tokens with the open containers
   * on a stack, rather than a recursive descent: the verifier is a short-lived JVM, and in a measured run the JIT
   * spent 0.6 s compiling the recursive form, which it inlined into itself.
   */
  private boolean data() {
    if (peek() != '{') {
      return false;
    }
    int depth = ENTRY_DEPTH;
    boolean valueNext = true;
    while (true) {
      if (valueNext) {
        byte b = peek();
        if (b == '{' || b == '[') {
          if (depth == CanonicalJson.DEPTH_MAX) {
            return false;
          }
          pos++;
          depth++;
          isObject[depth] = b == '{';
          nameStart[depth] = -1;
          if (!take(b == '{' ? '}' : ']')) {
            if (isObject[depth] && !nameAt(depth)) {
              return false;
            }
            continue; // a value comes next
          }
          depth--;
        } else if (!scalar(b)) {
          return false;
        }
      }
      // After a value: the data object is done, or its container goes on or closes.
      if (depth == ENTRY_DEPTH) {
        return true;
      }
      if (take(',')) {
        valueNext = true;
        if (isObject[depth] && !nameAt(depth)) {
          return false;
        }
      } else if (take(isObject[depth] ? '}' : ']')) {
        depth--;
        valueNext = false;
      } else {
        return false;
      }
    }
  }

  /**
   * The next member name of the object at depth, and its colon. It must sort after the object's previous name,
   * whose place is recorded at depth: for ASCII names, byte order is UTF-16 code unit order (RFC 8785 section
   * 3.2.3), and an equal name is a repeated one.
   */
  private boolean nameAt(int depth) {
    int start = pos + 1;
    if (!name()) {
      return false;
    }
    int end = pos - 1;
    if (nameStart[depth] >= 0
        && Arrays.compare(bytes, nameStart[depth], nameEnd[depth], bytes, start, end) >= 0) {
      return false;
    }
    nameStart[depth] = start;
    nameEnd[depth] = end;
    return take(':');
  }

  /** A string, literal or integer. */
  private boolean scalar(byte first) {
    switch (first) {
      case '"':
        return string();
      case 't':
        return literal(TRUE);
      case 'f':
        return literal(FALSE);
      case 'n':
        return literal(NULL);
      default:
        return integer() != Long.MIN_VALUE;
    }
  }

  /**
   * A member name of printable ASCII without escapes. Other names are legal but rare, and comparing them in
   * UTF-16 order is the strict decoder's job.
   */
  private boolean name() {
    if (!take('"')) {
      return false;
    }
    while (pos < end) {
      byte b = bytes[pos++];
      if (b == '"') {
        return true;
      }
      if (b < 0x20 || b == '\\') {
        return false; // a control character or escape, or (negative) a non-ASCII byte
      }
    }
    return false;
  }

  private boolean string() {
    pos++; // '"'
    while (pos < end) {
      byte b = bytes[pos];
      if (b == '"') {
        pos++;
        return true;
      }
      if (b == '\\') {
        if (!escape()) {
          return false;
        }
      } else if (b < 0) {
        if (!utf8()) {
          return false;
        }
      } else if (b < 0x20) {
        return false;
      } else {
        pos++;
      }
    }
    return false;
  }

  /** The escapes RFC 8785 writes: the seven short ones, and lowercase backslash-u00xx for other controls. */
  private boolean escape() {
    if (end - pos < 2) {
      return false;
    }
    switch (bytes[pos + 1]) {
      case '"', '\\', 'b', 'f', 'n', 'r', 't':
        pos += 2;
        return true;
      case 'u':
        if (end - pos < 6 || bytes[pos + 2] != '0' || bytes[pos + 3] != '0') {
          return false;
        }
        int high = bytes[pos + 4] - '0';
        int low = lowerHexDigit(bytes[pos + 5]);
        int c = high << 4 | low;
        boolean hasShortForm = c == '\b' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
        if ((high != 0 && high != 1) || low < 0 || hasShortForm) {
          return false;
        }
        pos += 6;
        return true;
      default:
        return false;
    }
  }

  private static int lowerHexDigit(byte b) {
    if (b >= '0' && b <= '9') {
      return b - '0';
    }
    return b >= 'a' && b <= 'f' ? b - 'a' + 10 : -1;
  }

  /**
   * One well-formed UTF-8 sequence of two to four bytes (Unicode Table 3-7): no overlong form, no surrogate, nothing
   * above U+10FFFF. The same rules as the strict decoder's CharsetDecoder.
   */
  private boolean utf8() {
    int lead = bytes[pos] & 0xff;
    int length;
    int secondMin = 0x80;
    int secondMax = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
      length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead == 0xe0) {
        secondMin = 0xa0; // below is an overlong form
      } else if (lead == 0xed) {
        secondMax = 0x9f; // above is a surrogate
      }
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead == 0xf0) {
        secondMin = 0x90; // below is an overlong form
      } else if (lead == 0xf4) {
        secondMax = 0x8f; // above is beyond U+10FFFF
      }
    } else {
      return false;
    }
    if (end - pos < length) {
      return false;
    }
    int second = bytes[pos + 1] & 0xff;
    if (second < secondMin || second > secondMax) {
      return false;
    }
    for (int i = 2; i < length; i++) {
      if ((bytes[pos + i] & 0xc0) != 0x80) {
        return false;
      }
    }
    pos += length;
    return true;
  }

  /**
   * An integer in canonical form, within +-(2^53-1); Long.MIN_VALUE (never a valid value) when there is none.
   * A fraction or exponent after it is left in place, so the caller's next expectation fails on it.
   */
  private long integer() {
    boolean negative = take('-');
    int start = pos;
    long value = 0;
    while (pos < end && bytes[pos] >= '0' && bytes[pos] <= '9' && pos - start < DIGITS_MAX) {
      value = value * 10 + (bytes[pos++] - '0');
    }
    int digits = pos - start;
    boolean leadingZero = digits > 1 && bytes[start] == '0';
    boolean moreDigits = pos < end && bytes[pos] >= '0' && bytes[pos] <= '9';
    if (digits == 0 || leadingZero || moreDigits || value > CanonicalJson.SAFE_INTEGER_MAX
        || negative && value == 0) {
      return Long.MIN_VALUE;
    }
    return negative ? -value : value;
  }

  /** {@code yyyy-MM-ddTHH:mm:ss.SSSSSSZ}, naming a real date and time of years 0000 to 9999. */
  private boolean time() {
    if (end - pos < 27) {
      return false;
    }
    int year = digits(0, 4);
    int month = digits(5, 2);
    int day = digits(8, 2);
    int hour = digits(11, 2);
    int minute = digits(14, 2);
    int second = digits(17, 2);
    int micros = digits(20, 6);
    boolean punctuated = at(4) == '-' && at(7) == '-' && at(10) == 'T' && at(13) == ':' && at(16) == ':'
        && at(19) == '.' && at(26) == 'Z';
    if (!punctuated || year < 0 || month < 1 || month > 12 || day < 1 || micros < 0
        || day > Month.of(month).length(Year.isLeap(year)) || hour < 0 || hour > 23 || minute < 0 || minute > 59
        || second < 0 || second > 59) {
      return false;
    }
    pos += 27;
    return true;
  }

  private byte at(int offset) {
    return bytes[pos + offset];
  }

  /** The decimal number in the count bytes at pos + offset, or -1 if one of them is not a digit. */
  private int digits(int offset, int count) {
    int value = 0;
    for (int i = pos + offset; i < pos + offset + count; i++) {
      if (bytes[i] < '0' || bytes[i] > '9') {
        return -1;
      }
      value = value * 10 + (bytes[i] - '0');
    }
    return value;
  }

  /** {@code [A-Z][A-Z0-9_]*}, up to the closing quote, which is left for the caller. */
  private boolean type() {
    if (pos >= end || bytes[pos] < 'A' || bytes[pos] > 'Z') {
      return false;
    }
    pos++;
    while (pos < end && (bytes[pos] >= 'A' && bytes[pos] <= 'Z' || bytes[pos] >= '0' && bytes[pos] <= '9'
        || bytes[pos] == '_')) {
      pos++;
    }
    return true;
  }

  private boolean literal(byte[] expected) {
    if (end - pos < expected.length
        || !Arrays.equals(bytes, pos, pos + expected.length, expected, 0, expected.length)) {
      return false;
    }
    pos += expected.length;
    return true;
  }

  private boolean take(char c) {
    if (pos < end && bytes[pos] == c) {
      pos++;
      return true;
    }
    return false;
  }

  private byte peek() {
    return pos < end ? bytes[pos] : 0;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
