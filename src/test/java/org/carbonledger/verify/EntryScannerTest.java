package org.carbonledger.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.carbonledger.ledger.CanonicalJson;
import org.carbonledger.ledger.EntryCodec;
import org.carbonledger.ledger.Hashes;
import org.carbonledger.ledger.Hex;
import org.carbonledger.ledger.LedgerEntry;
import org.carbonledger.ledger.LedgerException;
import org.junit.jupiter.api.Test;

/**
 * EntryScannerTest holds the fast path to its contract against the strict decoder it stands in for: whatever
 * the scanner accepts, {@link EntryCodec#decode} accepts with the expected seq and prev; and on entries whose
 * member names are printable ASCII (every entry the registry writes), it accepts whatever the decoder accepts,
 * so it is not merely safe but used. Each test compares the two on a family of byte strings: valid entries of
 * every JSON shape, every time and date edge, every escape, UTF-8 sequences, integer bounds, and many thousand
 * random mutations of valid entries.
 */
class EntryScannerTest {

  private static final EntryScanner SCANNER = new EntryScanner();
  private static final long SEQ = 41;
  private static final String PREV = Hex.encode(Hashes.sha256("entry 40".getBytes(StandardCharsets.UTF_8)));
  private static final Instant TIME = Instant.parse("2026-03-04T05:06:07.123456Z");

  @Test
  void acceptsValidEntriesOfEveryShape() {
    for (byte[] entry : validEntries()) {
      assertTrue(scannerAccepts(entry), text(entry));
      assertAgrees(entry);
    }
  }

  @Test
  void refusesAnotherSeqOrPrev() {
    byte[] entry = entry(Map.of("n", 1L));
    assertFalse(SCANNER.accepts(entry, 0, entry.length, SEQ + 1, ascii(PREV)));
    assertFalse(SCANNER.accepts(entry, 0, entry.length, SEQ - 1, ascii(PREV)));
    assertFalse(SCANNER.accepts(entry, 0, entry.length, SEQ, ascii("0".repeat(64))));
  }

  @Test
  void withoutAPrevAcceptsAnyAndSaysWhereItIs() {
    byte[] entry = entry(Map.of("n", 1L));
    assertTrue(SCANNER.accepts(entry, 0, entry.length, SEQ, null));
    assertEquals(text(entry).indexOf(PREV), SCANNER.prevAt());
    byte[] otherPrev = ascii(text(entry).replace(PREV, "x".repeat(64)));
    assertTrue(SCANNER.accepts(otherPrev, 0, otherPrev.length, SEQ, null), "the caller compares the prev");
    byte[] shortPrev = ascii(text(entry).replace(PREV, PREV.substring(1)));
    assertFalse(SCANNER.accepts(shortPrev, 0, shortPrev.length, SEQ, null));
  }

  @Test
  void readsTheEntryInPlaceWithinALargerArray() {
    byte[] entry = entry(Map.of("n", 1L));
    byte[] padded = new byte[entry.length + 7];
    System.arraycopy(entry, 0, padded, 3, entry.length);
    padded[3 + entry.length] = ',';
    assertTrue(SCANNER.accepts(padded, 3, entry.length, SEQ, ascii(PREV)));
    assertFalse(SCANNER.accepts(padded, 3, entry.length + 1, SEQ, ascii(PREV)), "a byte after the entry");
    assertFalse(SCANNER.accepts(padded, 3, entry.length - 1, SEQ, ascii(PREV)), "the entry cut short");
  }

