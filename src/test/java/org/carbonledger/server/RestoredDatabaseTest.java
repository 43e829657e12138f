package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.Statement;
import org.carbonledger.store.TestDatabases;
import org.junit.jupiter.api.Test;

/**
 * A database restored to an earlier point (a backup, a replica that lost its last commits) under a running
 * server: the writer finds the log is not the one it replayed and replays it again. Goal: nothing the server
 * learnt from the lost tail survives it. The case is an account id that the lost tail gave to one holder and
 * the restored log gives to another: the first holder's key must not operate it.
 */
class RestoredDatabaseTest {

  @Test
  void anAccountIdReusedAfterARestoreIsCheckedAgainstItsNewHolder() throws Exception {
    try (TestServer server = TestServer.start()) {
      String first = open(server, new JsonObject().put("holderName", "Alice").put("holderCountry", "JP"));
      String alice = holderOf(server, first);
      String bobAccount = open(server, new JsonObject().put("holderName", "Bob").put("holderCountry", "JP"));
      String bob = holderOf(server, bobAccount);
      String aliceKey = server.data("mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { token } }", new JsonObject()
          .put("i", new JsonObject().put("role", "ACCOUNT_HOLDER").put("holderId", alice).put("name", "alice")))
          .getJsonObject("createApiKey").getString("token");
      long sizeBefore = logSize(server);
      String lost = open(server, new JsonObject().put("holderId", alice));
      String transfer = "mutation { transferUnits(input: {fromAccountId: \"" + lost + "\", toAccountId: \"" + first
          + "\", units: {quantity: 1}}) { seq userErrors { code } } }";
      assertEquals("UNITS_NOT_HELD", userError(server, aliceKey, transfer), "Alice may operate her account (it is empty)");

      restoreTo(server, sizeBefore); // the account opening is lost
      String reused = open(server, new JsonObject().put("holderId", bob));
      assertEquals(lost, reused, "the restored log gives the same id to Bob's new account");
      JsonObject refused = new JsonObject(server.post(aliceKey, transfer, null).body());
      assertNotNull(refused.getJsonArray("errors"), "Alice's key must not operate Bob's account: " + refused);
      assertEquals("FORBIDDEN", refused.getJsonArray("errors").getJsonObject(0).getJsonObject("extensions").getString("code"),
          refused.encode());
    }
  }

  private static String open(TestServer server, JsonObject holder) throws Exception {
    JsonObject input = holder.copy().put("name", "account").put("type", "HOLDING");
    return server.data("mutation($i: OpenAccountInput!) { openAccount(input: $i) { account { accountId } } }",
        new JsonObject().put("i", input)).getJsonObject("openAccount").getJsonObject("account").getString("accountId");
  }

  private static String holderOf(TestServer server, String account) throws Exception {
    return server.data("query($a: ID!) { account(accountId: $a) { holder { holderId } } }", new JsonObject().put("a", account))
        .getJsonObject("account").getJsonObject("holder").getString("holderId");
  }

  private static long logSize(TestServer server) throws Exception {
    return server.data("{ log { size } }", null).getJsonObject("log").getLong("size");
  }

  private static String userError(TestServer server, String token, String mutation) throws Exception {
    JsonObject body = new JsonObject(server.post(token, mutation, null).body());
    return body.getJsonObject("data").getJsonObject("transferUnits").getJsonArray("userErrors").getJsonObject(0).getString("code");
  }

  /** What a restore to the moment the log had {@code size} entries leaves: the later entries and their rows gone. */
  private static void restoreTo(TestServer server, long size) throws Exception {
    try (Connection connection = TestDatabases.jdbc(server.database); Statement statement = connection.createStatement()) {
      statement.execute("SET session_replication_role = replica"); // triggers off: only a superuser can do this
      statement.execute("DELETE FROM account_balances WHERE account_id IN (SELECT account_id FROM accounts WHERE opened_seq >= " + size + ")");
      statement.execute("DELETE FROM accounts WHERE opened_seq >= " + size);
      statement.execute("DELETE FROM entries WHERE seq >= " + size);
      statement.execute("DELETE FROM checkpoints WHERE tree_size > " + size);
      statement.execute("DELETE FROM tree_nodes WHERE (idx + 1) * (1::bigint << level) > " + size);
    }
  }
}
