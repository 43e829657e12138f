package org.carbonledger.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.arbitraries.StringArbitrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Goal: an entry has exactly one byte encoding, the codec writes it, and decoding refuses every other byte
 * string with the code of the first rule it breaks. Method: golden bytes, the size limit at its edge, one
 * reject row per rule, and a round-trip property.
 */
class EntryCodecTest {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final String PREV = "ab".repeat(32);

  static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  /** A canonical entry text with each field given verbatim as JSON. */
  static String entryJson(String data, String prev, String seq, String time, String type) {
    return "{\"data\":" + data + ",\"prev\":" + prev + ",\"seq\":" + seq + ",\"time\":" + time + ",\"type\":"
        + type + "}";
  }

  static String good() {
    return entryJson("{\"k\":\"v\"}", "\"" + PREV + "\"", "7", "\"2026-01-01T00:00:00.000000Z\"", "\"TEST_TYPE\"");
  }

  @Test
  void encodesGoldenBytes() {
    LedgerEntry entry = new LedgerEntry(7, PREV, T0, "TEST_TYPE", Map.of("k", "v"));
    assertEquals(good(), new String(EntryCodec.encode(entry), StandardCharsets.UTF_8));
    assertEquals(entry, EntryCodec.decode(bytes(good())));
  }

  @Test
  void entryZeroLinksToTheZeroHash() {
    assertEquals("0".repeat(64), LedgerEntry.ZERO_HASH_HEX);
    LedgerEntry first = new LedgerEntry(0, LedgerEntry.ZERO_HASH_HEX, T0, "REGISTRY_CREATED", Map.of());
    assertEquals("{\"data\":{},\"prev\":\"" + "0".repeat(64)
        + "\",\"seq\":0,\"time\":\"2026-01-01T00:00:00.000000Z\",\"type\":\"REGISTRY_CREATED\"}",
        new String(EntryCodec.encode(first), StandardCharsets.UTF_8));
  }