  @Test
  void agreesOnTimes() {
    List<String> times = new ArrayList<>();
    for (String year : List.of("0000", "0001", "1900", "2000", "2023", "2024", "2100", "9999", "12a4")) {
      for (int month = 0; month <= 13; month++) {
        for (int day : new int[] {0, 1, 28, 29, 30, 31, 32}) {
          times.add(String.format("%s-%02d-%02dT00:00:00.000000Z", year, month, day));
        }
      }
    }
    times.addAll(List.of("2024-01-01T23:59:59.999999Z", "2024-01-01T24:00:00.000000Z",
        "2024-01-01T23:60:00.000000Z", "2024-01-01T23:59:60.000000Z", "2024-01-01T00:00:00.00000Z",
        "2024-01-01T00:00:00.0000000Z", "2024-01-01T00:00:00Z", "2024-01-01 00:00:00.000000Z",
        "2024-01-01T00:00:00.000000z", "2024-01-01T00:00:00.000000+00:00", "+2024-01-01T00:00:00.000000Z",
        "2024-1-01T00:00:00.000000Z", "2024-01-01T00:00:00,000000Z", "2024-01-01T00:00:00.00000aZ",
        "2024/01/01T00:00:00.000000Z", "2024-01-01T0:00:00.0000000Z", "-001-01-01T00:00:00.000000Z"));
    for (String time : times) {
      assertAgrees(replace(entry(Map.of("n", 1L)), "2026-03-04T05:06:07.123456Z", time));
    }
  }

  @Test
  void agreesOnTypes() {
    for (String type : List.of("A", "Z9_", "UNITS_ISSUED", "a", "_A", "9A", "A-B", "A B", "AÄ", "", "A\\u0000")) {
      assertAgrees(replace(entry(Map.of("n", 1L)), "\"TEST_ENTRY\"", "\"" + type + "\""));
    }
  }

  @Test
  void agreesOnEveryEscape() {
    for (int b = 0; b < 256; b++) {
      assertAgrees(withString(new byte[] {'\\', (byte) b}));
      assertAgrees(withString(new byte[] {(byte) b}));
    }
    String hex = "0123456789abcdefABCDEFg";
    for (char c1 : new char[] {'0', '1', '2', '7', 'f'}) {
      for (char c2 : hex.toCharArray()) {
        assertAgrees(withString(ascii("\\u00" + c1 + c2)));
        assertAgrees(withString(ascii("\\u" + c1 + c2 + "00")));
      }
    }
    assertAgrees(withString(ascii("\\ud83d\\ude00")));
    assertAgrees(withString(ascii("\\u00")));
  }

  @Test
  void agreesOnUtf8() {
    for (int b1 = 0x80; b1 < 0x100; b1++) {
      for (int b2 = 0; b2 < 0x100; b2++) {
        assertAgrees(withString(new byte[] {(byte) b1, (byte) b2}));
      }
    }
    int[] seconds = {0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xff};
    for (int b1 = 0xe0; b1 < 0x100; b1++) {
      for (int b2 : seconds) {
        for (int b3 : seconds) {
          assertAgrees(withString(new byte[] {(byte) b1, (byte) b2, (byte) b3}));
          for (int b4 : new int[] {0x7f, 0x80, 0xbf, 0xc0}) {
            assertAgrees(withString(new byte[] {(byte) b1, (byte) b2, (byte) b3, (byte) b4}));
          }
        }
      }
    }
  }

  @Test
  void agreesOnIntegers() {
    for (String number : List.of("0", "-0", "00", "01", "-01", "7", "-7", "1.0", "1e5", "1E5", "-", "--1", "+1",
        "9007199254740991", "-9007199254740991", "9007199254740992", "-9007199254740992", "9999999999999999",
        "12345678901234567", "99999999999999999999", "1.", "0x10", "Infinity", "NaN")) {
      assertAgrees(replace(entry(Map.of("n", 1L)), "\"n\":1", "\"n\":" + number));
      assertAgrees(replace(entry(Map.of("n", 1L)), "\"n\":1", "\"n\":[" + number + "]"));
    }
    for (String seq : List.of("41", "041", "41.0", "-41", "4.1e1", "\"41\"")) {
      assertAgrees(replace(entry(Map.of("n", 1L)), "\"seq\":41", "\"seq\":" + seq));
    }
  }

  @Test
  void agreesOnMemberOrderAndNames() {
    for (String object : List.of("{\"a\":1,\"b\":2}", "{\"b\":1,\"a\":2}", "{\"a\":1,\"a\":2}", "{\"a\":1,\"ab\":2}",
        "{\"ab\":1,\"a\":2}", "{\"B\":1,\"a\":2}", "{\"\":1,\"a\":2}", "{\"a\":1,}", "{,\"a\":1}", "{\"a\"1}",
        "{\"a\":}", "{\"é\":1}", "{\"a\":1,\"é\":2}", "{\"\\u0001\":1}", "{\"\\\"\":1}",
        "{\"\uE000\":1,\"\uD83D\uDE00\":2}", "{\"\uD83D\uDE00\":1,\"\uE000\":2}", "{}", "{ }", "[]", "[1,]", "[,1]",
        "[1 ,2]", "[true,false,null]", "[tru]", "[nul]", "[True]", "\"x\"", "1", "null")) {
      assertAgrees(replace(entry(Map.of("n", 1L)), "{\"n\":1}", object));
      assertAgrees(replace(entry(Map.of("n", 1L)), "{\"n\":1}", "{\"x\":" + object + "}"));
    }
  }

