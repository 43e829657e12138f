package org.carbonledger.ledger;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JsonReader is the strict recursive-descent parser behind {@link CanonicalJson#parse}. It is hand-written
 * rather than Jackson so that the offline verifier can ship with this package alone, and so that every
 * leniency is a decision made here (RFC 8259 grammar, nothing more).
 */
final class JsonReader {

  private final String text;
  private int pos;

  JsonReader(byte[] json) {
    this.text = decodeUtf8(json);
  }

  Object readDocument() {
    skipWhitespace();
    Object value = readValue(0);
    skipWhitespace();
    if (pos != text.length()) {
      throw malformed("trailing data");
    }
    return value;
  }

  private static String decodeUtf8(byte[] json) {
    try {
      // REPORT rejects overlong forms, encoded surrogates and truncated sequences instead of replacing them.
      CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(json));
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw new LedgerException(LedgerException.Code.JSON_MALFORMED, "invalid UTF-8");
    }
  }

  private Object readValue(int depth) {
    if (pos >= text.length()) {
      throw malformed("unexpected end of input");
    }
    char c = text.charAt(pos);
    return switch (c) {
      case '{' -> readObject(depth + 1);
      case '[' -> readArray(depth + 1);
      case '"' -> readString();
      case 't' -> readLiteral("true", Boolean.TRUE);
      case 'f' -> readLiteral("false", Boolean.FALSE);
      case 'n' -> readLiteral("null", null);
      default -> {
        if (c == '-' || c >= '0' && c <= '9') {
          yield readNumber();
        }
        throw malformed("unexpected character");
      }
    };
  }

  private Map<String, Object> readObject(int depth) {
    checkDepth(depth);
    pos++; // '{'
    Map<String, Object> members = new LinkedHashMap<>();
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return Collections.unmodifiableMap(members);
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw malformed("expected a member name");
      }
      int keyAt = pos;
      String key = readString();
      skipWhitespace();
      expect(':');
      skipWhitespace();
      Object value = readValue(depth);
      if (members.containsKey(key)) {
        throw new LedgerException(LedgerException.Code.JSON_DUPLICATE_KEY,
            "member name repeated at char " + keyAt);
      }
      members.put(key, value);
      skipWhitespace();
      char next = peek();
      pos++;
      if (next == '}') {
        return Collections.unmodifiableMap(members);
      }
      if (next != ',') {
        throw malformed("expected ',' or '}'");
      }
    }
  }

  private List<Object> readArray(int depth) {
    checkDepth(depth);
    pos++; // '['
    List<Object> items = new ArrayList<>();
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      return Collections.unmodifiableList(items);
    }
    while (true) {
      skipWhitespace();
      items.add(readValue(depth));
      skipWhitespace();
      char next = peek();
      pos++;
      if (next == ']') {
        return Collections.unmodifiableList(items);
      }
      if (next != ',') {
        throw malformed("expected ',' or ']'");
      }
    }
  }

  private String readString() {
    pos++; // opening quote
    StringBuilder out = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw malformed("unterminated string");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        break;
      }
      if (c < 0x20) {
        throw malformed("raw control character in string");
      }
      out.append(c == '\\' ? readEscape() : c);
    }
    String s = out.toString();
    CanonicalJson.checkSurrogates(s);
    return s;
  }

  private char readEscape() {
    if (pos >= text.length()) {
      throw malformed("unterminated escape");
    }
    char c = text.charAt(pos++);
    return switch (c) {
      case '"' -> '"';
      case '\\' -> '\\';
      case '/' -> '/';
      case 'b' -> '\b';
      case 'f' -> '\f';
      case 'n' -> '\n';
      case 'r' -> '\r';
      case 't' -> '\t';
      case 'u' -> readHex4();
      default -> throw malformed("unknown escape");
    };
  }

  private char readHex4() {
    if (pos + 4 > text.length()) {
      throw malformed("truncated \\u escape");
    }
    int value = 0;
    for (int i = 0; i < 4; i++) {
      int digit = Character.digit(text.charAt(pos + i), 16);
      // Character.digit also accepts non-ASCII digits; JSON allows only [0-9a-fA-F].
      if (digit < 0 || text.charAt(pos + i) > 'f') {
        throw malformed("bad hex digit in \\u escape");
      }
      value = value << 4 | digit;
    }
    pos += 4;
    return (char) value;
  }

  private Long readNumber() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    int digitsStart = pos;
    while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
      pos++;
    }
    int digits = pos - digitsStart;
    if (digits == 0) {
      throw malformed("number without digits");
    }
    if (digits > 1 && text.charAt(digitsStart) == '0') {
      throw malformed("number with a leading zero");
    }
    if (pos < text.length() && (peek() == '.' || peek() == 'e' || peek() == 'E')) {
      throw new LedgerException(LedgerException.Code.JSON_NUMBER_NOT_SAFE_INTEGER,
          "number with a fraction or exponent at char " + start);
    }
    // 2^53-1 has 16 digits; anything longer is out of range and might not fit a long.
    if (digits > 16) {
      throw outOfRange(start);
    }
    long value = Long.parseLong(text, start, pos, 10);
    if (value > CanonicalJson.SAFE_INTEGER_MAX || value < -CanonicalJson.SAFE_INTEGER_MAX) {
      throw outOfRange(start);
    }
    return value;
  }

  private LedgerException outOfRange(int start) {
    return new LedgerException(LedgerException.Code.JSON_NUMBER_NOT_SAFE_INTEGER,
        "integer outside +-(2^53-1) at char " + start);
  }

  private Object readLiteral(String literal, Object value) {
    if (!text.startsWith(literal, pos)) {
      throw malformed("unknown literal");
    }
    pos += literal.length();
    return value;
  }

  private void checkDepth(int depth) {
    if (depth > CanonicalJson.DEPTH_MAX) {
      throw malformed("nesting deeper than " + CanonicalJson.DEPTH_MAX);
    }
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private char peek() {
    if (pos >= text.length()) {
      throw malformed("unexpected end of input");
    }
    return text.charAt(pos);
  }

  private void expect(char c) {
    if (peek() != c) {
      throw malformed("expected '" + c + "'");
    }
    pos++;
  }

  private LedgerException malformed(String what) {
    return new LedgerException(LedgerException.Code.JSON_MALFORMED, what + " at char " + pos);
  }
}
