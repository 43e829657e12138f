package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * QueryCostTest checks, on a server with the default limits, that the complexity estimate counts what statements,
 * reconciliations and chains of custody really read and return (docs/API.md, "Limits"): the requests a black-box
 * attack used to multiply them thirty times over by aliases are refused with QUERY_TOO_COMPLEX before they run,
 * a chain of custody longer than the estimate assumes is refused with CUSTODY_TOO_LONG, and the ordinary queries
 * of the docs still answer.
 */
class QueryCostTest {

  private static final int ALIASES = 30;
  /** Every field of a statement, as AccountStatementTest asks for it. */
  private static final String STATEMENT_FIELDS = """
      accountId window { fromSeq toSeq fromTime toTime } openingBalance closingBalance
      checkpoint { treeSize rootHash signedNote signedAt }
      movements { seq time kind counterpartAccountId quantity serialRanges { start end } reference leafHash inclusionProof tlogProof }""";
  /** The reconciliation of docs/API.md, "Reconciliation". */
  private static final String RECONCILIATION_FIELDS = """
      balanced
      matched { expected { index reference } movement { seq } }
      mismatched { expected { index reference quantity counterpartAccountId } movement { seq quantity counterpartAccountId } differences }
      missingInRegistry { index reference quantity }
      unexpectedInRegistry { seq kind quantity reference }
      statement { openingBalance closingBalance checkpoint { treeSize } }""";
  /** The chain of custody of the README. */
  private static final String CUSTODY_FIELDS = "steps { kind fromAccountId toAccountId entry { seq type } }";

  private static TestServer server;
  private static FaultFixture registry;
  private static String alice;
  private static String bob;
  /** A serial with a short history: issued, to alice, to bob. */
  private static long shortSerial;
  /** A serial passed between alice's two accounts until its chain has 1,002 steps. */
  private static long longSerial;

  @BeforeAll
  static void setUp() throws Exception {
    server = TestServer.start();
    registry = new FaultFixture(server.base, server.adminToken);
    alice = registry.openAccount("Alice Exchange", "Alice", "HOLDING", null);
    bob = registry.openAccount("Bob Airways", "Bob", "HOLDING", null);
    String aliceKey = registry.holderKey(alice);
    String holderId = registry.data("query($a: ID!) { account(accountId: $a) { holder { holderId } } }", new JsonObject().put("a", alice))
        .getJsonObject("account").getJsonObject("holder").getString("holderId");
    String aliceSecond = registry.mutation(server.adminToken, "openAccount", "account { accountId }", new JsonObject()
        .put("holderId", holderId).put("name", "Alice second").put("type", "HOLDING")).getJsonObject("account").getString("accountId");
    longSerial = registry.issueTo(alice, 1_000);
    shortSerial = longSerial + 999;
    registry.mutation(aliceKey, "transferUnits", "quantity", new JsonObject().put("fromAccountId", alice).put("toAccountId", bob)
        .put("units", range(shortSerial)).put("reference", "R-1"));
    // Two settlements of 500 transfers back and forth: with its issuance and its move to alice, 1,002 steps.
    for (int settlement = 0; settlement < 2; settlement++) {
      JsonArray transfers = new JsonArray();
      for (int i = 0; i < 500; i++) {
        boolean out = i % 2 == 0;
        transfers.add(new JsonObject().put("fromAccountId", out ? alice : aliceSecond).put("toAccountId", out ? aliceSecond : alice)
            .put("units", range(longSerial)));
      }
      JsonObject settled = new JsonObject(registry.post(aliceKey, "mutation($input: SettleTransfersInput!) { settleTransfers(input: $input) "
          + "{ seqs failures { code } } }", new JsonObject().put("input", new JsonObject().put("transfers", transfers)),
          java.time.Duration.ofSeconds(30)).body());
      assertEquals(500, settled.getJsonObject("data").getJsonObject("settleTransfers").getJsonArray("seqs").size(), settled.encode());
    }
  }

  @AfterAll
  static void tearDown() {
    server.close();
  }

  // ---- statements ----

  /** Thirty statements asking for their movements' proofs returned 16.6 MB; counted as 30 x 800, they were let through. */
  @Test
  void aliasedStatementsWithProofsAreRefused() throws Exception {
    assertEquals("QUERY_TOO_COMPLEX", code(null, aliased(ALIASES, i -> statement("movements { tlogProof inclusionProof }"))));
    assertEquals("QUERY_TOO_COMPLEX", code(null, aliased(2, i -> statement("movements { tlogProof inclusionProof }"))));
    // Whatever is selected of them, listing movements reads up to 10,000 with their rows.
    assertEquals("QUERY_TOO_COMPLEX", code(null, aliased(5, i -> statement("movements { seq }"))));
    assertFalse(answer(null, aliased(4, i -> statement("movements { seq }"))).containsKey("errors"));
  }

