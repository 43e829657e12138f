package org.carbonledger.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Goal: our tree, proofs and verifiers agree with every vector and probe in merkle-vectors.json, and reject
 * systematic corruptions of every valid proof. Method: the eight shared leaves go through CompactRange to get
 * every stored node; roots and proofs are assembled from those nodes exactly as the store would; the 196
 * transparency-dev probes run through the verifiers with their stated outcome (184 rejected, 12 accepted).
 */
class MerkleVectorsTest {

  private static final Map<String, Object> VECTORS = TestVectors.load("merkle-vectors.json");
  private static final List<byte[]> LEAVES = TestVectors.hexList(VECTORS, "leafHashes");
  private static final Map<NodeId, byte[]> NODES = storedNodes(LEAVES);

  /** Every complete subtree of the eight-leaf tree, as CompactRange reports them while appending. */
  private static Map<NodeId, byte[]> storedNodes(List<byte[]> leaves) {
    CompactRange range = CompactRange.empty();
    Map<NodeId, byte[]> nodes = new HashMap<>();
    for (byte[] leaf : leaves) {
      range.append(leaf).forEach(node -> nodes.put(node.id(), node.hash()));
    }
    return nodes;
  }

  @Test
  void everyNodeVectorIsStoredAndNothingElse() {
    List<Map<String, Object>> rows = TestVectors.maps(VECTORS.get("nodes"));
    assertEquals(15, rows.size());
    assertEquals(rows.size(), NODES.size());
    for (Map<String, Object> row : rows) {
      NodeId id = new NodeId((int) TestVectors.number(row, "level"), TestVectors.number(row, "index"));
      assertEquals(TestVectors.string(row, "hash"), Hex.encode(NODES.get(id)), id.toString());
    }
  }

  @TestFactory
  Stream<DynamicTest> roots() {
    return TestVectors.maps(VECTORS.get("roots")).stream().map(row -> {
      long size = TestVectors.number(row, "size");
      return dynamicTest("size " + size, () -> {
        String expected = TestVectors.string(row, "hash");
        assertEquals(expected, Hex.encode(SubtreeHashes.root(size, NODES::get)), "from stored nodes");
        CompactRange range = CompactRange.empty();
        LEAVES.subList(0, (int) size).forEach(range::append);
        assertEquals(expected, Hex.encode(range.root()), "compact range");
        assertEquals(expected, Hex.encode(ReferenceTree.mth(LEAVES.subList(0, (int) size))), "reference");
      });
    });
  }

  @TestFactory
  Stream<DynamicNode> inclusionProofs() {
    List<Map<String, Object>> rows = new ArrayList<>(TestVectors.maps(VECTORS.get("inclusion")));
    rows.addAll(TestVectors.maps(TestVectors.map(VECTORS.get("derived")).get("inclusion")));
    assertEquals(7 + 36, rows.size());
    return rows.stream().map(row -> {
      long index = TestVectors.number(row, "index");
      long size = TestVectors.number(row, "size");
      List<byte[]> path = TestVectors.hexList(row, "path");
      byte[] leaf = LEAVES.get((int) index);
      byte[] root = rootOf(size);
      return DynamicContainer.dynamicContainer("index " + index + " size " + size, Stream.concat(
          Stream.of(dynamicTest("planned proof equals the vector", () -> {
            if (row.containsKey("leafHash")) {
              assertEquals(TestVectors.string(row, "leafHash"), Hex.encode(leaf));
              assertEquals(TestVectors.string(row, "root"), Hex.encode(root));
            }
            List<byte[]> planned = SubtreeHashes.proof(TreeMath.inclusionProofRanges(index, size), NODES::get);
            assertEquals(hex(path), hex(planned));
            assertEquals(hex(path), hex(ReferenceTree.path((int) index, LEAVES.subList(0, (int) size))));
          }), dynamicTest("verifies", () -> ProofVerifier.verifyInclusion(leaf, index, size, path, root))),
          Corruptions.inclusion(leaf, index, size, path, root)));
    });
  }

