package org.carbonledger.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Goal: CompactRange reports each completed node exactly once, in order, and survives a restore. Method:
 * explicit append sequences over the shared leaves, and each precondition.
 */
class CompactRangeTest {

  private static final List<byte[]> LEAVES = ReferenceTree.leaves(8);

  @Test
  void emptyRangeHasTheEmptyRoot() {
    CompactRange range = CompactRange.empty();
    assertEquals(0, range.size());
    assertArrayEquals(Hashes.emptyRoot(), range.root());
    assertEquals(List.of(), range.nodeIds());
  }

  @Test
  void appendReportsTheLeafThenEachNewParent() {
    CompactRange range = CompactRange.empty();
    List<String> reported = new ArrayList<>();
    for (byte[] leaf : LEAVES) {
      List<String> step = new ArrayList<>();
      range.append(leaf).forEach(node -> step.add(node.id().level() + "/" + node.id().index()));
      reported.add(String.join(" ", step));
    }
    assertEquals(List.of("0/0", "0/1 1/0", "0/2", "0/3 1/1 2/0", "0/4", "0/5 1/2", "0/6", "0/7 1/3 2/1 3/0"),
        reported);
  }

  @Test
  void reportedParentsHashTheirChildren() {
    CompactRange range = CompactRange.empty();
    range.append(LEAVES.get(0));
    List<TreeNode> second = range.append(LEAVES.get(1));
    assertArrayEquals(LEAVES.get(1), second.get(0).hash());
    assertArrayEquals(Hashes.nodeHash(LEAVES.get(0), LEAVES.get(1)), second.get(1).hash());
    assertEquals(second.get(1).hash().length, 32);
  }

  @Test
  void restoreContinuesWhereTheStoreLeftOff() {
    CompactRange original = CompactRange.empty();
    LEAVES.subList(0, 5).forEach(original::append);
    CompactRange restored = CompactRange.restore(5, original.hashes());
    assertEquals(TreeMath.completeSubtrees(0, 5), restored.nodeIds());
    for (byte[] leaf : LEAVES.subList(5, 8)) {
      assertEquals(original.append(leaf), restored.append(leaf));
    }
    assertArrayEquals(ReferenceTree.mth(LEAVES), restored.root());
  }

  @Test
  void refusesBadInput() {
    assertThrows(IllegalArgumentException.class, () -> CompactRange.restore(5, List.of(new byte[32])),
        "size 5 has two edge subtrees");
    assertThrows(IllegalArgumentException.class, () -> CompactRange.restore(1, List.of(new byte[31])));
    assertThrows(IllegalArgumentException.class, () -> CompactRange.restore(-1, List.of()));
    assertThrows(IllegalArgumentException.class, () -> CompactRange.empty().append(new byte[33]));
  }

  @Test
  void hashesAreCopies() {
    CompactRange range = CompactRange.empty();
    range.append(LEAVES.get(0));
    range.hashes().get(0)[0] ^= 1;
    range.root()[0] ^= 1;
    assertArrayEquals(LEAVES.get(0), range.root());
    byte[] leaf = LEAVES.get(1).clone();
    TreeNode node = range.append(leaf).get(0);
    leaf[0] ^= 1;
    node.hash()[0] ^= 1;
    assertArrayEquals(LEAVES.get(1), node.hash());
  }
}
