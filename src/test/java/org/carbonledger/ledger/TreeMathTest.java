package org.carbonledger.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Goal: TreeMath decomposes ranges and plans proofs exactly as RFC 6962 defines them, with the documented edge
 * rules. Method: hand-checked tables, the edge rules one row each, and a property for the decomposition's
 * invariants at sizes up to 2^62. Differential tests against the reference tree are in MerklePropertiesTest.
 */
class TreeMathTest {

  static Stream<Arguments> decompositions() {
    return Stream.of(
        Arguments.of(0L, 0L, ""),
        Arguments.of(0L, 1L, "0/0"),
        Arguments.of(0L, 7L, "2/0 1/2 0/6"),
        Arguments.of(0L, 8L, "3/0"),
        Arguments.of(3L, 8L, "0/3 2/1"),
        Arguments.of(5L, 13L, "0/5 1/3 2/2 0/12"),
        Arguments.of(6L, 7L, "0/6"),
        Arguments.of(4L, 4L, ""),
        Arguments.of(12L, 16L, "2/3"),
        Arguments.of(1L << 40, (1L << 40) + 3, "1/" + (1L << 39) + " 0/" + ((1L << 40) + 2)));
  }

  @ParameterizedTest(name = "[{0}, {1})")
  @MethodSource("decompositions")
  void completeSubtrees(long begin, long end, String expected) {
    assertEquals(expected, text(TreeMath.completeSubtrees(begin, end)));
  }

  @Test
  void largeDecompositionsHaveTheExpectedShape() {
    // [1, 2^62): one subtree at each level 0..61, growing to the right.
    List<NodeId> ids = TreeMath.completeSubtrees(1, 1L << 62);
    assertEquals(62, ids.size());
    for (int level = 0; level < 62; level++) {
      assertEquals(new NodeId(level, 1), ids.get(level));
    }
    // [0, 2^63-1): the 63 set bits of the size, largest first.
    assertEquals(63, TreeMath.completeSubtrees(0, Long.MAX_VALUE).size());
    assertEquals(new NodeId(62, 0), TreeMath.completeSubtrees(0, Long.MAX_VALUE).get(0));
  }

  @Property(tries = 300)
  void decompositionCoversTheRangeWithMaximalAlignedSubtrees(
      @ForAll @LongRange(min = 0, max = 1L << 62) long a, @ForAll @LongRange(min = 0, max = 1L << 62) long b) {
    long begin = Math.min(a, b);
    long end = Math.max(a, b);
    long at = begin;
    List<NodeId> ids = TreeMath.completeSubtrees(begin, end);
    for (NodeId id : ids) {
      assertEquals(at, id.leafBegin(), "contiguous");
      at = id.leafEnd();
      // Maximal: the parent would stick out of the range.
      if (id.level() < NodeId.LEVEL_MAX && id.index() / 2 < (Long.MAX_VALUE >> (id.level() + 1))) {
        NodeId parent = new NodeId(id.level() + 1, id.index() / 2);
        assertTrue(parent.leafBegin() < begin || parent.leafEnd() > end, "not maximal: " + id);
      }
    }
    assertEquals(end, at, "covers the range");
    assertTrue(ids.size() <= 2 * 63);
  }

  static Stream<Arguments> inclusionPlans() {
    return Stream.of(
        Arguments.of(0L, 1L, ""),
        Arguments.of(0L, 2L, "[1,2)"),
        Arguments.of(1L, 2L, "[0,1)"),
        Arguments.of(2L, 3L, "[0,2)"),
        Arguments.of(0L, 3L, "[1,2) [2,3)"),
        Arguments.of(5L, 8L, "[4,5) [6,8) [0,4)"),
        Arguments.of(4L, 5L, "[0,4)"),
        Arguments.of(6L, 7L, "[4,6) [0,4)"),
        Arguments.of(0L, 7L, "[1,2) [2,4) [4,7)"));
  }

  @ParameterizedTest(name = "index {0} in size {1}")
  @MethodSource("inclusionPlans")
  void inclusionProofRanges(long index, long size, String expected) {
    assertEquals(expected, rangesText(TreeMath.inclusionProofRanges(index, size)));
  }

