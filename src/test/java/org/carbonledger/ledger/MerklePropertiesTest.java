package org.carbonledger.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Goal: for trees of up to a few thousand leaves, everything the store would do (append through CompactRange,
 * keep every completed node, plan a proof, fetch its nodes, assemble it) gives exactly the RFC 6962 reference
 * results, every such proof verifies, and one flipped bit breaks it. Method: differential jqwik properties
 * against {@link ReferenceTree}.
 */
class MerklePropertiesTest {

  private static final int SIZE_MAX = 3000;
  private static final List<byte[]> LEAVES = ReferenceTree.leaves(SIZE_MAX);

  /** What the store holds for a tree of the given size: every complete node, as CompactRange emitted it. */
  private static Map<NodeId, byte[]> nodes(int size) {
    CompactRange range = CompactRange.empty();
    Map<NodeId, byte[]> nodes = new HashMap<>();
    for (byte[] leaf : LEAVES.subList(0, size)) {
      for (TreeNode node : range.append(leaf)) {
        assertEquals(null, nodes.put(node.id(), node.hash()), "a node completes only once");
      }
    }
    assertEquals(2L * size - Long.bitCount(size), nodes.size(), "one node per complete subtree");
    return nodes;
  }

  /** Only the nodes the plan asked for, as one query would return them. */
  private static Map<NodeId, byte[]> fetch(Map<NodeId, byte[]> store, List<LeafRange> ranges) {
    Map<NodeId, byte[]> fetched = new HashMap<>();
    for (NodeId id : TreeMath.nodesFor(ranges)) {
      fetched.put(id, store.get(id));
    }
    return fetched;
  }

  @Property(tries = 60)
  void inclusionProofsMatchTheReferenceAndVerify(@ForAll("indexAndSize") int[] indexAndSize,
      @ForAll @IntRange(min = 0, max = 255) int bit) {
    int index = indexAndSize[0];
    int size = indexAndSize[1];
    List<byte[]> tree = LEAVES.subList(0, size);
    Map<NodeId, byte[]> store = nodes(size);
    List<LeafRange> plan = TreeMath.inclusionProofRanges(index, size);
    List<byte[]> proof = SubtreeHashes.proof(plan, fetch(store, plan)::get);
    byte[] root = ReferenceTree.mth(tree);

    assertEquals(MerkleVectorsTest.hex(ReferenceTree.path(index, tree)), MerkleVectorsTest.hex(proof));
    assertArrayEquals(root, SubtreeHashes.root(size, store::get));
    assertArrayEquals(root, SubtreeHashes.root(size,
        fetch(store, List.of(new LeafRange(0, size)))::get), "root from one fetch");
    ProofVerifier.verifyInclusion(tree.get(index), index, size, proof, root);

    assertThrows(LedgerException.class,
        () -> ProofVerifier.verifyInclusion(Corruptions.flip(tree.get(index), bit), index, size, proof, root));
    assertThrows(LedgerException.class,
        () -> ProofVerifier.verifyInclusion(tree.get(index), index, size, proof, Corruptions.flip(root, bit)));
    if (!proof.isEmpty()) {
      int at = bit % proof.size();
      List<byte[]> broken = new ArrayList<>(proof);
      broken.set(at, Corruptions.flip(proof.get(at), bit));
      assertThrows(LedgerException.class,
          () -> ProofVerifier.verifyInclusion(tree.get(index), index, size, broken, root));
    }
  }

  @Property(tries = 60)
  void consistencyProofsMatchTheReferenceAndVerify(@ForAll("oldAndNewSize") int[] sizes,
      @ForAll @IntRange(min = 0, max = 255) int bit) {
    int oldSize = sizes[0];
    int newSize = sizes[1];
    Map<NodeId, byte[]> store = nodes(newSize);
    List<LeafRange> plan = TreeMath.consistencyProofRanges(oldSize, newSize);
    List<byte[]> proof = SubtreeHashes.proof(plan, fetch(store, plan)::get);
    byte[] oldRoot = ReferenceTree.mth(LEAVES.subList(0, oldSize));
    byte[] newRoot = ReferenceTree.mth(LEAVES.subList(0, newSize));

    List<byte[]> expected = oldSize == 0 || oldSize == newSize
        ? List.of() : ReferenceTree.proof(oldSize, LEAVES.subList(0, newSize));
    assertEquals(MerkleVectorsTest.hex(expected), MerkleVectorsTest.hex(proof));
    ProofVerifier.verifyConsistency(oldSize, newSize, oldRoot, newRoot, proof);

    assertThrows(LedgerException.class, () -> ProofVerifier.verifyConsistency(
        oldSize, newSize, Corruptions.flip(oldRoot, bit), newRoot, proof));
    if (0 < oldSize && oldSize < newSize) {
      // From size 0 any well-formed new root is consistent (the empty tree is a prefix of every tree).
      assertThrows(LedgerException.class, () -> ProofVerifier.verifyConsistency(
          oldSize, newSize, oldRoot, Corruptions.flip(newRoot, bit), proof));
    }
    if (!proof.isEmpty()) {
      int at = bit % proof.size();
      List<byte[]> broken = new ArrayList<>(proof);
      broken.set(at, Corruptions.flip(proof.get(at), bit));
      assertThrows(LedgerException.class,
          () -> ProofVerifier.verifyConsistency(oldSize, newSize, oldRoot, newRoot, broken));
    }
  }

  @Property(tries = 40)
  void compactRangeMatchesTheReferenceForRandomBatchesAndRestarts(
      @ForAll @Size(max = 20) List<@IntRange(min = 0, max = 150) Integer> batches) {
    CompactRange range = CompactRange.empty();
    int size = 0;
    for (int batch : batches) {
      for (int i = 0; i < batch && size < SIZE_MAX; i++) {
        range.append(LEAVES.get(size++));
      }
      assertEquals(size, range.size());
      assertArrayEquals(ReferenceTree.mth(LEAVES.subList(0, size)), range.root(), "root at size " + size);
      // A restart: the store reloads the edge from the nodes it holds.
      List<byte[]> edge = new ArrayList<>();
      Map<NodeId, byte[]> store = nodes(size);
      assertEquals(TreeMath.completeSubtrees(0, size), range.nodeIds());
      range.nodeIds().forEach(id -> edge.add(store.get(id)));
      assertEquals(MerkleVectorsTest.hex(edge), MerkleVectorsTest.hex(range.hashes()));
      range = CompactRange.restore(size, edge);
    }
  }

  @Provide
  Arbitrary<int[]> indexAndSize() {
    return sizes(1).flatMap(size -> Arbitraries.integers().between(0, size - 1).map(i -> new int[] {i, size}));
  }

  @Provide
  Arbitrary<int[]> oldAndNewSize() {
    return sizes(0).flatMap(newSize -> Arbitraries.integers().between(0, newSize).map(o -> new int[] {o, newSize}));
  }

  /** Sizes biased towards powers of two and their neighbours, where the tree's edges change shape. */
  private static Arbitrary<Integer> sizes(int min) {
    Arbitrary<Integer> anySize = Arbitraries.integers().between(min, SIZE_MAX);
    Arbitrary<Integer> nearPowerOfTwo = Combinators.combine(Arbitraries.integers().between(0, 11),
        Arbitraries.integers().between(-1, 1)).as((log, delta) -> Math.max(min, (1 << log) + delta));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, anySize), net.jqwik.api.Tuple.of(1, nearPowerOfTwo));
  }
}