  /** What the docs and AccountStatementTest ask for still answers, proofs included; balances alone cost next to nothing. */
  @Test
  void anOrdinaryStatementAnswers() throws Exception {
    JsonObject statement = data(new JsonObject().put("a", bob), "query($a: ID!) { accountStatement(accountId: $a, window: {}) { "
        + STATEMENT_FIELDS + " } }").getJsonObject("accountStatement");
    JsonObject movement = statement.getJsonArray("movements").getJsonObject(0);
    assertEquals(1, movement.getLong("quantity"));
    assertTrue(movement.getString("tlogProof").startsWith("c2sp.org/tlog-proof@v1\n"), movement.encode());
    assertEquals(1, statement.getLong("closingBalance"));
    JsonObject balances = data(null, aliased(ALIASES, i -> statement("openingBalance closingBalance")));
    assertEquals(1, balances.getJsonObject("a29").getLong("closingBalance"));
  }

  /**
   * A statement asked for its balances reads no movement, and one that lists movements without their proofs reads no
   * tree node, which is what lets the estimate count them as it does. Shown by locking, from outside, the tables
   * the parts not asked for would read: the statement must still answer.
   */
  @Test
  void aStatementReadsOnlyWhatItIsAskedFor() throws Exception {
    JsonObject variables = new JsonObject().put("a", bob);
    try (java.sql.Connection lock = org.carbonledger.store.TestDatabases.jdbc(server.database);
         java.sql.Statement statement = lock.createStatement()) {
      lock.setAutoCommit(false);
      statement.execute("LOCK TABLE transfers, tree_nodes IN ACCESS EXCLUSIVE MODE");
      assertEquals(1, data(variables, "query($a: ID!) { accountStatement(accountId: $a, window: {}) { closingBalance } }")
          .getJsonObject("accountStatement").getLong("closingBalance"));
      lock.rollback();
      statement.execute("LOCK TABLE tree_nodes IN ACCESS EXCLUSIVE MODE");
      assertEquals(1, data(variables, "query($a: ID!) { accountStatement(accountId: $a, window: {}) { movements { seq quantity } } }")
          .getJsonObject("accountStatement").getJsonArray("movements").size());
      lock.rollback();
    }
  }

  // ---- reconciliation ----

  /** Each alias of a reconciliation reads the statement and echoes up to 10,000 expected items. */
  @Test
  void aliasedReconciliationsAreRefused() throws Exception {
    JsonObject variables = new JsonObject().put("a", bob).put("e", new JsonArray().add(expectedR1()));
    String query = "query($a: ID!, $e: [ExpectedMovementInput!]!) { " + aliasedBody(ALIASES,
        i -> "reconcileAccount(accountId: $a, window: {}, expected: $e) { missingInRegistry { index } }") + " }";
    assertEquals("QUERY_TOO_COMPLEX", code(variables, query));
  }

  @Test
  void theDocumentedReconciliationAnswers() throws Exception {
    JsonObject variables = new JsonObject().put("a", bob).put("e", new JsonArray().add(expectedR1()));
    JsonObject reconciliation = data(variables, "query($a: ID!, $e: [ExpectedMovementInput!]!) { reconcileAccount(accountId: $a, "
        + "window: {}, expected: $e) { " + RECONCILIATION_FIELDS + " } }").getJsonObject("reconcileAccount");
    assertTrue(reconciliation.getBoolean("balanced"), reconciliation.encode());
    // A proof selected in one of its lists is read too.
    JsonObject proven = data(variables.copy().put("e", new JsonArray()), "query($a: ID!, $e: [ExpectedMovementInput!]!) { "
        + "reconcileAccount(accountId: $a, window: {}, expected: $e) { unexpectedInRegistry { seq tlogProof } } }")
        .getJsonObject("reconcileAccount");
    assertTrue(proven.getJsonArray("unexpectedInRegistry").getJsonObject(0).getString("tlogProof").startsWith("c2sp.org/tlog-proof@v1\n"));
  }

  // ---- settlements ----

  /**
   * A settlement answers for up to 500 transfers: asking each one's receipt (500 proof reads for one request) is
   * refused before it runs, and the ordinary answer (seqs, each transfer's seq, quantity, reference, leaf hash and
   * ranges) is not. The admin key may not move a holder's units, so nothing is written either way.
   */
  @Test
  void aSettlementAskingEveryTransfersReceiptIsRefusedBeforeItRuns() throws Exception {
    JsonObject input = new JsonObject().put("input", new JsonObject().put("transfers", new JsonArray().add(new JsonObject()
        .put("fromAccountId", alice).put("toAccountId", alice).put("units", new JsonObject().put("quantity", 1)))));
    assertEquals("QUERY_TOO_COMPLEX", code(input, "mutation($input: SettleTransfersInput!) { settleTransfers(input: $input) "
        + "{ seqs transfers { seq entry { receipt { tlogProof } } } } }"));
    // Past the cost check, it runs: the admin key may not move a holder's units, so it is refused as FORBIDDEN.
    assertEquals("FORBIDDEN", code(input, "mutation($input: SettleTransfersInput!) { settleTransfers(input: $input) "
        + "{ seqs transfers { seq quantity reference leafHash serialRanges { start end } } userErrors { code } } }"));
  }

