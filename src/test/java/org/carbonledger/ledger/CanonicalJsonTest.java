package org.carbonledger.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Goal: CanonicalJson writes exactly the RFC 8785 bytes for our value model and its parser refuses everything
 * outside strict JSON and the model. Method: encode tables (one row per rule, including the RFC 8785 sorting
 * example), reject tables for encoder and parser, and round-trip properties over generated values.
 */
class CanonicalJsonTest {

  static Stream<Arguments> encodings() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("b", List.of(1L, map("d", null, "c", true)));
    nested.put("a", "x");
    // RFC 8785 section 3.2.3: sorting by UTF-16 code units puts U+1F600 (D83D DE00) before U+FB33.
    Map<String, Object> rfcSorting = new LinkedHashMap<>();
    for (String key : new String[] {"\u20ac", "\r", "\ufb33", "1", "\ud83d\ude00", "\u0080", "\u00f6"}) {
      rfcSorting.put(key, key.length());
    }
    return Stream.of(
        Arguments.of("null", null, "null"),
        Arguments.of("true", true, "true"),
        Arguments.of("false", false, "false"),
        Arguments.of("zero", 0L, "0"),
        Arguments.of("negative", -17L, "-17"),
        Arguments.of("Integer", 7, "7"),
        Arguments.of("largest safe integer", (1L << 53) - 1, "9007199254740991"),
        Arguments.of("smallest safe integer", 1 - (1L << 53), "-9007199254740991"),
        Arguments.of("empty object", Map.of(), "{}"),
        Arguments.of("empty array", List.of(), "[]"),
        Arguments.of("empty string", "", "\"\""),
        Arguments.of("quote and backslash", "a\"b\\c", "\"a\\\"b\\\\c\""),
        Arguments.of("short escapes", "\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\""),
        Arguments.of("other controls as lowercase u00xx", "\u0000\u0001\u000b\u001f",
            "\"\\u0000\\u0001\\u000b\\u001f\""),
        Arguments.of("slash and DEL literal", "/\u007f", "\"/\u007f\""),
        Arguments.of("non-ASCII literal", "\u00e9\u20ac\u2028", "\"\u00e9\u20ac\u2028\""),
        Arguments.of("surrogate pair literal", "\ud83d\ude00", "\"\ud83d\ude00\""),
        Arguments.of("nested, members sorted", nested, "{\"a\":\"x\",\"b\":[1,{\"c\":true,\"d\":null}]}"),
        Arguments.of("RFC 8785 sorting example", rfcSorting,
            "{\"\\r\":1,\"1\":1,\"\u0080\":1,\"\u00f6\":1,\"\u20ac\":1,\"\ud83d\ude00\":2,\"\ufb33\":1}"),
        Arguments.of("array keeps order", List.of("b", "a", 2L, 1L), "[\"b\",\"a\",2,1]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("encodings")
  void encodesCanonically(String name, Object value, String expected) {
    byte[] bytes = CanonicalJson.encode(value);
    assertEquals(expected, new String(bytes, StandardCharsets.UTF_8));
    assertTrue(CanonicalJson.isCanonical(bytes));
  }

  @Test
  void encodesUtf8Bytes() {
    assertArrayEquals(new byte[] {'"', (byte) 0xe2, (byte) 0x82, (byte) 0xac, '"'}, CanonicalJson.encode("\u20ac"));
    assertArrayEquals(new byte[] {'"', (byte) 0xf0, (byte) 0x9f, (byte) 0x98, (byte) 0x80, '"'},
        CanonicalJson.encode("\ud83d\ude00"));
  }

  static Stream<Arguments> unencodable() {
    Map<Object, Object> integerKey = new HashMap<>();
    integerKey.put(1, "x");
    Map<Object, Object> nullKey = new HashMap<>();
    nullKey.put(null, "x");
    return Stream.of(
        Arguments.of("Double", 1.0, LedgerException.Code.JSON_VALUE_UNSUPPORTED),
        Arguments.of("Float", 1.5f, LedgerException.Code.JSON_VALUE_UNSUPPORTED),
        Arguments.of("BigDecimal", new BigDecimal("1"), LedgerException.Code.JSON_VALUE_UNSUPPORTED),
        Arguments.of("BigInteger", BigInteger.ONE, LedgerException.Code.JSON_VALUE_UNSUPPORTED),
        Arguments.of("Short", (short) 1, LedgerException.Code.JSON_VALUE_UNSUPPORTED),
        Arguments.of("Character", 'a', LedgerException.Code.JSON_VALUE_UNSUPPORTED),
        Arguments.of("byte array", new byte[1], LedgerException.Code.JSON_VALUE_UNSUPPORTED),
        Arguments.of("Double inside a list", List.of(1L, 2.0), LedgerException.Code.JSON_VALUE_UNSUPPORTED),
        Arguments.of("Integer key", integerKey, LedgerException.Code.JSON_VALUE_UNSUPPORTED),
        Arguments.of("null key", nullKey, LedgerException.Code.JSON_VALUE_UNSUPPORTED),
        Arguments.of("2^53", 1L << 53, LedgerException.Code.JSON_NUMBER_NOT_SAFE_INTEGER),
        Arguments.of("-2^53", -(1L << 53), LedgerException.Code.JSON_NUMBER_NOT_SAFE_INTEGER),
        Arguments.of("Long.MIN_VALUE", Long.MIN_VALUE, LedgerException.Code.JSON_NUMBER_NOT_SAFE_INTEGER),
        Arguments.of("lone high surrogate", "a\ud800", LedgerException.Code.JSON_STRING_HAS_LONE_SURROGATE),
        Arguments.of("lone low surrogate", "\udc00b", LedgerException.Code.JSON_STRING_HAS_LONE_SURROGATE),
        Arguments.of("reversed pair", "\udc00\ud800", LedgerException.Code.JSON_STRING_HAS_LONE_SURROGATE),
        Arguments.of("lone surrogate in a key", map("\ud800", 1L),
            LedgerException.Code.JSON_STRING_HAS_LONE_SURROGATE),
        Arguments.of("nesting 65 deep", nest(CanonicalJson.DEPTH_MAX + 1),
            LedgerException.Code.JSON_VALUE_UNSUPPORTED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unencodable")
  void refusesValuesOutsideTheModel(String name, Object value, LedgerException.Code code) {
    LedgerException e = assertThrows(LedgerException.class, () -> CanonicalJson.encode(value));
    assertEquals(code, e.code());
  }

  @Test
  void nestingAtTheLimitIsFine() {
    byte[] bytes = CanonicalJson.encode(nest(CanonicalJson.DEPTH_MAX));
    assertEquals(nest(CanonicalJson.DEPTH_MAX), CanonicalJson.parse(bytes));
  }

  static Stream<Arguments> unparsable() {
    return Stream.of(
        row("empty input", "", LedgerException.Code.JSON_MALFORMED),
        row("only whitespace", "  ", LedgerException.Code.JSON_MALFORMED),
        row("trailing data", "{} x", LedgerException.Code.JSON_MALFORMED),
        row("two documents", "{}{}", LedgerException.Code.JSON_MALFORMED),
        row("trailing comma in array", "[1,]", LedgerException.Code.JSON_MALFORMED),
        row("trailing comma in object", "{\"a\":1,}", LedgerException.Code.JSON_MALFORMED),
        row("missing colon", "{\"a\" 1}", LedgerException.Code.JSON_MALFORMED),
        row("unquoted key", "{a:1}", LedgerException.Code.JSON_MALFORMED),
        row("single quotes", "'a'", LedgerException.Code.JSON_MALFORMED),
        row("unterminated string", "\"abc", LedgerException.Code.JSON_MALFORMED),
        row("unterminated array", "[1", LedgerException.Code.JSON_MALFORMED),
        row("raw tab in string", "\"a\tb\"", LedgerException.Code.JSON_MALFORMED),
        row("raw newline in string", "\"a\nb\"", LedgerException.Code.JSON_MALFORMED),
        row("unknown escape", "\"\\x\"", LedgerException.Code.JSON_MALFORMED),
        row("truncated u escape", "\"\\u12\"", LedgerException.Code.JSON_MALFORMED),
        row("bad hex in u escape", "\"\\u00g0\"", LedgerException.Code.JSON_MALFORMED),
        row("fullwidth digit in u escape", "\"\\u00\uff10\uff10\"", LedgerException.Code.JSON_MALFORMED),
        row("escaped lone surrogate", "\"\\ud800\"", LedgerException.Code.JSON_STRING_HAS_LONE_SURROGATE),
        row("escaped reversed pair", "\"\\udc00\\ud800\"", LedgerException.Code.JSON_STRING_HAS_LONE_SURROGATE),
        row("truncated literal", "tru", LedgerException.Code.JSON_MALFORMED),
        row("capitalised literal", "True", LedgerException.Code.JSON_MALFORMED),
        row("NaN", "NaN", LedgerException.Code.JSON_MALFORMED),
        row("Infinity", "-Infinity", LedgerException.Code.JSON_MALFORMED),
        row("plus sign", "+1", LedgerException.Code.JSON_MALFORMED),
        row("minus alone", "-", LedgerException.Code.JSON_MALFORMED),
        row("leading zero", "01", LedgerException.Code.JSON_MALFORMED),
        row("fraction", "1.0", LedgerException.Code.JSON_NUMBER_NOT_SAFE_INTEGER),
        row("exponent", "1e2", LedgerException.Code.JSON_NUMBER_NOT_SAFE_INTEGER),
        row("2^53", "9007199254740992", LedgerException.Code.JSON_NUMBER_NOT_SAFE_INTEGER),
        row("-2^53", "-9007199254740992", LedgerException.Code.JSON_NUMBER_NOT_SAFE_INTEGER),
        row("twenty digits", "99999999999999999999", LedgerException.Code.JSON_NUMBER_NOT_SAFE_INTEGER),
        row("duplicate key", "{\"a\":1,\"a\":1}", LedgerException.Code.JSON_DUPLICATE_KEY),
        row("duplicate key by escape", "{\"a\":1,\"\\u0061\":2}", LedgerException.Code.JSON_DUPLICATE_KEY),
        row("duplicate key nested", "[{\"b\":{\"c\":1,\"c\":2}}]", LedgerException.Code.JSON_DUPLICATE_KEY),
        row("nesting 65 deep", "[".repeat(65) + "]".repeat(65), LedgerException.Code.JSON_MALFORMED),
        bytesRow("UTF-8 BOM", new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, '{', '}'},
            LedgerException.Code.JSON_MALFORMED),
        bytesRow("invalid byte FF", new byte[] {'"', (byte) 0xff, '"'}, LedgerException.Code.JSON_MALFORMED),
        bytesRow("overlong slash C0 AF", new byte[] {'"', (byte) 0xc0, (byte) 0xaf, '"'},
            LedgerException.Code.JSON_MALFORMED),
        bytesRow("encoded surrogate ED A0 80", new byte[] {'"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"'},
            LedgerException.Code.JSON_MALFORMED),
        bytesRow("truncated sequence E2 82", new byte[] {'"', (byte) 0xe2, (byte) 0x82, '"'},
            LedgerException.Code.JSON_MALFORMED),
        bytesRow("beyond U+10FFFF", new byte[] {'"', (byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"'},
            LedgerException.Code.JSON_MALFORMED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unparsable")
  void parserRejects(String name, byte[] json, LedgerException.Code code) {
    LedgerException e = assertThrows(LedgerException.class, () -> CanonicalJson.parse(json));
    assertEquals(code, e.code());
    assertFalse(CanonicalJson.isCanonical(json));
  }

  static Stream<Arguments> parsableButNotCanonical() {
    return Stream.of(
        Arguments.of("whitespace", " { \"a\" : [ 1 , 2 ] } ", map("a", List.of(1L, 2L))),
        Arguments.of("unsorted members", "{\"b\":1,\"a\":2}", map("b", 1L, "a", 2L)),
        Arguments.of("escaped letter", "\"\\u0041\"", "A"),
        Arguments.of("escaped slash", "\"\\/\"", "/"),
        Arguments.of("upper-case u escape", "\"\\u001F\"", "\u001f"),
        Arguments.of("u escape for newline", "\"\\u000a\"", "\n"),
        Arguments.of("escaped non-ASCII", "\"\\u20ac\"", "\u20ac"),
        Arguments.of("escaped surrogate pair", "\"\\ud83d\\ude00\"", "\ud83d\ude00"),
        Arguments.of("negative zero", "-0", 0L),
        Arguments.of("trailing newline", "{}\n", Map.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("parsableButNotCanonical")
  void parsesLenientSpellingsButCallsThemNonCanonical(String name, String json, Object expected) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    assertEquals(expected, CanonicalJson.parse(bytes));
    assertFalse(CanonicalJson.isCanonical(bytes));
  }

  @Test
  void parsedContainersAreUnmodifiable() {
    Object parsed = CanonicalJson.parse("{\"a\":[1]}".getBytes(StandardCharsets.UTF_8));
    Map<?, ?> map = (Map<?, ?>) parsed;
    assertThrows(UnsupportedOperationException.class, map::clear);
    assertThrows(UnsupportedOperationException.class, () -> ((List<?>) map.get("a")).clear());
  }

  @Property(tries = 300)
  void encodeThenParseIsIdentity(@ForAll("values") Object value) {
    byte[] bytes = CanonicalJson.encode(value);
    assertEquals(value, CanonicalJson.parse(bytes));
    assertTrue(CanonicalJson.isCanonical(bytes));
    assertArrayEquals(bytes, CanonicalJson.encode(CanonicalJson.parse(bytes)));
  }

  @Property(tries = 300)
  void anyWellFormedStringRoundTrips(@ForAll("strings") String s) {
    byte[] bytes = CanonicalJson.encode(s);
    assertEquals(s, CanonicalJson.parse(bytes));
    assertTrue(CanonicalJson.isCanonical(bytes));
  }

  @Provide
  Arbitrary<Object> values() {
    return Arbitraries.lazyOf(
        () -> Arbitraries.just(null),
        () -> Arbitraries.of(true, false).map(b -> (Object) b),
        () -> Arbitraries.longs().between(-CanonicalJson.SAFE_INTEGER_MAX, CanonicalJson.SAFE_INTEGER_MAX)
            .map(l -> (Object) l),
        () -> strings().map(s -> (Object) s),
        () -> values().list().ofMaxSize(4).map(l -> (Object) new ArrayList<>(l)),
        () -> Arbitraries.maps(strings(), values()).ofMaxSize(4).map(m -> (Object) new HashMap<>(m)));
  }

  @Provide
  Arbitrary<String> strings() {
    // Whole code points, so no lone surrogates; all planes, including controls and astral characters.
    return Arbitraries.integers().between(0, Character.MAX_CODE_POINT)
        .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
        .list().ofMaxSize(8)
        .map(cps -> new String(cps.stream().mapToInt(Integer::intValue).toArray(), 0, cps.size()));
  }

  private static Arguments row(String name, String json, LedgerException.Code code) {
    return Arguments.of(name, json.getBytes(StandardCharsets.UTF_8), code);
  }

  private static Arguments bytesRow(String name, byte[] json, LedgerException.Code code) {
    return Arguments.of(name, json, code);
  }

  static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      out.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return out;
  }

  private static Object nest(int depth) {
    Object value = List.of();
    for (int i = 1; i < depth; i++) {
      value = List.of(value);
    }
    return value;
  }

  @Test
  void nestHelperBuildsTheRequestedDepth() {
    assertEquals("[[[]]]", new String(CanonicalJson.encode(nest(3)), StandardCharsets.UTF_8));
    assertTrue(Arrays.equals(CanonicalJson.encode(nest(1)), "[]".getBytes(StandardCharsets.UTF_8)));
  }
}