  @Test
  void agreesOnDepth() {
    for (int depth = 60; depth <= 66; depth++) {
      assertAgrees(replace(entry(Map.of("n", 1L)), "\"n\":1", "\"n\":" + "[".repeat(depth) + "]".repeat(depth)));
      assertAgrees(replace(entry(Map.of("n", 1L)), "\"n\":1", "\"n\":" + "{\"a\":".repeat(depth) + "1"
          + "}".repeat(depth)));
    }
  }

  @Test
  void agreesOnEntryMembers() {
    byte[] entry = entry(Map.of("n", 1L));
    for (String[] edit : new String[][] {{"{\"data\":", "{\"data\" :"}, {"{\"data\":", " {\"data\":"},
        {"\"TEST_ENTRY\"}", "\"TEST_ENTRY\"} "}, {"\"TEST_ENTRY\"}", "\"TEST_ENTRY\",\"z\":1}"},
        {"{\"data\":{\"n\":1},", "{"}, {"{\"data\":{\"n\":1}", "{\"data\":[1]"},
        {"{\"data\":{\"n\":1}", "{\"data\":null"},
        {"\"prev\"", "\"Prev\""}, {"\"time\":\"", "\"time\":\"2\""}, {",\"seq\":41", ",\"seq\":41,\"seq\":41"}}) {
      assertAgrees(replace(entry, edit[0], edit[1]));
    }
    assertAgrees(ascii(text(entry).replace(PREV, PREV.toUpperCase())));
    assertAgrees(ascii(text(entry).replace(PREV, PREV.substring(2))));
  }

  /** Random edits of valid entries: flipped bits, bytes replaced, inserted or removed; thousands of each. */
  @Test
  void agreesOnRandomMutations() {
    Random random = new Random(8);
    byte[] interesting = ascii("{}[]\",:\\-0123456789.eEtfnulrsu \t\nAZ_az");
    List<byte[]> seeds = validEntries();
    for (int round = 0; round < 20_000; round++) {
      byte[] entry = seeds.get(random.nextInt(seeds.size()));
      int edits = 1 + random.nextInt(3);
      for (int e = 0; e < edits; e++) {
        int at = random.nextInt(entry.length);
        byte b = random.nextBoolean() ? interesting[random.nextInt(interesting.length)] : (byte) random.nextInt(256);
        entry = switch (random.nextInt(4)) {
          case 0 -> flip(entry, at, 1 << random.nextInt(8));
          case 1 -> set(entry, at, b);
          case 2 -> insert(entry, at, b);
          default -> remove(entry, at);
        };
      }
      assertAgrees(entry);
    }
  }

  // ---- the oracle ----

  /** The scanner accepts only what the strict decoder accepts, and everything it does when names are ASCII. */
  private static void assertAgrees(byte[] entry) {
    boolean decoderAccepts = decoderAccepts(entry);
    boolean scannerAccepts = scannerAccepts(entry);
    if (scannerAccepts) {
      assertTrue(decoderAccepts, () -> "the scanner accepts what the decoder refuses: " + text(entry));
    } else if (decoderAccepts && namesArePrintableAscii(entry)) {
      assertEquals(decoderAccepts, scannerAccepts, () -> "the scanner leaves a plain entry to the decoder: "
          + text(entry));
    }
  }

  private static boolean scannerAccepts(byte[] entry) {
    byte[] padded = new byte[entry.length + 2];
    System.arraycopy(entry, 0, padded, 1, entry.length);
    padded[0] = '{';
    padded[padded.length - 1] = '}'; // bytes around the entry must not matter
    return SCANNER.accepts(padded, 1, entry.length, SEQ, ascii(PREV));
  }

