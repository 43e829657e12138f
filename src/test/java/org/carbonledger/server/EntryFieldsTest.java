package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.carbonledger.store.TestDatabases;
import org.carbonledger.store.TestLedger.Note;
import org.junit.jupiter.api.Test;

/**
 * An Entry's {@code prevHash} and {@code data} are decoded from its bytes only when asked for. Goal: a request
 * that does not ask pays nothing for them, and one that does gets the decoded values, or a coded error (never a
 * crash) when the stored bytes cannot be decoded.
 */
class EntryFieldsTest {

  @Test
  void prevHashAndDataAreDecodedWhenAskedForAndABrokenEntryIsAnInternalError() throws Exception {
    try (TestServer server = TestServer.start()) {
      long first = server.server.ledger().writer().append(new Note("first")).await(30, TimeUnit.SECONDS).seq();
      long broken = server.server.ledger().writer().append(new Note("to be broken")).await(30, TimeUnit.SECONDS).seq();
      JsonObject decoded = server.data("{ entry(seq: " + broken + ") { seq prevHash data } }", null).getJsonObject("entry");
      String firstLeaf = server.data("{ entry(seq: " + first + ") { leafHash } }", null).getJsonObject("entry").getString("leafHash");
      assertEquals(firstLeaf, decoded.getString("prevHash"));
      assertEquals("to be broken", decoded.getJsonObject("data").getString("text"), decoded.encode());

      try (Connection connection = TestDatabases.jdbc(server.database); Statement statement = connection.createStatement()) {
        statement.execute("SET session_replication_role = replica"); // triggers off: only a superuser can do this
        assertEquals(1, statement.executeUpdate("UPDATE entries SET body = convert_to('not an entry', 'UTF8') WHERE seq = " + broken));
      }
      JsonObject undecoded = server.graphql("{ entry(seq: " + broken + ") { seq canonicalJson } }", null);
      assertFalse(undecoded.containsKey("errors"), "nothing asked needs decoding: " + undecoded.encode());
      assertEquals("not an entry", undecoded.getJsonObject("data").getJsonObject("entry").getString("canonicalJson"));
      String withData = server.post(server.adminToken, "{ entry(seq: " + broken + ") { seq data } }", null).body();
      // The log has why the bytes did not decode; the client gets the incident to quote, and nothing of the bytes.
      InternalErrors.assertOpaque(new JsonObject(withData).getJsonArray("errors").getJsonObject(0), withData, "not an entry", "JSON_MALFORMED", "literal");
    }
  }
}
