package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SafeRetriesApiTest drives idempotency keys, settlement batches and the transfer search through GraphQL over
 * real HTTP: a repeated key answers the original entry and writes nothing, a changed input under the same key
 * is IDEMPOTENCY_CONFLICT, keys are per API key, a retry storm of concurrent clients makes exactly one entry,
 * and a settlement batch is written whole or not at all, with every failing transfer named.
 */
class SafeRetriesApiTest {

  private static final String TRANSFER = "mutation($input: TransferUnitsInput!) { transferUnits(input: $input) "
      + "{ seq leafHash quantity reference serialRanges { start end } userErrors { code message } } }";
  private static final String SETTLE = "mutation($input: SettleTransfersInput!) { settleTransfers(input: $input) "
      + "{ seqs transfers { seq leafHash quantity reference } userErrors { code message } failures { index code message } } }";
  private static final String TRANSFERS = "query($filter: TransferFilter, $after: String) { transfers(filter: $filter, first: 10, after: $after) "
      + "{ edges { node { seq time fromAccountId toAccountId quantity reference serialRanges { start end } } } pageInfo { hasNextPage endCursor } } }";

  private static TestServer server;
  private static String alice;
  private static String bob;
  private static String carol;
  private static String aliceKey;
  private static String aliceSecondKey;
  private static String bobKey;

  @BeforeAll
  static void setUp() throws Exception {
    server = TestServer.start();
    String issuanceAccount = openAccount("J-Credit secretariat", "JCREDIT issuance", "ISSUANCE", "JCREDIT");
    alice = openAccount("Alice Forestry", "Alice", "HOLDING", null);
    bob = openAccount("Bob Airways", "Bob", "HOLDING", null);
    carol = openAccount("Carol Steel", "Carol", "HOLDING", null);
    aliceKey = holderKey(alice);
    aliceSecondKey = holderKey(alice);
    bobKey = holderKey(bob);
    String projectId = admin("registerProject", "RegisterProjectInput", "project { projectId }", new JsonObject()
        .put("program", "JCREDIT").put("programProjectId", "JCL-9").put("name", "Forest").put("hostCountry", "JP")
        .put("methodology", "FO-001").put("category", "FORESTRY").put("mitigationType", "REMOVAL")
        .put("creditingPeriod", new JsonObject().put("start", "2020-01-01").put("end", "2030-12-31"))
        .put("activityStart", "2020-01-01")).getJsonObject("project").getString("projectId");
    admin("issueUnits", "IssueUnitsInput", "issuance { issuanceId }", new JsonObject().put("projectId", projectId).put("vintage", 2022)
        .put("quantity", 10_000).put("unitType", "JCU")
        .put("monitoringPeriod", new JsonObject().put("start", "2022-01-01").put("end", "2022-12-31")));
    admin("transferUnits", "TransferUnitsInput", "quantity", new JsonObject().put("fromAccountId", issuanceAccount).put("toAccountId", alice)
        .put("units", new JsonObject().put("quantity", 5_000)));
    admin("transferUnits", "TransferUnitsInput", "quantity", new JsonObject().put("fromAccountId", issuanceAccount).put("toAccountId", bob)
        .put("units", new JsonObject().put("quantity", 5_000)));
  }

  @AfterAll
  static void tearDown() {
    server.close();
  }

  /** An ACCOUNT_HOLDER key (a new one each call) for the holder of {@code account}. */
  private static String holderKey(String account) throws Exception {
    String holderId = server.data("query($a: ID!) { account(accountId: $a) { holder { holderId } } }", new JsonObject().put("a", account))
        .getJsonObject("account").getJsonObject("holder").getString("holderId");
    return server.data("mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { token } }",
        new JsonObject().put("i", new JsonObject().put("role", "ACCOUNT_HOLDER").put("holderId", holderId).put("name", "holder " + holderId)))
        .getJsonObject("createApiKey").getString("token");
  }

  private static String openAccount(String holder, String name, String type, String program) throws Exception {
    return admin("openAccount", "OpenAccountInput", "account { accountId }", new JsonObject().put("holderName", holder)
        .put("holderCountry", "JP").put("name", name).put("type", type).put("program", program))
        .getJsonObject("account").getString("accountId");
  }

