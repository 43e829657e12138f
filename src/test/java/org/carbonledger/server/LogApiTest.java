package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import org.carbonledger.ledger.Checkpoint;
import org.carbonledger.ledger.Hashes;
import org.carbonledger.ledger.Hex;
import org.carbonledger.ledger.InclusionReceipt;
import org.carbonledger.ledger.LedgerException;
import org.carbonledger.ledger.NoteVerifier;
import org.carbonledger.ledger.ProofVerifier;
import org.carbonledger.store.TestLedger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LogApiTest reads the log the way a verifier does, over real HTTP: GraphQL entries, proofs and receipts,
 * and the C2SP tlog-tiles endpoints, each checked with the ledger's own verification code.
 */
class LogApiTest {

  private static final int SIZE = 300;
  private static TestServer server;
  private static NoteVerifier logKey;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start("--origin", "registry.test/log");
    for (int i = 1; i < SIZE - 1; i++) {
      server.server.ledger().writer().append(new TestLedger.Note("note " + i));
    }
    TestLedger.await(server.server.ledger().writer().append(new TestLedger.Note("last")));
    logKey = NoteVerifier.parse(server.data("{ log { verifierKey } }", null).getJsonObject("log").getString("verifierKey"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static JsonObject data(String query) throws Exception {
    return server.data(query, null);
  }

  @Test
  void theLogReportsASignedCheckpointOfItsSize() throws Exception {
    JsonObject log = data("{ log { origin verifierKey size checkpoint { treeSize rootHash signedNote signedAt } } }").getJsonObject("log");
    assertEquals("registry.test/log", log.getString("origin"));
    assertEquals(SIZE, log.getLong("size"));
    JsonObject checkpoint = log.getJsonObject("checkpoint");
    Checkpoint opened = Checkpoint.open(checkpoint.getString("signedNote"), logKey, "registry.test/log");
    assertEquals(SIZE, opened.size());
    assertEquals(checkpoint.getString("rootHash"), Hex.encode(opened.rootHash()));
  }

  @Test
  void anEntryCarriesItsExactBytesAndHashes() throws Exception {
    JsonObject entry = data("{ entry(seq: 5) { seq type time leafHash prevHash canonicalJson data } }").getJsonObject("entry");
    byte[] bytes = entry.getString("canonicalJson").getBytes(StandardCharsets.UTF_8);
    assertEquals(entry.getString("leafHash"), Hex.encode(Hashes.leafHash(bytes)));
    JsonObject previous = data("{ entry(seq: 4) { leafHash } }").getJsonObject("entry");
    assertEquals(previous.getString("leafHash"), entry.getString("prevHash"));
    assertEquals("TEST_NOTE", entry.getString("type"));
    assertEquals("note 5", entry.getJsonObject("data").getString("text"));
    assertTrue(entry.getString("canonicalJson").contains("\"time\":\"" + entry.getString("time") + "\""),
        "the API's time is the entry's time to the microsecond");
    assertNull(data("{ entry(seq: 100000) { seq } }").getValue("entry"));
  }

  @Test
  void entriesPageWithCursorsThatSurviveAppends() throws Exception {
    List<Long> seqs = new ArrayList<>();
    String after = null;
    do {
      JsonObject page = server.data("query($after: String) { entries(first: 128, after: $after) { edges { cursor node { seq } } pageInfo { hasNextPage endCursor } } }",
          new JsonObject().put("after", after)).getJsonObject("entries");
      page.getJsonArray("edges").forEach(edge -> seqs.add(((JsonObject) edge).getJsonObject("node").getLong("seq")));
      JsonObject info = page.getJsonObject("pageInfo");
      after = info.getBoolean("hasNextPage") ? info.getString("endCursor") : null;
    } while (after != null);
    assertEquals(SIZE, seqs.size());
    for (int i = 0; i < SIZE; i++) {
      assertEquals(i, seqs.get(i));
    }
    assertEquals("BAD_USER_INPUT", server.errorCode("{ entries(after: \"garbage\") { pageInfo { hasNextPage } } }", null));
    // Cursors we never wrote, that decode to a key: a plus sign or another script's digits in a position, and
    // U+0000 or an invalid byte hidden in a text key (PostgreSQL would refuse U+0000 as a fault, not as input).
    record Forged(String list, String key) {}
    for (Forged forged : List.of(new Forged("entries", "entry:+1"), new Forged("entries", "entry:\u0663"),
        new Forged("projects", "project:\u0000abc"), new Forged("projects", "project:a\u0001"))) {
      String cursor = Base64.getUrlEncoder().encodeToString(forged.key().getBytes(StandardCharsets.UTF_8));
      assertEquals("BAD_USER_INPUT", server.errorCode("query($after: String) { " + forged.list()
          + "(after: $after) { pageInfo { hasNextPage } } }", new JsonObject().put("after", cursor)), forged.key());
    }
    String invalidUtf8 = Base64.getUrlEncoder().encodeToString(new byte[] {'p', 'r', 'o', 'j', 'e', 'c', 't', ':', (byte) 0xff});
    assertEquals("BAD_USER_INPUT", server.errorCode("query($after: String) { projects(after: $after) { pageInfo { hasNextPage } } }",
        new JsonObject().put("after", invalidUtf8)));
    assertEquals("PAGE_SIZE_TOO_LARGE", server.errorCode("{ entries(first: 1001) { pageInfo { hasNextPage } } }", null));
  }

  @Test
  void entriesFilterByTypeAndTime() throws Exception {
    JsonObject created = server.data("{ entries(first: 5, filter: {types: [\"REGISTRY_CREATED\"]}) { edges { node { seq time } } } }", null)
        .getJsonObject("entries");
    assertEquals(1, created.getJsonArray("edges").size());
    String time0 = created.getJsonArray("edges").getJsonObject(0).getJsonObject("node").getString("time");
    JsonObject notes = server.data("{ entries(first: 3, filter: {types: [\"TEST_NOTE\"]}) { edges { node { seq type } } } }", null)
        .getJsonObject("entries");
    assertEquals(1, notes.getJsonArray("edges").getJsonObject(0).getJsonObject("node").getLong("seq"));
    JsonObject before = server.data("query($to: DateTime) { entries(filter: {to: $to}) { edges { node { seq } } } }",
        new JsonObject().put("to", time0)).getJsonObject("entries");
    assertEquals(0, before.getJsonArray("edges").size(), "nothing was sequenced before entry 0");
    JsonObject since = server.data("query($from: DateTime) { entries(first: 500, filter: {from: $from}) { edges { node { seq } } } }",
        new JsonObject().put("from", time0)).getJsonObject("entries");
    assertEquals(SIZE, since.getJsonArray("edges").size());
    // A tenth of a microsecond after entry 0's time (entry times are whole microseconds) is after entry 0.
    String justAfter = time0.replace("Z", "1Z");
    JsonArray toJustAfter = server.data("query($to: DateTime) { entries(filter: {to: $to}) { edges { node { seq } } } }",
        new JsonObject().put("to", justAfter)).getJsonObject("entries").getJsonArray("edges");
    assertEquals(0, toJustAfter.getJsonObject(0).getJsonObject("node").getLong("seq"), "entry 0 is before " + justAfter);
    JsonArray fromJustAfter = server.data("query($from: DateTime) { entries(first: 500, filter: {from: $from}) { edges { node { seq } } } }",
        new JsonObject().put("from", justAfter)).getJsonObject("entries").getJsonArray("edges");
    assertTrue(fromJustAfter.isEmpty() || fromJustAfter.getJsonObject(0).getJsonObject("node").getLong("seq") > 0,
        "entry 0 is not at or after " + justAfter);
  }

  @Test
  void inclusionAndConsistencyProofsVerify() throws Exception {
    JsonObject inclusion = data("{ inclusionProof(seq: 123, treeSize: 257) { seq treeSize leafHash path rootHash checkpoint { treeSize } } }")
        .getJsonObject("inclusionProof");
    List<byte[]> path = hashes(inclusion.getJsonArray("path"));
    ProofVerifier.verifyInclusion(Hex.decode(inclusion.getString("leafHash")), 123, 257, path, Hex.decode(inclusion.getString("rootHash")));
    JsonObject signedAt257 = inclusion.getJsonObject("checkpoint");
    assertTrue(signedAt257 == null || signedAt257.getLong("treeSize") == 257, "a checkpoint of that size or none: " + signedAt257);

    JsonObject latest = data("{ inclusionProof(seq: 0) { treeSize rootHash checkpoint { treeSize rootHash } } }").getJsonObject("inclusionProof");
    assertEquals(SIZE, latest.getLong("treeSize"));
    assertEquals(latest.getString("rootHash"), latest.getJsonObject("checkpoint").getString("rootHash"));

    JsonObject consistency = data("{ consistencyProof(oldSize: 100) { oldSize newSize path oldRootHash newRootHash checkpoint { treeSize rootHash } } }")
        .getJsonObject("consistencyProof");
    assertEquals(SIZE, consistency.getJsonObject("checkpoint").getLong("treeSize"));
    assertEquals(consistency.getString("newRootHash"), consistency.getJsonObject("checkpoint").getString("rootHash"));
    ProofVerifier.verifyConsistency(100, SIZE, Hex.decode(consistency.getString("oldRootHash")),
        Hex.decode(consistency.getString("newRootHash")), hashes(consistency.getJsonArray("path")));
    byte[] wrongOldRoot = Hex.decode(inclusion.getString("rootHash"));
    assertThrows(LedgerException.class, () -> ProofVerifier.verifyConsistency(100, SIZE, wrongOldRoot,
        Hex.decode(consistency.getString("newRootHash")), hashes(consistency.getJsonArray("path"))));
  }

  @Test
  void proofRequestsOutsideTheSignedTreeHaveCodes() throws Exception {
    assertEquals("SEQ_NOT_IN_TREE", server.errorCode("{ inclusionProof(seq: 10, treeSize: 10) { seq } }", null));
    assertEquals("TREE_SIZE_BEYOND_LOG", server.errorCode("{ inclusionProof(seq: 1, treeSize: 100000) { seq } }", null));
    assertEquals("TREE_SIZES_OUT_OF_ORDER", server.errorCode("{ consistencyProof(oldSize: 20, newSize: 10) { path } }", null));
    assertEquals("BAD_USER_INPUT", server.errorCode("{ consistencyProof(oldSize: -1) { path } }", null));
    assertEquals("SEQ_NOT_IN_TREE", server.errorCode("{ receipt(seq: 100000) { seq } }", null));
  }

  @Test
  void aReceiptChecksOfflineAndFailsForAnotherEntry() throws Exception {
    JsonObject receipt = data("{ receipt(seq: 42) { seq leafHash tlogProof checkpoint { treeSize } } }").getJsonObject("receipt");
    byte[] entryBytes = data("{ entry(seq: 42) { canonicalJson } }").getJsonObject("entry").getString("canonicalJson").getBytes(StandardCharsets.UTF_8);
    InclusionReceipt parsed = InclusionReceipt.parse(receipt.getString("tlogProof"));
    assertEquals(42, parsed.index());
    Checkpoint checkpoint = parsed.verifyEntry(entryBytes, "registry.test/log", logKey);
    assertEquals(receipt.getJsonObject("checkpoint").getLong("treeSize"), checkpoint.size());
    byte[] otherEntry = data("{ entry(seq: 43) { canonicalJson } }").getJsonObject("entry").getString("canonicalJson").getBytes(StandardCharsets.UTF_8);
    assertThrows(LedgerException.class, () -> parsed.verifyEntry(otherEntry, "registry.test/log", logKey));
  }

  @Test
  void tlogTilesEndpointsServeTheLog() throws Exception {
    HttpResponse<String> checkpoint = server.send(server.request("/log/checkpoint").GET());
    assertEquals(200, checkpoint.statusCode());
    assertEquals(SIZE, Checkpoint.open(checkpoint.body(), logKey, "registry.test/log").size());
    assertEquals("no-cache", checkpoint.headers().firstValue("Cache-Control").orElseThrow());
    assertEquals(logKey.vkey() + "\n", server.send(server.request("/log/key").GET()).body());

    HttpResponse<byte[]> tile = server.sendForBytes(server.request("/log/tile/0/000").GET());
    assertEquals(200, tile.statusCode());
    assertEquals(256 * 32, tile.body().length);
    assertTrue(tile.headers().firstValue("Cache-Control").orElseThrow().contains("immutable"));
    byte[] entry5 = data("{ entry(seq: 5) { leafHash } }").getJsonObject("entry").getString("leafHash").transform(Hex::decode);
    assertArrayEquals(entry5, java.util.Arrays.copyOfRange(tile.body(), 5 * 32, 6 * 32));

    HttpResponse<byte[]> bundle = server.sendForBytes(server.request("/log/tile/entries/001.p/44").GET());
    assertEquals(200, bundle.statusCode());
    HttpResponse<byte[]> level1 = server.sendForBytes(server.request("/log/tile/1/000.p/1").GET());
    assertEquals(32, level1.body().length);

    record Case(String path, int status) {}
    for (Case c : new Case[] {
        new Case("/log/tile/0/001", 404), new Case("/log/tile/0/001.p/45", 404), new Case("/log/tile/entries/002.p/1", 404),
        new Case("/log/tile/1/000", 404), new Case("/log/tile/0/1", 400), new Case("/log/tile/0/000.p/0", 400),
        new Case("/log/tile/0/000.p/256", 400), new Case("/log/tile/64/000", 400), new Case("/log/tile/x/000", 400),
        new Case("/log/tile/0/x000/001", 400), new Case("/log/tile/0/x999/x999/x999/x999/x999/x999/x999/999", 400)}) {
      HttpResponse<String> response = server.send(server.request(c.path()).GET());
      assertEquals(c.status(), response.statusCode(), c.path() + ": " + response.body());
      assertFalse(response.body().contains("Exception"), c.path());
    }
  }

  private static List<byte[]> hashes(JsonArray hex) {
    List<byte[]> out = new ArrayList<>();
    hex.forEach(value -> out.add(Hex.decode((String) value)));
    return out;
  }
}
