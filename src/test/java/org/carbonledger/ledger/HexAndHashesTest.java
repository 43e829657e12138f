package org.carbonledger.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Goal: Hex is strict and lossless, and Hashes computes exactly the RFC 6962 leaf, node and empty-tree hashes.
 * Method: the "hasher" and "leaves" vectors of merkle-vectors.json, a table of malformed hex, a round-trip
 * property.
 */
class HexAndHashesTest {

  private static final Map<String, Object> VECTORS = TestVectors.load("merkle-vectors.json");

  @TestFactory
  Stream<DynamicTest> hasherVectors() {
    List<Map<String, Object>> rows = TestVectors.maps(VECTORS.get("hasher"));
    assertEquals(4, rows.size(), "the file has four hasher vectors");
    return rows.stream().map(row -> DynamicTest.dynamicTest(TestVectors.string(row, "name"), () -> {
      String name = TestVectors.string(row, "name");
      String input = TestVectors.string(row, "input");
      byte[] got;
      if (name.equals("emptyRoot")) {
        got = Hashes.emptyRoot();
      } else if (name.startsWith("leafHash")) {
        got = Hashes.leafHash(Hex.decode(input));
      } else {
        String[] parts = input.split("\\|");
        got = Hashes.nodeHash(Hex.decode(parts[0]), Hex.decode(parts[1]));
      }
      assertEquals(TestVectors.string(row, "hash"), Hex.encode(got));
    }));
  }

  @Test
  void leafHashesOfTheEightLeaves() {
    List<Object> leaves = TestVectors.list(VECTORS.get("leaves"));
    List<Object> hashes = TestVectors.list(VECTORS.get("leafHashes"));
    assertEquals(8, leaves.size());
    for (int i = 0; i < leaves.size(); i++) {
      assertEquals(hashes.get(i), Hex.encode(Hashes.leafHash(Hex.decode((String) leaves.get(i)))), "leaf " + i);
    }
  }

  @Test
  void leafAndNodeHashesAreDomainSeparated() {
    byte[] left = Hashes.leafHash(new byte[] {1});
    byte[] right = Hashes.leafHash(new byte[] {2});
    byte[] concatenated = new byte[64];
    System.arraycopy(left, 0, concatenated, 0, 32);
    System.arraycopy(right, 0, concatenated, 32, 32);
    assertFalse(Arrays.equals(Hashes.nodeHash(left, right), Hashes.leafHash(concatenated)));
    assertFalse(Arrays.equals(Hashes.nodeHash(left, right), Hashes.sha256(concatenated)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "empty        | ''   | ''",
    "one byte     | 00   | 00",
    "all digits   | 0123456789abcdef | 0123456789abcdef",
    "high bytes   | ff80 | ff80",
  })
  void hexRoundTrips(String name, String hex, String again) {
    assertEquals(again, Hex.encode(Hex.decode(hex)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "odd length        | abc",
    "upper case        | AB",
    "mixed case        | aB",
    "not hex           | zz",
    "g after digit     | 0g",
    "space             | '0 '",
    "prefix 0x         | 0x00",
    "fullwidth digit   | \uff10\uff10",
  })
  void hexRejects(String name, String hex) {
    LedgerException e = assertThrows(LedgerException.class, () -> Hex.decode(hex));
    assertEquals(LedgerException.Code.HEX_MALFORMED, e.code());
  }

  @Test
  void isLowerHexChecksLengthAndAlphabet() {
    assertTrue(Hex.isLowerHex("00ff", 4));
    assertFalse(Hex.isLowerHex("00ff", 2));
    assertFalse(Hex.isLowerHex("00FF", 4));
  }

  @Property(tries = 200)
  void hexIsLossless(@ForAll byte[] bytes) {
    String hex = Hex.encode(bytes);
    assertEquals(2 * bytes.length, hex.length());
    assertArrayEquals(bytes, Hex.decode(hex));
    assertEquals(hex.toLowerCase(java.util.Locale.ROOT), hex);
  }
}