  private static boolean decoderAccepts(byte[] entry) {
    try {
      LedgerEntry decoded = EntryCodec.decode(entry);
      return decoded.seq() == SEQ && decoded.prev().equals(PREV);
    } catch (LedgerException e) {
      return false;
    }
  }

  /** True if every member name in the (decodable) entry is printable ASCII without escapes. */
  private static boolean namesArePrintableAscii(byte[] entry) {
    return namesArePrintableAscii(CanonicalJson.parse(entry));
  }

  private static boolean namesArePrintableAscii(Object value) {
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> member : map.entrySet()) {
        String name = (String) member.getKey();
        if (!name.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
            || !namesArePrintableAscii(member.getValue())) {
          return false;
        }
      }
    } else if (value instanceof List<?> list) {
      return list.stream().allMatch(EntryScannerTest::namesArePrintableAscii);
    }
    return true;
  }

  // ---- entries ----

  private static List<byte[]> validEntries() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("ranges", List.of(Map.of("end", 2000L, "start", 1001L), Map.of("end", 9007199254740991L, "start", 0L)));
    nested.put("period", Map.of("end", "2024-12-31", "start", "2024-01-01"));
    nested.put("flags", Arrays.asList(true, false, null, List.of(), Map.of()));
    nested.put("negative", -9007199254740991L);
    nested.put("zero", 0L);
    nested.put("text", "quote \" backslash \\ slash / controls \b\f\n\r\t\u0000\u001f\u007f é € \uD83D\uDE00 \uFFFF");
    nested.put("", "empty name");
    nested.put(" ~", "space and tilde");
    // Objects and arrays alternating, as deep as allowed: the entry object is level 1, so data gets the rest.
    Object deep = Map.of("n", 1L);
    for (int levels = 1; levels < CanonicalJson.DEPTH_MAX - 1; levels++) {
      deep = levels % 2 == 0 ? Map.of("d", deep) : List.of(deep);
    }
    List<byte[]> out = new ArrayList<>();
    out.add(entry(Map.of("n", 1L)));
    out.add(entry(Map.of()));
    out.add(entry(nested));
    out.add(entry(castToData(deep)));
    out.add(entry(Map.of("accountId", "A00000001L", "holderName", "Ørsted Åland Ltd", "quantity", 1000L)));
    return out;
  }

  @SuppressWarnings("unchecked") // built above as a map at the outermost level
  private static Map<String, Object> castToData(Object value) {
    return (Map<String, Object>) value;
  }

  private static byte[] entry(Map<String, Object> data) {
    return EntryCodec.encode(new LedgerEntry(SEQ, PREV, TIME, "TEST_ENTRY", data));
  }

  /** An entry whose data holds one string with these bytes between its quotes. */
  private static byte[] withString(byte[] inside) {
    byte[] entry = entry(Map.of("s", "@"));
    int at = text(entry).indexOf("\"@\"") + 1;
    byte[] out = new byte[entry.length - 1 + inside.length];
    System.arraycopy(entry, 0, out, 0, at);
    System.arraycopy(inside, 0, out, at, inside.length);
    System.arraycopy(entry, at + 1, out, at + inside.length, entry.length - at - 1);
    return out;
  }

  private static byte[] replace(byte[] entry, String from, String to) {
    String text = text(entry);
    assertTrue(text.contains(from), text);
    return text.replace(from, to).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] flip(byte[] bytes, int at, int bit) {
    byte[] out = bytes.clone();
    out[at] ^= (byte) bit;
    return out;
  }

  private static byte[] set(byte[] bytes, int at, byte b) {
    byte[] out = bytes.clone();
    out[at] = b;
    return out;
  }

  private static byte[] insert(byte[] bytes, int at, byte b) {
    byte[] out = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, out, 0, at);
    out[at] = b;
    System.arraycopy(bytes, at, out, at + 1, bytes.length - at);
    return out;
  }

  private static byte[] remove(byte[] bytes, int at) {
    byte[] out = new byte[bytes.length - 1];
    System.arraycopy(bytes, 0, out, 0, at);
    System.arraycopy(bytes, at + 1, out, at, bytes.length - at - 1);
    return out;
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