  static Stream<Arguments> times() {
    return Stream.of(
        Arguments.of("whole second", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00.000000Z"),
        Arguments.of("nanoseconds truncated, not rounded", "2026-06-30T12:34:56.123456999Z",
            "2026-06-30T12:34:56.123456Z"),
        Arguments.of("before 1970 truncates toward the past", "1969-12-31T23:59:59.999999999Z",
            "1969-12-31T23:59:59.999999Z"),
        Arguments.of("year 0000", "0000-01-01T00:00:00Z", "0000-01-01T00:00:00.000000Z"),
        Arguments.of("last representable", "9999-12-31T23:59:59.999999999Z", "9999-12-31T23:59:59.999999Z"),
        Arguments.of("leap day", "2028-02-29T23:59:59.000001Z", "2028-02-29T23:59:59.000001Z"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("times")
  void timeHasFixedMicrosecondPrecision(String name, String instant, String written) {
    LedgerEntry entry = new LedgerEntry(1, PREV, Instant.parse(instant), "T", Map.of());
    assertEquals(written, entry.timeText());
    assertEquals(entry, EntryCodec.decode(EntryCodec.encode(entry)));
  }

  @Test
  void sizeLimitIsExactly65535Bytes() {
    int overhead = EntryCodec.encode(new LedgerEntry(1, PREV, T0, "T", Map.of("s", ""))).length;
    LedgerEntry atLimit = new LedgerEntry(1, PREV, T0, "T", Map.of("s", "x".repeat(65_535 - overhead)));
    byte[] encoded = EntryCodec.encode(atLimit);
    assertEquals(65_535, encoded.length);
    assertEquals(atLimit, EntryCodec.decode(encoded));

    LedgerEntry over = new LedgerEntry(1, PREV, T0, "T", Map.of("s", "x".repeat(65_536 - overhead)));
    EntryTooLargeException e = assertThrows(EntryTooLargeException.class, () -> EntryCodec.encode(over));
    assertEquals(65_536, e.sizeBytes());
    assertEquals(LedgerException.Code.ENTRY_TOO_LARGE, e.code());

    byte[] tooLong = new byte[65_536];
    assertEquals(65_536, assertThrows(EntryTooLargeException.class, () -> EntryCodec.decode(tooLong)).sizeBytes());
  }

  static Stream<Arguments> undecodable() {
    String prev = "\"" + PREV + "\"";
    String time = "\"2026-01-01T00:00:00.000000Z\"";
    String type = "\"T\"";
    return Stream.of(
        row("not JSON", "{", LedgerException.Code.JSON_MALFORMED),
        row("duplicate member", "{\"data\":{},\"data\":{}}", LedgerException.Code.JSON_DUPLICATE_KEY),
        row("fraction in data", entryJson("{\"q\":1.5}", prev, "1", time, type),
            LedgerException.Code.JSON_NUMBER_NOT_SAFE_INTEGER),
        row("whitespace", " " + good(), LedgerException.Code.ENTRY_NOT_CANONICAL),
        row("members out of order", "{\"prev\":" + prev + ",\"data\":{},\"seq\":1,\"time\":" + time
            + ",\"type\":" + type + "}", LedgerException.Code.ENTRY_NOT_CANONICAL),
        row("escaped letter in type", entryJson("{}", prev, "1", time, "\"\\u0054\""),
            LedgerException.Code.ENTRY_NOT_CANONICAL),
        row("an array", "[]", LedgerException.Code.ENTRY_FIELDS_WRONG),
        row("a string", "\"entry\"", LedgerException.Code.ENTRY_FIELDS_WRONG),
        row("missing data", "{\"prev\":" + prev + ",\"seq\":1,\"time\":" + time + ",\"type\":" + type + "}",
            LedgerException.Code.ENTRY_FIELDS_WRONG),
        row("extra member", "{\"data\":{},\"extra\":1,\"prev\":" + prev + ",\"seq\":1,\"time\":" + time
            + ",\"type\":" + type + "}", LedgerException.Code.ENTRY_FIELDS_WRONG),
        row("seq as string", entryJson("{}", prev, "\"1\"", time, type), LedgerException.Code.ENTRY_SEQ_INVALID),
        row("seq negative", entryJson("{}", prev, "-1", time, type), LedgerException.Code.ENTRY_SEQ_INVALID),
        row("seq null", entryJson("{}", prev, "null", time, type), LedgerException.Code.ENTRY_SEQ_INVALID),
        row("prev upper case", entryJson("{}", "\"" + "AB".repeat(32) + "\"", "1", time, type),
            LedgerException.Code.ENTRY_PREV_INVALID),
        row("prev 63 digits", entryJson("{}", "\"" + "0".repeat(63) + "\"", "1", time, type),
            LedgerException.Code.ENTRY_PREV_INVALID),
        row("prev as number", entryJson("{}", "0", "1", time, type), LedgerException.Code.ENTRY_PREV_INVALID),
        row("time in milliseconds", entryJson("{}", prev, "1", "\"2026-01-01T00:00:00.000Z\"", type),
            LedgerException.Code.ENTRY_TIME_INVALID),
        row("time with nanoseconds", entryJson("{}", prev, "1", "\"2026-01-01T00:00:00.000000000Z\"", type),
            LedgerException.Code.ENTRY_TIME_INVALID),
        row("time with offset", entryJson("{}", prev, "1", "\"2026-01-01T00:00:00.000000+00:00\"", type),
            LedgerException.Code.ENTRY_TIME_INVALID),
        row("time lower-case z", entryJson("{}", prev, "1", "\"2026-01-01T00:00:00.000000z\"", type),
            LedgerException.Code.ENTRY_TIME_INVALID),
        row("time space separator", entryJson("{}", prev, "1", "\"2026-01-01 00:00:00.000000Z\"", type),
            LedgerException.Code.ENTRY_TIME_INVALID),
        row("time February 30", entryJson("{}", prev, "1", "\"2026-02-30T00:00:00.000000Z\"", type),
            LedgerException.Code.ENTRY_TIME_INVALID),
        row("time hour 24", entryJson("{}", prev, "1", "\"2026-01-01T24:00:00.000000Z\"", type),
            LedgerException.Code.ENTRY_TIME_INVALID),
        row("time leap second", entryJson("{}", prev, "1", "\"2016-12-31T23:59:60.000000Z\"", type),
            LedgerException.Code.ENTRY_TIME_INVALID),
        row("time five-digit year", entryJson("{}", prev, "1", "\"+10000-01-01T00:00:00.000000Z\"", type),
            LedgerException.Code.ENTRY_TIME_INVALID),
        row("time as number", entryJson("{}", prev, "1", "0", type), LedgerException.Code.ENTRY_TIME_INVALID),
        row("time February 29 of a common year", entryJson("{}", prev, "1", "\"2027-02-29T00:00:00.000000Z\"", type),
            LedgerException.Code.ENTRY_TIME_INVALID),
        row("time month 13", entryJson("{}", prev, "1", "\"2026-13-01T00:00:00.000000Z\"", type),
            LedgerException.Code.ENTRY_TIME_INVALID),
        row("time day 00", entryJson("{}", prev, "1", "\"2026-01-00T00:00:00.000000Z\"", type),
            LedgerException.Code.ENTRY_TIME_INVALID),
        row("time minute 60", entryJson("{}", prev, "1", "\"2026-01-01T00:60:00.000000Z\"", type),
            LedgerException.Code.ENTRY_TIME_INVALID),
        row("time with a non-ASCII digit", entryJson("{}", prev, "1", "\"2026-01-01T00:00:0\u0661.000000Z\"", type),
            LedgerException.Code.ENTRY_TIME_INVALID),
        row("time with a sign", entryJson("{}", prev, "1", "\"2026-01-01T00:00:00.-00000Z\"", type),
            LedgerException.Code.ENTRY_TIME_INVALID),
        row("type lower case", entryJson("{}", prev, "1", time, "\"registry_created\""),
            LedgerException.Code.ENTRY_TYPE_INVALID),
        row("type starts with digit", entryJson("{}", prev, "1", time, "\"1A\""),
            LedgerException.Code.ENTRY_TYPE_INVALID),
        row("type starts with underscore", entryJson("{}", prev, "1", time, "\"_A\""),
            LedgerException.Code.ENTRY_TYPE_INVALID),
        row("type with dash", entryJson("{}", prev, "1", time, "\"A-B\""), LedgerException.Code.ENTRY_TYPE_INVALID),
        row("type empty", entryJson("{}", prev, "1", time, "\"\""), LedgerException.Code.ENTRY_TYPE_INVALID),
        row("type as list", entryJson("{}", prev, "1", time, "[\"T\"]"), LedgerException.Code.ENTRY_TYPE_INVALID),
        row("data as array", entryJson("[]", prev, "1", time, type), LedgerException.Code.ENTRY_DATA_NOT_OBJECT),
        row("data null", entryJson("null", prev, "1", time, type), LedgerException.Code.ENTRY_DATA_NOT_OBJECT),
        row("seq checked before prev", entryJson("[]", "0", "-1", "0", "\"t\""),
            LedgerException.Code.ENTRY_SEQ_INVALID),
        row("prev checked before time", entryJson("[]", "0", "1", "0", "\"t\""),
            LedgerException.Code.ENTRY_PREV_INVALID),
        row("time checked before type", entryJson("[]", prev, "1", "0", "\"t\""),
            LedgerException.Code.ENTRY_TIME_INVALID),
        row("type checked before data", entryJson("[]", prev, "1", time, "\"t\""),
            LedgerException.Code.ENTRY_TYPE_INVALID));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("undecodable")
  void decodeRejects(String name, byte[] json, LedgerException.Code code) {
    LedgerException e = assertThrows(LedgerException.class, () -> EntryCodec.decode(json));
    assertEquals(code, e.code(), e.getMessage());
  }

  static Stream<Arguments> unconstructable() {
    return Stream.of(
        Arguments.of("negative seq", (Runnable) () -> new LedgerEntry(-1, PREV, T0, "T", Map.of()),
            LedgerException.Code.ENTRY_SEQ_INVALID),
        Arguments.of("seq beyond 2^53-1", (Runnable) () -> new LedgerEntry(1L << 53, PREV, T0, "T", Map.of()),
            LedgerException.Code.ENTRY_SEQ_INVALID),
        Arguments.of("short prev", (Runnable) () -> new LedgerEntry(1, "00", T0, "T", Map.of()),
            LedgerException.Code.ENTRY_PREV_INVALID),
        Arguments.of("lower-case type", (Runnable) () -> new LedgerEntry(1, PREV, T0, "t", Map.of()),
            LedgerException.Code.ENTRY_TYPE_INVALID),
        Arguments.of("year 10000", (Runnable) () -> new LedgerEntry(1, PREV,
            Instant.parse("+10000-01-01T00:00:00Z"), "T", Map.of()), LedgerException.Code.ENTRY_TIME_INVALID),
        Arguments.of("year -1", (Runnable) () -> new LedgerEntry(1, PREV,
            Instant.parse("-0001-12-31T23:59:59Z"), "T", Map.of()), LedgerException.Code.ENTRY_TIME_INVALID),
        Arguments.of("Double in data", (Runnable) () -> EntryCodec.encode(
            new LedgerEntry(1, PREV, T0, "T", Map.of("q", 1.5))), LedgerException.Code.JSON_VALUE_UNSUPPORTED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unconstructable")
  void recordRejects(String name, Runnable make, LedgerException.Code code) {
    assertEquals(code, assertThrows(LedgerException.class, make::run).code());
  }

  @Test
  void dataIsCopiedAndUnmodifiable() {
    java.util.Map<String, Object> data = new java.util.HashMap<>();
    data.put("a", 1L);
    LedgerEntry entry = new LedgerEntry(1, PREV, T0, "T", data);
    data.put("b", 2L);
    assertEquals(Map.of("a", 1L), entry.data());
    assertThrows(UnsupportedOperationException.class, () -> entry.data().put("c", 3L));
  }

  @Property(tries = 200)
  void decodeOfEncodeIsIdentity(@ForAll("entries") LedgerEntry entry) {
    byte[] encoded = EntryCodec.encode(entry);
    assertEquals(entry, EntryCodec.decode(encoded));
    assertArrayEquals(encoded, EntryCodec.encode(EntryCodec.decode(encoded)));
  }

  @Provide
  Arbitrary<LedgerEntry> entries() {
    Arbitrary<Long> seq = Arbitraries.longs().between(0, CanonicalJson.SAFE_INTEGER_MAX);
    Arbitrary<String> prev = Arbitraries.bytes().array(byte[].class).ofSize(32).map(Hex::encode);
    Arbitrary<Instant> time = Arbitraries.longs().between(EntryTime.MIN.getEpochSecond(), EntryTime.MAX.getEpochSecond())
        .flatMap(s -> Arbitraries.integers().between(0, 999_999_999).map(n -> Instant.ofEpochSecond(s, n)));
    Arbitrary<String> type = Arbitraries.strings().withChars("ABCXYZ019_").ofMinLength(0).ofMaxLength(12)
        .map(s -> "Q" + s);
    StringArbitrary text = Arbitraries.strings().alpha().numeric().withChars("\u00e9\u20ac \"\\\n\u0001")
        .ofMaxLength(10);
    Arbitrary<Map<String, Object>> data = Arbitraries.maps(text.ofMaxLength(6),
        Arbitraries.oneOf(text.map(s -> (Object) s),
            Arbitraries.longs().between(-CanonicalJson.SAFE_INTEGER_MAX, CanonicalJson.SAFE_INTEGER_MAX)
                .map(l -> (Object) l),
            Arbitraries.just(List.of()).map(l -> (Object) l))).ofMaxSize(4);
    return Combinators.combine(seq, prev, time, type, data).as(LedgerEntry::new);
  }

  private static Arguments row(String name, String json, LedgerException.Code code) {
    return Arguments.of(name, bytes(json), code);
  }
}
