package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.carbonledger.ledger.Hashes;
import org.carbonledger.ledger.Hex;
import org.carbonledger.store.TestDatabases;
import org.carbonledger.store.TestLedger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ProofCheckpointsTest: a proof carries the checkpoint signed at its size, however the query selects it, and
 * none for a size the log never signed; the edge sizes of consistency proofs answer. Method: entries appended
 * one batch each (so every size up to 8 has a checkpoint), then a burst that shares batches (so some sizes
 * have none), through a real server.
 */
class ProofCheckpointsTest {

  private static TestServer server;
  private static long size;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start("--origin", "registry.test/log");
    for (int i = 0; i < 8; i++) {
      TestLedger.await(server.server.ledger().writer().append(new TestLedger.Note("one batch " + i)));
    }
    for (int i = 0; i < 40; i++) {
      server.server.ledger().writer().append(new TestLedger.Note("burst " + i));
    }
    TestLedger.await(server.server.ledger().writer().append(new TestLedger.Note("last")));
    size = server.data("{ log { size } }", null).getJsonObject("log").getLong("size");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "checkpoint { treeSize rootHash }",
      "signed: checkpoint { treeSize rootHash }",
      "...Signed",
      "... on InclusionProof { checkpoint { treeSize rootHash } }"})
  void aProofBelowTheLatestSizeCarriesTheCheckpointSignedAtItsSize(String selection) throws Exception {
    String query = "{ inclusionProof(seq: 1, treeSize: 5) { rootHash " + selection + " } }"
        + (selection.equals("...Signed") ? " fragment Signed on InclusionProof { checkpoint { treeSize rootHash } }" : "");
    JsonObject proof = server.data(query, null).getJsonObject("inclusionProof");
    JsonObject checkpoint = proof.getJsonObject(selection.startsWith("signed:") ? "signed" : "checkpoint");
    assertEquals(5, checkpoint.getLong("treeSize"), query);
    assertEquals(proof.getString("rootHash"), checkpoint.getString("rootHash"), query);
  }

  @Test
  void aSizeTheLogNeverSignedHasNoCheckpoint() throws Exception {
    long unsigned;
    try (Connection connection = TestDatabases.jdbc(server.database); Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("SELECT min(g) FROM generate_series(1, " + size + ") g"
             + " WHERE g NOT IN (SELECT tree_size FROM checkpoints)")) {
      rows.next();
      unsigned = rows.getLong(1);
    }
    assertTrue(unsigned > 8, "the burst shared batches, so some size has no checkpoint (size " + size + ")");
    assertNull(server.data("{ inclusionProof(seq: 0, treeSize: " + unsigned + ") { rootHash checkpoint { treeSize } } }", null)
        .getJsonObject("inclusionProof").getValue("checkpoint"));
    assertNull(server.data("{ consistencyProof(oldSize: 1, newSize: " + unsigned + ") { path checkpoint { treeSize } } }", null)
        .getJsonObject("consistencyProof").getValue("checkpoint"));
  }

  @Test
  void theEdgeSizesOfConsistencyProofsAnswer() throws Exception {
    String emptyRoot = Hex.encode(Hashes.sha256(new byte[0]));
    JsonObject empty = server.data("{ consistencyProof(oldSize: 0, newSize: 0) { path oldRootHash newRootHash } }", null)
        .getJsonObject("consistencyProof");
    assertEquals(0, empty.getJsonArray("path").size());
    assertEquals(emptyRoot, empty.getString("oldRootHash"));
    assertEquals(emptyRoot, empty.getString("newRootHash"));

    JsonObject same = server.data("{ consistencyProof(oldSize: 5, newSize: 5) { path oldRootHash newRootHash checkpoint { treeSize rootHash } } }",
        null).getJsonObject("consistencyProof");
    assertEquals(0, same.getJsonArray("path").size());
    assertEquals(same.getString("oldRootHash"), same.getString("newRootHash"));
    assertEquals(same.getString("newRootHash"), same.getJsonObject("checkpoint").getString("rootHash"));

    JsonObject first = server.data("{ inclusionProof(seq: 0, treeSize: 1) { path leafHash rootHash } }", null).getJsonObject("inclusionProof");
    assertEquals(0, first.getJsonArray("path").size());
    assertEquals(first.getString("leafHash"), first.getString("rootHash"), "a one-entry tree's root is its leaf hash");

    JsonObject last = server.data("{ inclusionProof(seq: " + (size - 1) + ") { treeSize checkpoint { treeSize } } }", null)
        .getJsonObject("inclusionProof");
    assertEquals(size, last.getLong("treeSize"));
    assertEquals(size, last.getJsonObject("checkpoint").getLong("treeSize"));
  }
}