  static Stream<Arguments> consistencyPlans() {
    return Stream.of(
        Arguments.of(0L, 0L, ""),
        Arguments.of(0L, 5L, ""),
        Arguments.of(3L, 3L, ""),
        Arguments.of(1L, 2L, "[1,2)"),
        Arguments.of(1L, 8L, "[1,2) [2,4) [4,8)"),
        Arguments.of(2L, 5L, "[2,4) [4,5)"),
        Arguments.of(3L, 7L, "[2,3) [3,4) [0,2) [4,7)"),
        Arguments.of(4L, 7L, "[4,7)"),
        Arguments.of(6L, 8L, "[4,6) [6,8) [0,4)"),
        Arguments.of(6L, 7L, "[4,6) [6,7) [0,4)"));
  }

  @ParameterizedTest(name = "{0} to {1}")
  @MethodSource("consistencyPlans")
  void consistencyProofRanges(long oldSize, long newSize, String expected) {
    assertEquals(expected, rangesText(TreeMath.consistencyProofRanges(oldSize, newSize)));
  }

  static Stream<Arguments> badRequests() {
    return Stream.of(
        Arguments.of("inclusion in the empty tree", (Runnable) () -> TreeMath.inclusionProofRanges(0, 0),
            LedgerException.Code.PROOF_INDEX_OUT_OF_RANGE),
        Arguments.of("inclusion at index == size", (Runnable) () -> TreeMath.inclusionProofRanges(3, 3),
            LedgerException.Code.PROOF_INDEX_OUT_OF_RANGE),
        Arguments.of("inclusion at a negative index", (Runnable) () -> TreeMath.inclusionProofRanges(-1, 3),
            LedgerException.Code.PROOF_INDEX_OUT_OF_RANGE),
        Arguments.of("consistency from a larger size", (Runnable) () -> TreeMath.consistencyProofRanges(4, 3),
            LedgerException.Code.PROOF_SIZES_OUT_OF_ORDER),
        Arguments.of("consistency from a negative size", (Runnable) () -> TreeMath.consistencyProofRanges(-1, 3),
            LedgerException.Code.PROOF_SIZES_OUT_OF_ORDER));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void refusesImpossibleProofs(String name, Runnable plan, LedgerException.Code code) {
    assertEquals(code, assertThrows(LedgerException.class, plan::run).code());
  }

  @Test
  void nodesForDeduplicatesInFirstUseOrder() {
    List<LeafRange> ranges = List.of(new LeafRange(0, 4), new LeafRange(4, 7), new LeafRange(0, 4));
    assertEquals("2/0 1/2 0/6", text(new ArrayList<>(TreeMath.nodesFor(ranges))));
  }

  @Test
  void nodeIdAndLeafRangeRefuseImpossibleValues() {
    assertThrows(IllegalArgumentException.class, () -> new NodeId(-1, 0));
    assertThrows(IllegalArgumentException.class, () -> new NodeId(63, 0));
    assertThrows(IllegalArgumentException.class, () -> new NodeId(0, -1));
    assertThrows(IllegalArgumentException.class, () -> new NodeId(1, Long.MAX_VALUE >> 1));
    assertEquals((1L << 62), new NodeId(62, 0).leafEnd());
    assertEquals(Long.MAX_VALUE - 1, new NodeId(0, Long.MAX_VALUE - 2).leafEnd());
    assertThrows(IllegalArgumentException.class, () -> new LeafRange(3, 3));
    assertThrows(IllegalArgumentException.class, () -> new LeafRange(-1, 3));
  }

  @Test
  void rangeHashRefusesRangesThatAreNotRfc6962Subtrees() {
    assertTrue(SubtreeHashes.isRfc6962Subtree(new LeafRange(4, 7)));
    assertTrue(SubtreeHashes.isRfc6962Subtree(new LeafRange(0, 7)));
    assertFalse(SubtreeHashes.isRfc6962Subtree(new LeafRange(2, 5)));
    assertFalse(SubtreeHashes.isRfc6962Subtree(new LeafRange(1, 3)));
    assertThrows(IllegalArgumentException.class,
        () -> SubtreeHashes.rangeHash(new LeafRange(2, 5), id -> new byte[32]));
    assertThrows(IllegalArgumentException.class,
        () -> SubtreeHashes.rangeHash(new LeafRange(0, 2), id -> null), "a node that was not fetched");
  }

  static String text(List<NodeId> ids) {
    List<String> parts = new ArrayList<>();
    ids.forEach(id -> parts.add(id.level() + "/" + id.index()));
    return String.join(" ", parts);
  }

  static String rangesText(List<LeafRange> ranges) {
    List<String> parts = new ArrayList<>();
    ranges.forEach(r -> parts.add("[" + r.begin() + "," + r.end() + ")"));
    return String.join(" ", parts);
  }
}
