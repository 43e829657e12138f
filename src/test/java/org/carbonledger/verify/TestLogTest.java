package org.carbonledger.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.carbonledger.ledger.Checkpoint;
import org.carbonledger.ledger.Hex;
import org.junit.jupiter.api.Test;

/**
 * TestLogTest ties the test log to the shared vectors in ../shared/testdata/note-vectors.json: its key is the
 * vectors' log key, and the vectors' signed checkpoint opens with it through the verifier's own path.
 */
class TestLogTest {

  private static final Path VECTORS = Path.of("../shared/testdata/note-vectors.json");

  @Test
  void testKeyIsTheVectorsLogKey() throws Exception {
    JsonObject checkpoint = vectors().getJsonObject("checkpoint");
    assertEquals(checkpoint.getString("origin"), TestLog.ORIGIN);
    assertEquals(checkpoint.getString("logVkey"), TestLog.VKEY);
    assertEquals(TestLog.VKEY, TestLog.SIGNER.verifierKey());
  }

  @Test
  void vectorsSignedCheckpointOpens() throws Exception {
    JsonObject vector = vectors().getJsonObject("checkpoint");
    Checkpoint checkpoint = Checkpoints.open(vector.getString("signedCheckpoint").getBytes(StandardCharsets.UTF_8),
        TestLog.KEY, "checkpoint");
    assertEquals(vector.getLong("treeSize"), checkpoint.size());
    assertEquals(vector.getString("rootHashHex"), Hex.encode(checkpoint.rootHash()));
  }

  private static JsonObject vectors() throws Exception {
    return new JsonObject(Files.readString(VECTORS));
  }
}