  private static JsonObject admin(String field, String inputType, String selection, JsonObject input) throws Exception {
    JsonObject payload = server.data("mutation($input: " + inputType + "!) { " + field + "(input: $input) { seq userErrors { code message } "
        + selection + " } }", new JsonObject().put("input", input)).getJsonObject(field);
    assertTrue(payload.getJsonArray("userErrors").isEmpty(), field + ": " + payload.encode());
    return payload;
  }

  /** Sends {@code query} with {@code token}; returns its data field {@code field}, failing on GraphQL errors. */
  private static JsonObject send(String token, String query, String field, JsonObject input) throws Exception {
    JsonObject response = new JsonObject(server.post(token, query, new JsonObject().put("input", input)).body());
    if (response.containsKey("errors")) {
      throw new AssertionError(response.encode());
    }
    return response.getJsonObject("data").getJsonObject(field);
  }

  private static JsonObject transfer(String from, String to, long quantity, String reference, String key) {
    JsonObject input = new JsonObject().put("fromAccountId", from).put("toAccountId", to)
        .put("units", new JsonObject().put("quantity", quantity)).put("reference", reference);
    return key == null ? input : input.put("idempotencyKey", key);
  }

  private static long logSize() throws Exception {
    return server.data("{ log { size } }", null).getJsonObject("log").getLong("size");
  }

  private static long balance(String account) throws Exception {
    return server.data("query($a: ID!) { account(accountId: $a) { balance } }", new JsonObject().put("a", account))
        .getJsonObject("account").getLong("balance");
  }

  private static String code(JsonObject payload) {
    return payload.getJsonArray("userErrors").getJsonObject(0).getString("code");
  }

