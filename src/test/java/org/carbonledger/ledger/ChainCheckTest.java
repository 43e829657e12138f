package org.carbonledger.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Goal: ChainCheck accepts exactly an unbroken hash chain from seq 0 and names the first bad seq and the
 * reason. Method: a valid five-entry chain, then one row per way to break it.
 */
class ChainCheckTest {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** A valid chain of count entries, as bytes. */
  static List<byte[]> chain(int count) {
    List<byte[]> out = new ArrayList<>();
    String prev = LedgerEntry.ZERO_HASH_HEX;
    for (int seq = 0; seq < count; seq++) {
      byte[] bytes = EntryCodec.encode(new LedgerEntry(seq, prev, T0.plusSeconds(seq), "STEP", Map.of("n", (long) seq)));
      out.add(bytes);
      prev = Hex.encode(Hashes.leafHash(bytes));
    }
    return out;
  }

  static byte[] entry(long seq, String prev) {
    return EntryCodec.encode(new LedgerEntry(seq, prev, T0, "STEP", Map.of()));
  }

  @Test
  void acceptsAValidChain() {
    List<byte[]> entries = chain(5);
    ChainCheck check = ChainCheck.fromStart();
    assertNull(check.lastLeafHash());
    for (int i = 0; i < entries.size(); i++) {
      assertEquals(i, check.append(entries.get(i)).seq());
    }
    assertEquals(5, check.nextSeq());
    assertArrayEquals(Hashes.leafHash(entries.get(4)), check.lastLeafHash());
  }

  @Test
  void resumesAfterATrustedEntry() {
    List<byte[]> entries = chain(5);
    ChainCheck check = ChainCheck.after(2, Hashes.leafHash(entries.get(2)));
    check.append(entries.get(3));
    check.append(entries.get(4));
    assertEquals(5, check.nextSeq());
    ChainCheck wrong = ChainCheck.after(2, Hashes.leafHash(entries.get(1)));
    assertEquals(LedgerException.Code.CHAIN_PREV_MISMATCH,
        assertThrows(ChainBreakException.class, () -> wrong.append(entries.get(3))).code());
  }

  static Stream<Arguments> breaks() {
    return Stream.of(
        Arguments.of("entry 0 with seq 1", edit(list -> {
          list.set(0, entry(1, LedgerEntry.ZERO_HASH_HEX));
          return list;
        }), 0L, LedgerException.Code.CHAIN_SEQ_NOT_NEXT),
        Arguments.of("entry 0 with non-zero prev", edit(list -> {
          list.set(0, entry(0, "11".repeat(32)));
          return list;
        }), 0L, LedgerException.Code.CHAIN_PREV_MISMATCH),
        Arguments.of("entry 3 missing", edit(list -> {
          list.remove(3);
          return list;
        }), 3L, LedgerException.Code.CHAIN_SEQ_NOT_NEXT),
        Arguments.of("entry 1 repeated", edit(list -> {
          list.add(2, list.get(1));
          return list;
        }), 2L, LedgerException.Code.CHAIN_SEQ_NOT_NEXT),
        Arguments.of("entries 2 and 3 swapped", edit(list -> {
          byte[] two = list.get(2);
          list.set(2, list.get(3));
          list.set(3, two);
          return list;
        }), 2L, LedgerException.Code.CHAIN_SEQ_NOT_NEXT),
        Arguments.of("entry 2 links to entry 0", edit(list -> {
          list.set(2, entry(2, Hex.encode(Hashes.leafHash(list.get(0)))));
          return list;
        }), 2L, LedgerException.Code.CHAIN_PREV_MISMATCH),
        Arguments.of("entry 1 rewritten, so entry 2 no longer links", edit(list -> {
          list.set(1, entry(1, Hex.encode(Hashes.leafHash(list.get(0)))));
          return list;
        }), 2L, LedgerException.Code.CHAIN_PREV_MISMATCH),
        Arguments.of("entry 4 not canonical", edit(list -> {
          list.set(4, (" " + new String(list.get(4), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
          return list;
        }), 4L, LedgerException.Code.ENTRY_NOT_CANONICAL),
        Arguments.of("entry 1 garbage", edit(list -> {
          list.set(1, new byte[] {1, 2, 3});
          return list;
        }), 1L, LedgerException.Code.JSON_MALFORMED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("breaks")
  void reportsTheFirstBreak(String name, List<byte[]> entries, long badSeq, LedgerException.Code code) {
    ChainCheck check = ChainCheck.fromStart();
    ChainBreakException failure = null;
    for (byte[] entry : entries) {
      try {
        check.append(entry);
      } catch (ChainBreakException e) {
        failure = e;
        break;
      }
    }
    if (failure == null) {
      throw new AssertionError("chain was accepted");
    }
    assertEquals(badSeq, failure.seq());
    assertEquals(code, failure.code());
    // The check stays failed: nothing after the break is accepted.
    assertThrows(IllegalStateException.class, () -> check.append(entries.get(0)));
  }

  private static List<byte[]> edit(UnaryOperator<List<byte[]>> change) {
    return change.apply(new ArrayList<>(chain(5)));
  }
}