  /** A keyed request's record may stand for a settlement's 500 entries: their receipts are refused the same way. */
  @Test
  void aKeyedRequestsEveryReceiptIsRefusedBeforeItRuns() throws Exception {
    JsonObject key = new JsonObject().put("k", "any-key");
    assertEquals("QUERY_TOO_COMPLEX", code(key, "query($k: String!) { idempotentRequest(key: $k) { entries { receipt { tlogProof } } } }"));
    JsonObject answer = server.data("query($k: String!) { idempotentRequest(key: $k) { key entries { seq leafHash } } }", key);
    assertTrue(answer.containsKey("idempotentRequest") && answer.getValue("idempotentRequest") == null, answer.encode());
  }

  // ---- chain of custody (public) ----

  /** A chain of custody has no length of its own: counted as 20 steps, thirty aliases of a long one ran unbounded. */
  @Test
  void aliasedChainsOfCustodyAreRefused() throws Exception {
    JsonObject variables = new JsonObject().put("s", Long.toString(shortSerial));
    String query = "query($s: String!) { " + aliasedBody(ALIASES, i -> "chainOfCustody(serial: $s) { " + CUSTODY_FIELDS + " }") + " }";
    assertEquals("QUERY_TOO_COMPLEX", publicCode(variables, query));
  }

  @Test
  void aChainOfMoreThanAThousandStepsIsRefused() throws Exception {
    JsonObject variables = new JsonObject().put("s", Long.toString(longSerial));
    assertEquals("CUSTODY_TOO_LONG", publicCode(variables, "query($s: String!) { chainOfCustody(serial: $s) { steps { kind } } }"));
  }

  @Test
  void theReadmesChainOfCustodyAnswers() throws Exception {
    JsonObject variables = new JsonObject().put("s", Long.toString(shortSerial));
    JsonObject response = new JsonObject(server.post(null, "query($s: String!) { chainOfCustody(serial: $s) { " + CUSTODY_FIELDS
        + " } }", variables).body());
    assertFalse(response.containsKey("errors"), response.encode());
    JsonArray steps = response.getJsonObject("data").getJsonObject("chainOfCustody").getJsonArray("steps");
    assertEquals(3, steps.size(), steps.encode());
    assertEquals(bob, steps.getJsonObject(2).getString("toAccountId"));
    JsonObject receipts = new JsonObject(server.post(null, "query($s: String!) { chainOfCustody(serial: $s) { steps { kind "
        + "entry { seq canonicalJson } receipt { tlogProof } } } }", variables).body());
    assertFalse(receipts.containsKey("errors"), receipts.encode());
  }

  // ---- helpers ----

  private static JsonObject range(long serial) {
    return new JsonObject().put("serialRanges", new JsonArray().add(new JsonObject().put("start", serial).put("end", serial)));
  }

  private static JsonObject expectedR1() {
    return new JsonObject().put("reference", "R-1").put("counterpartAccountId", alice).put("quantity", 1);
  }

  private static String statement(String selection) {
    return "accountStatement(accountId: \"" + bob + "\", window: {}) { " + selection + " }";
  }

  private static String aliased(int count, IntFunction<String> field) {
    return "{ " + aliasedBody(count, field) + " }";
  }

  private static String aliasedBody(int count, IntFunction<String> field) {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < count; i++) {
      body.append('a').append(i).append(": ").append(field.apply(i)).append(' ');
    }
    return body.toString();
  }

  /** The response of a query sent as the admin. */
  private static JsonObject answer(JsonObject variables, String query) throws Exception {
    return server.graphql(query, variables);
  }

  private static JsonObject data(JsonObject variables, String query) throws Exception {
    return server.data(query, variables);
  }

  private static String code(JsonObject variables, String query) throws Exception {
    return server.errorCode(query, variables);
  }

  /** The code of the first error of a query sent without a key. */
  private static String publicCode(JsonObject variables, String query) throws Exception {
    JsonObject response = new JsonObject(server.post(null, query, variables).body());
    assertTrue(response.containsKey("errors"), "expected an error: " + response.encode());
    return response.getJsonArray("errors").getJsonObject(0).getJsonObject("extensions").getString("code");
  }
}