  @Test
  void idempotencyKeysTable() throws Exception {
    // same key, same input: the original answer, one entry
    long size = logSize();
    JsonObject first = send(aliceKey, TRANSFER, "transferUnits", transfer(alice, carol, 5, "T-SAME", "key-same"));
    JsonObject again = send(aliceKey, TRANSFER, "transferUnits", transfer(alice, carol, 5, "T-SAME", "key-same"));
    assertEquals(first, again, "a repeat answers exactly the original payload");
    assertEquals(size + 1, logSize());

    // same key, different input: IDEMPOTENCY_CONFLICT, nothing written
    JsonObject conflict = send(aliceKey, TRANSFER, "transferUnits", transfer(alice, carol, 6, "T-SAME", "key-same"));
    assertEquals("IDEMPOTENCY_CONFLICT", code(conflict));
    assertNull(conflict.getValue("seq"));
    assertEquals(size + 1, logSize());

    // same key from another principal (another key of the same holder): independent, a second entry
    JsonObject other = send(aliceSecondKey, TRANSFER, "transferUnits", transfer(alice, carol, 5, "T-SAME", "key-same"));
    assertTrue(other.getJsonArray("userErrors").isEmpty(), other.encode());
    assertEquals(first.getLong("seq") + 1, other.getLong("seq"));
    assertEquals(size + 2, logSize());

    // key too long, empty, or not printable ASCII: FIELD_INVALID before any rule, nothing written
    for (String bad : List.of("k".repeat(101), "", "tab\tkey", "clé")) {
      JsonObject refused = send(aliceKey, TRANSFER, "transferUnits", transfer(alice, carol, 5, "T-BAD", bad));
      assertEquals("FIELD_INVALID", code(refused), "key " + bad);
    }
    assertEquals(size + 2, logSize());

    // text with an unpaired surrogate (sent as the JSON escape \ud800) under a valid key: FIELD_INVALID, as the
    // rules answer it without a key, nothing written; once in a transfer, once in a settlement's item
    record Keyed(String query, String field, JsonObject input) {}
    for (Keyed keyed : List.of(new Keyed(TRANSFER, "transferUnits", transfer(alice, carol, 5, "LONE", "key-lone")),
        new Keyed(SETTLE, "settleTransfers", new JsonObject().put("idempotencyKey", "key-lone-settle")
            .put("transfers", new JsonArray().add(transfer(alice, carol, 5, "LONE", null)))))) {
      String body = new JsonObject().put("query", keyed.query()).put("variables", new JsonObject().put("input", keyed.input()))
          .encode().replace("\"LONE\"", "\"x\\ud800y\"");
      HttpResponse<String> response = server.send(server.request("/graphql").header("Authorization", "Bearer " + aliceKey)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
      assertEquals("FIELD_INVALID", code(new JsonObject(response.body()).getJsonObject("data").getJsonObject(keyed.field())),
          response.body());
    }
    assertEquals(size + 2, logSize());

    // a key of exactly 100 characters is fine; a key reused by another mutation is a conflict
    JsonObject longest = send(aliceKey, TRANSFER, "transferUnits", transfer(alice, carol, 1, null, "k".repeat(100)));
    assertTrue(longest.getJsonArray("userErrors").isEmpty(), longest.encode());
    JsonObject settleReuse = send(aliceKey, SETTLE, "settleTransfers", new JsonObject()
        .put("transfers", new JsonArray().add(transfer(alice, carol, 1, null, null))).put("idempotencyKey", "k".repeat(100)));
    assertEquals("IDEMPOTENCY_CONFLICT", code(settleReuse));
    assertEquals(size + 3, logSize());
  }

  /** A client that lost its request as well as the answer learns from its key alone what the request wrote. */
  @Test
  void aKeyAloneTellsWhatItsRequestWrote() throws Exception {
    JsonObject written = send(aliceKey, TRANSFER, "transferUnits", transfer(alice, carol, 2, "T-LOOKUP", "key-lookup"));
    JsonObject found = writtenBy(aliceKey, "key-lookup");
    assertEquals("key-lookup", found.getString("key"));
    assertEquals(1, found.getJsonArray("entries").size());
    assertEquals(written.getLong("seq"), found.getJsonArray("entries").getJsonObject(0).getLong("seq"));
    assertEquals(written.getString("leafHash"), found.getJsonArray("entries").getJsonObject(0).getString("leafHash"));
    // Another key of the same holder has keys of its own; a key never sent, or sent with a refused request, wrote nothing.
    assertNull(writtenBy(aliceSecondKey, "key-lookup"));
    assertNull(writtenBy(aliceKey, "key-never-sent"));
    assertEquals("UNITS_NOT_HELD", code(send(aliceKey, TRANSFER, "transferUnits", transfer(alice, carol, 1_000_000, null, "key-refused"))));
    assertNull(writtenBy(aliceKey, "key-refused"));
    // A settlement's key stands for every entry it wrote.
    JsonObject settled = send(aliceKey, SETTLE, "settleTransfers", new JsonObject().put("idempotencyKey", "key-lookup-settle")
        .put("transfers", new JsonArray().add(transfer(alice, carol, 1, "S-1", null)).add(transfer(alice, carol, 1, "S-2", null))));
    assertEquals(seqs(settled.getJsonArray("seqs")), seqs(new JsonArray(writtenBy(aliceKey, "key-lookup-settle").getJsonArray("entries")
        .stream().map(entry -> ((JsonObject) entry).getLong("seq")).toList())));
    // Keys are per API key: asking without one is UNAUTHENTICATED; a key that could never have been sent is BAD_USER_INPUT.
    assertEquals("UNAUTHENTICATED", lookupError(null, "key-lookup"));
    assertEquals("BAD_USER_INPUT", lookupError(aliceKey, "clé"));
  }

  private static final String WRITTEN_BY = "query($k: String!) { idempotentRequest(key: $k) { key entries { seq type leafHash } } }";

  /** What {@code token}'s request with idempotency key {@code key} wrote, or null. */
  private static JsonObject writtenBy(String token, String key) throws Exception {
    JsonObject response = new JsonObject(server.post(token, WRITTEN_BY, new JsonObject().put("k", key)).body());
    assertNull(response.getValue("errors"), response.encode());
    return response.getJsonObject("data").getJsonObject("idempotentRequest");
  }

  private static String lookupError(String token, String key) throws Exception {
    JsonObject response = new JsonObject(server.post(token, WRITTEN_BY, new JsonObject().put("k", key)).body());
    return response.getJsonArray("errors").getJsonObject(0).getJsonObject("extensions").getString("code");
  }

  private static List<Long> seqs(JsonArray numbers) {
    return numbers.stream().map(number -> ((Number) number).longValue()).toList();
  }

  @Test
  void aRejectedKeyedCommandIsEvaluatedAgainOnRetry() throws Exception {
    JsonObject rejected = send(aliceKey, TRANSFER, "transferUnits", transfer(alice, carol, 1_000_000, null, "key-rejected"));
    assertEquals("UNITS_NOT_HELD", code(rejected));
    JsonObject retried = send(aliceKey, TRANSFER, "transferUnits", transfer(alice, carol, 1_000_000, null, "key-rejected"));
    assertEquals("UNITS_NOT_HELD", code(retried), "evaluated again, not a stored answer or a conflict");
  }

  @Test
  void aRetryStormOfConcurrentClientsMakesExactlyOneEntry() throws Exception {
    long size = logSize();
    long before = balance(carol);
    String body = new JsonObject().put("query", TRANSFER)
        .put("variables", new JsonObject().put("input", transfer(bob, carol, 7, "TSE-STORM-1", "storm-1"))).encode();
    List<CompletableFuture<HttpResponse<String>>> clients = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      clients.add(server.http.sendAsync(server.request("/graphql").timeout(Duration.ofSeconds(30))
          .header("Content-Type", "application/json").header("Authorization", "Bearer " + bobKey)
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
    }
    Set<String> answers = new HashSet<>();
    for (CompletableFuture<HttpResponse<String>> client : clients) {
      JsonObject response = new JsonObject(client.join().body());
      JsonObject payload = response.getJsonObject("data").getJsonObject("transferUnits");
      assertTrue(payload.getJsonArray("userErrors").isEmpty(), response.encode());
      assertNotNull(payload.getLong("seq"));
      answers.add(payload.getLong("seq") + "/" + payload.getString("leafHash"));
    }
    assertEquals(1, answers.size(), "every client got the same seq and leaf hash: " + answers);
    assertEquals(size + 1, logSize(), "exactly one entry");
    assertEquals(before + 7, balance(carol));
  }

  @Test
  void aSettlementIsWrittenWholeInOrderAndSearchableByReference() throws Exception {
    long size = logSize();
    JsonObject input = new JsonObject().put("idempotencyKey", "settle-am").put("transfers", new JsonArray()
        .add(transfer(alice, bob, 10, "TSE-AM-1", null))
        .add(transfer(bob, alice, 20, "TSE-AM-2", null))
        .add(transfer(alice, carol, 30, "TSE-AM-3", null)));
    // One transfer's source belongs to another holder: the whole batch is refused before anything is queued.
    JsonObject refused = new JsonObject(server.post(aliceKey, SETTLE, new JsonObject().put("input", input)).body());
    assertEquals("FORBIDDEN", refused.getJsonArray("errors").getJsonObject(0).getJsonObject("extensions").getString("code"));
    assertTrue(refused.getJsonArray("errors").getJsonObject(0).getString("message").startsWith("transfers[1]"), refused.encode());
    assertEquals(size, logSize());

    JsonObject own = new JsonObject().put("idempotencyKey", "settle-pm").put("transfers", new JsonArray()
        .add(transfer(alice, bob, 11, "TSE-PM-1", null))
        .add(transfer(alice, carol, 12, "TSE-PM-2", null))
        .add(transfer(alice, bob, 13, "TSE-PM-3", null)));
    JsonObject pm = send(aliceKey, SETTLE, "settleTransfers", own);
    assertTrue(pm.getJsonArray("userErrors").isEmpty() && pm.getJsonArray("failures").isEmpty(), pm.encode());
    JsonArray seqs = pm.getJsonArray("seqs");
    assertEquals(List.of(size, size + 1, size + 2), seqs.stream().map(seq -> ((Number) seq).longValue()).toList());
    assertEquals("TSE-PM-2", pm.getJsonArray("transfers").getJsonObject(1).getString("reference"));
    assertEquals(size + 3, logSize());
    assertEquals(pm, send(aliceKey, SETTLE, "settleTransfers", own), "a retried settlement answers the original");
    assertEquals(size + 3, logSize());

    JsonObject found = server.data(TRANSFERS, new JsonObject().put("filter", new JsonObject().put("reference", "TSE-PM-2")));
    JsonArray edges = found.getJsonObject("transfers").getJsonArray("edges");
    assertEquals(1, edges.size());
    JsonObject node = edges.getJsonObject(0).getJsonObject("node");
    assertEquals(size + 1, node.getLong("seq"));
    assertEquals(alice, node.getString("fromAccountId"));
    assertEquals(carol, node.getString("toAccountId"));
    assertEquals(12, node.getLong("quantity"));
    assertEquals(1, node.getJsonArray("serialRanges").size());
  }

  @Test
  void aSettlementWithOneBadItemWritesNothingAndNamesEveryFailure() throws Exception {
    long size = logSize();
    long aliceBefore = balance(alice);
    long bobBefore = balance(bob);
    String frozen = openAccount("Dave Frozen", "Dave", "HOLDING", null);
    admin("suspendAccount", "AccountStatusInput", "account { status }", new JsonObject().put("accountId", frozen).put("reason", "audit"));
    size = logSize();
    JsonObject input = new JsonObject().put("transfers", new JsonArray()
        .add(transfer(alice, bob, 10, "TSE-BAD-0", null))
        .add(transfer(alice, bob, 1_000_000, "TSE-BAD-1", null))
        .add(transfer(alice, frozen, 10, "TSE-BAD-2", null))
        .add(transfer(alice, bob, 10, "TSE-BAD-3", null)));
    JsonObject failed = send(aliceKey, SETTLE, "settleTransfers", input);
    assertEquals(List.of(), failed.getJsonArray("seqs").getList());
    JsonArray failures = failed.getJsonArray("failures");
    assertEquals(2, failures.size(), failed.encode());
    assertEquals(1, failures.getJsonObject(0).getInteger("index"));
    assertEquals("UNITS_NOT_HELD", failures.getJsonObject(0).getString("code"));
    assertEquals(2, failures.getJsonObject(1).getInteger("index"));
    assertEquals("ACCOUNT_NOT_ACTIVE", failures.getJsonObject(1).getString("code"));
    assertEquals(2, failed.getJsonArray("userErrors").size());
    assertEquals(size, logSize(), "nothing of the batch was written");
    assertEquals(aliceBefore, balance(alice));
    assertEquals(bobBefore, balance(bob));
    JsonArray none = server.data(TRANSFERS, new JsonObject().put("filter", new JsonObject().put("reference", "TSE-BAD-0")))
        .getJsonObject("transfers").getJsonArray("edges");
    assertTrue(none.isEmpty(), "no projection of the failed batch: " + none.encode());
  }

  @Test
  void transfersArePrivateLikeHoldings() throws Exception {
    send(bobKey, TRANSFER, "transferUnits", transfer(bob, carol, 3, "PRIVATE-1", null));
    JsonObject filter = new JsonObject().put("filter", new JsonObject().put("reference", "PRIVATE-1"));
    JsonObject anonymous = new JsonObject(server.post(null, TRANSFERS, filter).body());
    assertEquals("UNAUTHENTICATED", anonymous.getJsonArray("errors").getJsonObject(0).getJsonObject("extensions").getString("code"));
    JsonObject asAlice = new JsonObject(server.post(aliceKey, TRANSFERS, filter).body());
    assertTrue(asAlice.getJsonObject("data").getJsonObject("transfers").getJsonArray("edges").isEmpty(), "not alice's: " + asAlice.encode());
    JsonObject asBob = new JsonObject(server.post(bobKey, TRANSFERS, filter).body());
    assertEquals(1, asBob.getJsonObject("data").getJsonObject("transfers").getJsonArray("edges").size(), asBob.encode());
    JsonObject othersAccount = new JsonObject(server.post(aliceKey, TRANSFERS,
        new JsonObject().put("filter", new JsonObject().put("accountId", bob))).body());
    assertEquals("FORBIDDEN", othersAccount.getJsonArray("errors").getJsonObject(0).getJsonObject("extensions").getString("code"));
    // paging: an account's transfers come in seq order, page after page
    List<Long> seqs = new ArrayList<>();
    String after = null;
    do {
      JsonObject page = server.data(TRANSFERS, new JsonObject().put("filter", new JsonObject().put("accountId", carol)).put("after", after))
          .getJsonObject("transfers");
      page.getJsonArray("edges").forEach(edge -> seqs.add(((JsonObject) edge).getJsonObject("node").getLong("seq")));
      after = page.getJsonObject("pageInfo").getBoolean("hasNextPage") ? page.getJsonObject("pageInfo").getString("endCursor") : null;
    } while (after != null);
    assertEquals(seqs.stream().sorted().distinct().toList(), seqs);
    assertTrue(!seqs.isEmpty());
  }
}
