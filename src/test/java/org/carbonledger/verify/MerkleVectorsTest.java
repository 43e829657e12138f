package org.carbonledger.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.carbonledger.ledger.Checkpoint;
import org.carbonledger.ledger.HashTile;
import org.carbonledger.ledger.Hex;
import org.carbonledger.ledger.InclusionReceipt;
import org.carbonledger.ledger.TileId;
import org.carbonledger.verify.VerificationException.Code;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * MerkleVectorsTest runs the shared vectors of ../shared/testdata/merkle-vectors.json (upstream and derived)
 * through the verifier. Inclusion: each vector, as a receipt whose checkpoint the test key signs over the
 * vector's size and root, must pass, and each systematic corruption of it (every proof hash bit-flipped, index
 * +-1, size doubled or halved, wrong root, a hash dropped or added) must fail as INCLUSION_PROOF_INVALID.
 * Consistency: the proof {@link TileProofs} builds from a level-0 tile of the vectors' leaf hashes must be the
 * vector's path, hash for hash.
 */
class MerkleVectorsTest {

  private static final Path VECTORS = Path.of("../shared/testdata/merkle-vectors.json");

  /** Vector is one inclusion proof: a leaf at index in the tree of size with root. */
  record Vector(long index, long size, byte[] leafHash, byte[] root, List<byte[]> path) {}

  @TestFactory
  Stream<DynamicTest> inclusionVectors() throws Exception {
    JsonObject json = new JsonObject(Files.readString(VECTORS));
    Map<Long, byte[]> roots = new HashMap<>();
    json.getJsonArray("roots").forEach(r -> roots.put(((JsonObject) r).getLong("size"),
        Hex.decode(((JsonObject) r).getString("hash"))));
    JsonArray leafHashes = json.getJsonArray("leafHashes");
    List<JsonObject> all = new ArrayList<>();
    json.getJsonArray("inclusion").forEach(v -> all.add((JsonObject) v));
    json.getJsonObject("derived").getJsonArray("inclusion").forEach(v -> all.add((JsonObject) v));
    return all.stream().map(v -> {
      long index = v.getLong("index");
      long size = v.getLong("size");
      List<byte[]> path = new ArrayList<>();
      v.getJsonArray("path").forEach(hash -> path.add(Hex.decode((String) hash)));
      Vector vector = new Vector(index, size, Hex.decode(leafHashes.getString((int) index)), roots.get(size), path);
      return DynamicTest.dynamicTest("index " + index + " size " + size, () -> check(vector));
    });
  }

  @TestFactory
  Stream<DynamicTest> consistencyVectors() throws Exception {
    JsonObject json = new JsonObject(Files.readString(VECTORS));
    List<byte[]> leafHashes = new ArrayList<>();
    json.getJsonArray("leafHashes").forEach(hash -> leafHashes.add(Hex.decode((String) hash)));
    List<JsonObject> all = new ArrayList<>();
    json.getJsonArray("consistency").forEach(v -> all.add((JsonObject) v));
    json.getJsonObject("derived").getJsonArray("consistency").forEach(v -> all.add((JsonObject) v));
    return all.stream().map(v -> DynamicTest.dynamicTest("size " + v.getLong("size1") + " to " + v.getLong("size2"),
        () -> {
          int size = v.getInteger("size2");
          TileId tile = new TileId(0, 0, size);
          MemorySource source = new MemorySource(Map.of(tile.path(), HashTile.encode(leafHashes.subList(0, size))));
          List<String> proof;
          try (Fetcher fetcher = new Fetcher(source, size)) {
            proof = new TileProofs(fetcher, size).consistencyProof(v.getLong("size1")).stream().map(Hex::encode).toList();
          }
          assertEquals(v.getJsonArray("path").getList(), proof);
        }));
  }

  private static void check(Vector v) throws Exception {
    ReceiptCheck.Verified verified = ReceiptCheck.forLeafHash(receipt(v.index(), v.size(), v.root(), v.path()),
        TestLog.KEY, v.leafHash());
    assertEquals(v.index(), verified.index());
    assertArrayEquals(v.root(), verified.checkpoint().rootHash());

    for (Map.Entry<String, byte[]> bad : corruptions(v).entrySet()) {
      VerificationException e = assertThrows(VerificationException.class,
          () -> ReceiptCheck.forLeafHash(bad.getValue(), TestLog.KEY, v.leafHash()), bad.getKey());
      assertEquals(Code.INCLUSION_PROOF_INVALID, e.code(), bad.getKey() + ": " + e.getMessage());
    }
  }

  private static Map<String, byte[]> corruptions(Vector v) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (int i = 0; i < v.path().size(); i++) {
      List<byte[]> path = new ArrayList<>(v.path());
      path.set(i, LogVerifierTest.flip(path.get(i), i % 32));
      out.put("proof hash " + i + " flipped", receipt(v.index(), v.size(), v.root(), path));
    }
    out.put("index + 1", receipt(v.index() + 1, v.size(), v.root(), v.path()));
    if (v.index() > 0) {
      out.put("index - 1", receipt(v.index() - 1, v.size(), v.root(), v.path()));
    }
    out.put("size doubled", receipt(v.index(), v.size() * 2, v.root(), v.path()));
    out.put("size halved", receipt(v.index(), v.size() / 2, v.root(), v.path()));
    out.put("wrong root", receipt(v.index(), v.size(), LogVerifierTest.flip(v.root(), 31), v.path()));
    if (!v.path().isEmpty()) {
      out.put("hash dropped", receipt(v.index(), v.size(), v.root(), v.path().subList(0, v.path().size() - 1)));
    }
    List<byte[]> longer = new ArrayList<>(v.path());
    longer.add(v.root());
    out.put("hash added", receipt(v.index(), v.size(), v.root(), longer));
    return out;
  }

  private static byte[] receipt(long index, long size, byte[] root, List<byte[]> path) {
    String checkpoint = TestLog.SIGNER.sign(new Checkpoint(TestLog.ORIGIN, size, root).format());
    return new InclusionReceipt(null, index, path, checkpoint).format().getBytes(StandardCharsets.UTF_8);
  }
}
