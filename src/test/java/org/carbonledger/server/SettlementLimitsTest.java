package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import org.carbonledger.store.SequencerLock;
import org.junit.jupiter.api.Test;

/**
 * SettlementLimitsTest checks, over real HTTP, the refusals of a write that is too big or comes when the writer
 * cannot take it: a settlement of no transfers or of more than 500 is refused whole with FIELD_INVALID (and 500 is
 * written), and when the writer's queue is full, transferUnits and settleTransfers answer OVERLOADED and nothing
 * of theirs is ever written.
 */
class SettlementLimitsTest {

  private static final String SETTLE = "mutation($input: SettleTransfersInput!) { settleTransfers(input: $input) "
      + "{ seqs transfers { seq quantity } userErrors { code message } failures { index code } } }";
  private static final String TRANSFER = "mutation($input: TransferUnitsInput!) { transferUnits(input: $input) "
      + "{ seq quantity userErrors { code message } } }";
  /** LogWriter.Limits.DEFAULT.outstandingMax(): what the writer holds, in flight and queued, before it refuses. */
  private static final int WRITER_OUTSTANDING_MAX = 10_000;
  /** SettlementMutations.SETTLEMENT_TRANSFERS_MAX. */
  private static final int SETTLEMENT_MAX = 500;

  private static JsonArray transfers(int count, String from, String to, String reference) {
    JsonArray transfers = new JsonArray();
    for (int i = 0; i < count; i++) {
      transfers.add(new JsonObject().put("fromAccountId", from).put("toAccountId", to).put("units", new JsonObject().put("quantity", 1))
          .put("reference", reference));
    }
    return transfers;
  }

  private static JsonObject settle(TestServer server, String token, JsonArray transfers) throws Exception {
    JsonObject response = new JsonObject(server.post(token, SETTLE, new JsonObject().put("input",
        new JsonObject().put("transfers", transfers))).body());
    assertTrue(!response.containsKey("errors"), response.encode());
    return response.getJsonObject("data").getJsonObject("settleTransfers");
  }

  @Test
  void aSettlementOfNoTransfersOrMoreThan500IsRefusedWholeAnd500IsWritten() throws Exception {
    try (TestServer server = TestServer.start()) {
      FaultFixture registry = new FaultFixture(server.base, server.adminToken);
      String seller = registry.openAccount("Seller", "Seller", "HOLDING", null);
      String buyer = registry.openAccount("Buyer", "Buyer", "HOLDING", null);
      registry.issueTo(seller, 1000);
      String sellerKey = registry.holderKey(seller);
      long logSize = registry.logSize();

      for (int count : new int[] {0, SETTLEMENT_MAX + 1}) {
        JsonObject refused = settle(server, sellerKey, transfers(count, seller, buyer, "TOO-MANY"));
        JsonArray userErrors = refused.getJsonArray("userErrors");
        assertEquals(1, userErrors.size(), refused.encode());
        assertEquals("FIELD_INVALID", userErrors.getJsonObject(0).getString("code"), refused.encode());
        assertEquals("transfers: give 1 to 500 transfers, not " + count, userErrors.getJsonObject(0).getString("message"));
        assertEquals(new JsonArray(), refused.getJsonArray("seqs"), refused.encode());
        assertEquals(new JsonArray(), refused.getJsonArray("transfers"), refused.encode());
        assertEquals(new JsonArray(), refused.getJsonArray("failures"), refused.encode());
        assertEquals(logSize, registry.logSize(), count + " transfers wrote an entry");
        assertEquals(1000, registry.balance(seller), count + " transfers moved units");
      }

      JsonObject settled = settle(server, sellerKey, transfers(SETTLEMENT_MAX, seller, buyer, "JUST-ENOUGH"));
      assertEquals(new JsonArray(), settled.getJsonArray("userErrors"), "500 is allowed: " + settled.getJsonArray("userErrors"));
      JsonArray seqs = settled.getJsonArray("seqs");
      assertEquals(SETTLEMENT_MAX, seqs.size());
      for (int i = 0; i < SETTLEMENT_MAX; i++) {
        assertEquals(logSize + i, seqs.getLong(i), "consecutive seqs in input order");
      }
      assertEquals(logSize + SETTLEMENT_MAX, registry.logSize());
      assertEquals(SETTLEMENT_MAX, registry.balance(buyer));
    }
  }