  @TestFactory
  Stream<DynamicNode> consistencyProofs() {
    List<Map<String, Object>> rows = new ArrayList<>(TestVectors.maps(VECTORS.get("consistency")));
    rows.addAll(TestVectors.maps(TestVectors.map(VECTORS.get("derived")).get("consistency")));
    assertEquals(5 + 36, rows.size());
    return rows.stream().map(row -> {
      long oldSize = TestVectors.number(row, "size1");
      long newSize = TestVectors.number(row, "size2");
      List<byte[]> path = TestVectors.hexList(row, "path");
      byte[] oldRoot = rootOf(oldSize);
      byte[] newRoot = rootOf(newSize);
      return DynamicContainer.dynamicContainer(oldSize + " to " + newSize, Stream.concat(
          Stream.of(dynamicTest("planned proof equals the vector", () -> {
            if (row.containsKey("root1")) {
              assertEquals(TestVectors.string(row, "root1"), Hex.encode(oldRoot));
              assertEquals(TestVectors.string(row, "root2"), Hex.encode(newRoot));
            }
            List<byte[]> planned =
                SubtreeHashes.proof(TreeMath.consistencyProofRanges(oldSize, newSize), NODES::get);
            assertEquals(hex(path), hex(planned));
            if (oldSize < newSize) {
              assertEquals(hex(path), hex(ReferenceTree.proof((int) oldSize, LEAVES.subList(0, (int) newSize))));
            }
          }), dynamicTest("verifies", () -> ProofVerifier.verifyConsistency(oldSize, newSize, oldRoot, newRoot, path))),
          Corruptions.consistency(oldSize, newSize, oldRoot, newRoot, path)));
    });
  }

  @Test
  void probesHaveTheStatedOutcomeCounts() {
    Map<String, Object> probes = TestVectors.map(VECTORS.get("probes"));
    int rejected = 0;
    int accepted = 0;
    List<Map<String, Object>> all = new ArrayList<>(TestVectors.maps(probes.get("inclusion")));
    all.addAll(TestVectors.maps(probes.get("consistency")));
    for (Map<String, Object> probe : all) {
      if (outcome(probe) == Outcome.REJECTED) {
        rejected++;
      } else {
        accepted++;
      }
    }
    assertEquals(196, all.size());
    assertEquals(184, rejected);
    assertEquals(12, accepted);
  }

  @TestFactory
  Stream<DynamicTest> probes() {
    Map<String, Object> probes = TestVectors.map(VECTORS.get("probes"));
    List<Map<String, Object>> all = new ArrayList<>(TestVectors.maps(probes.get("inclusion")));
    all.addAll(TestVectors.maps(probes.get("consistency")));
    Set<String> names = new HashSet<>();
    return all.stream().map(probe -> {
      String file = TestVectors.string(probe, "file");
      assertEquals(true, names.add(file), "probe names are unique");
      Outcome expected = (Boolean) probe.get("wantErr") ? Outcome.REJECTED : Outcome.ACCEPTED;
      return dynamicTest(file, () -> assertEquals(expected, outcome(probe), TestVectors.string(probe, "desc")));
    });
  }

  enum Outcome { ACCEPTED, REJECTED }

  /** Runs one probe through the matching verifier. A LedgerException is a rejection; anything else fails. */
  private static Outcome outcome(Map<String, Object> probe) {
    try {
      if (probe.containsKey("index")) {
        ProofVerifier.verifyInclusion(TestVectors.hex(probe, "leafHash"), TestVectors.number(probe, "index"),
            TestVectors.number(probe, "size"), TestVectors.hexList(probe, "path"), TestVectors.hex(probe, "root"));
      } else {
        ProofVerifier.verifyConsistency(TestVectors.number(probe, "size1"), TestVectors.number(probe, "size2"),
            TestVectors.hex(probe, "root1"), TestVectors.hex(probe, "root2"), TestVectors.hexList(probe, "path"));
      }
      return Outcome.ACCEPTED;
    } catch (LedgerException e) {
      return Outcome.REJECTED;
    }
  }

  @Test
  void anOutOfRangeProbeIndexIsRejectedForTheRightReason() {
    // 2^64-1 in the Go probes is a wrapped -1; here it is a negative index.
    LedgerException e = assertThrows(LedgerException.class,
        () -> ProofVerifier.verifyInclusion(LEAVES.get(0), -1, 8, List.of(), rootOf(8)));
    assertEquals(LedgerException.Code.PROOF_INDEX_OUT_OF_RANGE, e.code());
  }

  private static byte[] rootOf(long size) {
    return SubtreeHashes.root(size, NODES::get);
  }

  static List<String> hex(List<byte[]> hashes) {
    List<String> out = new ArrayList<>();
    hashes.forEach(h -> out.add(Hex.encode(h)));
    return out;
  }

  /** For readers: the node lookup the store passes is a plain function. */
  static Function<NodeId, byte[]> lookup(Map<NodeId, byte[]> nodes) {
    return nodes::get;
  }
}
