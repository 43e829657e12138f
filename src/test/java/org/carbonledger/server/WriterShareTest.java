package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.carbonledger.store.SequencerLock;
import org.carbonledger.store.WriterMetrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * WriterShareTest checks that one API key cannot take the writer from every other client (docs/API.md, "A fair
 * share of the writer"). The writer's queue holds 10,000 commands for everyone, and a settlement puts 500 in it for
 * one request. Method: the sequencer lock is held from outside, so that nothing drains and what the writer holds can
 * be counted; one holder's key sends 22 settlements of 500 transfers that all fail by rule (11,000 commands, more
 * than the queue holds); once every one of them is either in the writer or refused, another holder's key sends one
 * transfer, and the lock is released. That transfer must be written. The flooding key must have been refused
 * OVERLOADED for everything past its share (1,000 commands: two settlements), and, once the writer has answered its
 * settlements, be served again.
 */
class WriterShareTest {

  private static final int SETTLEMENTS = 22;
  private static final int TRANSFERS_PER_SETTLEMENT = 500;
  /** The share of one key (WriterShares.COMMANDS_PER_KEY_MAX), in settlements of 500. */
  private static final int SETTLEMENTS_IN_SHARE = 2;
  private static final String SETTLE = "mutation($input: SettleTransfersInput!) { settleTransfers(input: $input) "
      + "{ seqs failures { index code } } }";
  private static final String TRANSFER = FaultFixture.mutationDocument("transferUnits", "quantity");

  private static TestServer server;
  private static FaultFixture registry;
  private static String flooder;
  private static String flooderKey;
  private static String seller;
  private static String sellerKey;
  private static String buyer;

  @BeforeAll
  static void setUp() throws Exception {
    server = TestServer.start();
    registry = new FaultFixture(server.base, server.adminToken);
    flooder = registry.openAccount("Flood Trading", "Flood", "HOLDING", null);
    flooderKey = registry.holderKey(flooder);
    seller = registry.openAccount("Seller Trading", "Seller", "HOLDING", null);
    sellerKey = registry.holderKey(seller);
    buyer = registry.openAccount("Buyer Airways", "Buyer", "HOLDING", null);
    registry.issueTo(seller, 1_000);
  }

  @AfterAll
  static void tearDown() {
    server.close();
  }

  @Test
  void oneKeysSettlementsLeaveRoomForAnotherKeysTransfer() throws Exception {
    WriterMetrics writer = server.server.ledger().writer().metrics();
    List<CompletableFuture<JsonObject>> flood = new ArrayList<>();
    CompletableFuture<JsonObject> transfer;
    try (Connection lock = SequencerLock.hold(server.database)) {
      for (int i = 0; i < SETTLEMENTS; i++) {
        flood.add(send(flooderKey, SETTLE, new JsonObject().put("input", unheldTransfers("FLOOD-" + i))));
      }
      // Every settlement is in the writer (queued, or in the batch that waits for the lock) or already refused.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (refused(flood) * TRANSFERS_PER_SETTLEMENT + writer.queuedCommands() + writer.inFlightCommands()
          < (long) SETTLEMENTS * TRANSFERS_PER_SETTLEMENT) {
        assertTrue(System.nanoTime() < deadline, "the settlements never reached the writer: queued " + writer.queuedCommands()
            + ", in flight " + writer.inFlightCommands() + ", refused " + refused(flood));
        Thread.sleep(10);
      }
      SequencerLock.awaitWaiter(server.database);
      long held = writer.queuedCommands() + writer.inFlightCommands();
      transfer = send(sellerKey, TRANSFER, new JsonObject().put("input", new JsonObject().put("fromAccountId", seller)
          .put("toAccountId", buyer).put("units", new JsonObject().put("quantity", 10)).put("reference", "VICTIM-1")));
      // The transfer meets the flood while the lock still holds it: it joins the queue, or is refused.
      while (!transfer.isDone() && writer.queuedCommands() + writer.inFlightCommands() == held) {
        assertTrue(System.nanoTime() < deadline + TimeUnit.SECONDS.toNanos(5), "the transfer never reached the writer");
        Thread.sleep(10);
      }
    } // closing the connection releases the lock, and the writer drains

    JsonObject answer = transfer.get(30, TimeUnit.SECONDS);
    assertTrue(!answer.containsKey("errors"), "another key's transfer must not be refused: " + answer.encode());
    JsonObject payload = answer.getJsonObject("data").getJsonObject("transferUnits");
    assertNotNull(payload.getLong("seq"), payload.encode());
    assertEquals(10L, payload.getLong("quantity"));

    int overloaded = 0;
    for (CompletableFuture<JsonObject> settlement : flood) {
      JsonObject response = settlement.get(30, TimeUnit.SECONDS);
      if (response.containsKey("errors")) {
        assertEquals("OVERLOADED", code(response), response.encode());
        overloaded++;
      } else {
        JsonArray failures = response.getJsonObject("data").getJsonObject("settleTransfers").getJsonArray("failures");
        assertEquals(TRANSFERS_PER_SETTLEMENT, failures.size(), "a settlement in the share was decided, and failed by rule");
        assertEquals("UNITS_NOT_HELD", failures.getJsonObject(0).getString("code"));
      }
    }
    assertEquals(SETTLEMENTS - SETTLEMENTS_IN_SHARE, overloaded, "the key's share holds " + SETTLEMENTS_IN_SHARE + " settlements");

    // Answered settlements give their share back: the same key is served again.
    JsonObject again = send(flooderKey, SETTLE, new JsonObject().put("input", unheldTransfers("AGAIN"))).get(30, TimeUnit.SECONDS);
    assertTrue(!again.containsKey("errors"), again.encode());
    assertEquals(TRANSFERS_PER_SETTLEMENT, again.getJsonObject("data").getJsonObject("settleTransfers").getJsonArray("failures").size());
  }

  /** A settlement of 500 transfers out of the flooder's empty account: each is refused by a rule (UNITS_NOT_HELD). */
  private static JsonObject unheldTransfers(String reference) {
    JsonArray transfers = new JsonArray();
    for (int i = 0; i < TRANSFERS_PER_SETTLEMENT; i++) {
      transfers.add(new JsonObject().put("fromAccountId", flooder).put("toAccountId", buyer)
          .put("units", new JsonObject().put("quantity", 1)).put("reference", reference + "-" + i));
    }
    return new JsonObject().put("transfers", transfers);
  }

  private static CompletableFuture<JsonObject> send(String token, String query, JsonObject variables) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(server.base + "/graphql")).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("query", query).put("variables", variables).encode()))
        .build();
    return server.http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> new JsonObject(response.body()));
  }

  /** How many of {@code requests} have been answered with a GraphQL error (a refusal) so far. */
  private static long refused(List<CompletableFuture<JsonObject>> requests) {
    return requests.stream().filter(request -> request.isDone() && request.join().containsKey("errors")).count();
  }

  private static String code(JsonObject response) {
    return response.getJsonArray("errors").getJsonObject(0).getJsonObject("extensions").getString("code");
  }
}