  /**
   * The writer is held (the sequencer's advisory lock is taken from outside, so its first batch cannot commit)
   * and its queue filled to the limit over HTTP; then both writing paths answer OVERLOADED at once. After the lock
   * is released every queued command is decided, and the refused ones were never written.
   */
  @Test
  void aFullWriterQueueAnswersOverloadedAndWritesNothing() throws Exception {
    // A long timeout: the queued requests wait for the lock, and their answers are checked below.
    try (TestServer server = TestServer.start("--metrics", "true", "--graphql-timeout-ms", "120000")) {
      FaultFixture registry = new FaultFixture(server.base, server.adminToken);
      String seller = registry.openAccount("Seller", "Seller", "HOLDING", null);
      String buyer = registry.openAccount("Buyer", "Buyer", "HOLDING", null);
      String empty = registry.openAccount("Empty", "Empty", "HOLDING", null);
      registry.issueTo(seller, 100);
      String sellerKey = registry.holderKey(seller);
      // Each key may have at most a share of the writer (two settlements): ten keys fill it together.
      List<String> emptyKeys = new ArrayList<>();
      for (int i = 0; i < WRITER_OUTSTANDING_MAX / (2 * SETTLEMENT_MAX); i++) {
        emptyKeys.add(registry.holderKey(empty));
      }
      long logSize = registry.logSize();

      List<CompletableFuture<HttpResponse<String>>> queued = new ArrayList<>();
      try (Connection lock = SequencerLock.hold(server.database)) {
        queued.add(sendAsync(server, sellerKey, TRANSFER, transfer(seller, buyer, "BLOCKER")));
        awaitGauge(server, "carbonledger_writer_in_flight_commands", n -> n == 1);
        // Settlements of an account without units: queued whole, then refused by the rules, so nothing is written.
        int settlements = WRITER_OUTSTANDING_MAX / SETTLEMENT_MAX;
        for (int i = 0; i < settlements; i++) {
          int size = i < settlements - 1 ? SETTLEMENT_MAX : SETTLEMENT_MAX - 1;
          queued.add(sendAsync(server, emptyKeys.get(i / 2), SETTLE,
              new JsonObject().put("transfers", transfers(size, empty, buyer, "QUEUED"))));
        }
        awaitGauge(server, "carbonledger_writer_queued_commands", n -> n == WRITER_OUTSTANDING_MAX - 1);

        JsonObject transfer = new JsonObject(server.post(sellerKey, TRANSFER, new JsonObject().put("input",
            transfer(seller, buyer, "REFUSED"))).body());
        assertOverloaded(transfer, "transferUnits");
        JsonObject settlement = new JsonObject(server.post(sellerKey, SETTLE, new JsonObject().put("input",
            new JsonObject().put("transfers", transfers(1, seller, buyer, "REFUSED")))).body());
        assertOverloaded(settlement, "settleTransfers");
        assertEquals(2.0, metric(server, "carbonledger_writer_requests_refused_overloaded_total"));
        assertEquals(WRITER_OUTSTANDING_MAX - 1, metric(server, "carbonledger_writer_queued_commands"), "the refused were not queued");
      } // closing the connection releases the lock

      HttpResponse<String> blocker = queued.get(0).get(120, TimeUnit.SECONDS);
      JsonObject written = new JsonObject(blocker.body()).getJsonObject("data").getJsonObject("transferUnits");
      assertEquals(logSize, written.getLong("seq"), blocker.body());
      for (CompletableFuture<HttpResponse<String>> each : queued.subList(1, queued.size())) {
        JsonObject payload = new JsonObject(each.get(120, TimeUnit.SECONDS).body()).getJsonObject("data").getJsonObject("settleTransfers");
        assertEquals("UNITS_NOT_HELD", payload.getJsonArray("failures").getJsonObject(0).getString("code"), payload.encode());
        assertEquals(new JsonArray(), payload.getJsonArray("seqs"));
      }
      awaitGauge(server, "carbonledger_writer_queued_commands", n -> n == 0);
      assertEquals(logSize + 1, registry.logSize(), "only the blocker was written");
      assertEquals(99, registry.balance(seller));
      assertEquals(1, registry.balance(buyer));
      JsonArray refusedWritten = server.data("{ transfers(filter: {reference: \"REFUSED\"}) { edges { node { seq } } } }", null)
          .getJsonObject("transfers").getJsonArray("edges");
      assertEquals(new JsonArray(), refusedWritten, "an OVERLOADED transfer is never written");
      // The writer takes commands again.
      JsonObject after = new JsonObject(server.post(sellerKey, TRANSFER, new JsonObject().put("input", transfer(seller, buyer, "AFTER"))).body());
      assertEquals(logSize + 1, after.getJsonObject("data").getJsonObject("transferUnits").getLong("seq"), after.encode());
    }
  }

  private static JsonObject transfer(String from, String to, String reference) {
    return new JsonObject().put("fromAccountId", from).put("toAccountId", to).put("units", new JsonObject().put("quantity", 1))
        .put("reference", reference);
  }

  private static void assertOverloaded(JsonObject response, String field) {
    JsonObject error = response.getJsonArray("errors").getJsonObject(0);
    assertEquals("OVERLOADED", error.getJsonObject("extensions").getString("code"), response.encode());
    assertEquals(new JsonArray().add(field), error.getJsonArray("path"), response.encode());
    assertEquals(null, response.getJsonObject("data"), "a non-null payload cannot be answered: " + response.encode());
  }

  private static CompletableFuture<HttpResponse<String>> sendAsync(TestServer server, String token, String query, JsonObject input) {
    HttpRequest request = server.request("/graphql").header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
        .timeout(Duration.ofSeconds(180))
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("query", query).put("variables", new JsonObject().put("input", input))
            .encode())).build();
    return server.http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  /** A sample of /metrics, by its name. */
  private static double metric(TestServer server, String name) throws Exception {
    HttpResponse<String> response = server.send(server.request("/metrics").GET());
    assertEquals(200, response.statusCode());
    for (String line : response.body().split("\n")) {
      if (line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(name.length() + 1));
      }
    }
    throw new AssertionError("no " + name + " in /metrics");
  }

  private static void awaitGauge(TestServer server, String name, LongPredicate reached) throws Exception {
    double value = Double.NaN;
    for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); System.nanoTime() < deadline; Thread.sleep(20)) {
      value = metric(server, name);
      if (reached.test((long) value)) {
        return;
      }
    }
    throw new AssertionError(name + " stayed at " + value);
  }
}
