package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DoubleSpendRaceTest checks that one block of units can be spent once, however many clients try at the same
 * moment. Method: a seller holds one issuance; for each case, 20 HTTP clients, released together by a barrier,
 * send with the seller's holder key a transfer (each to its own destination account) or a retirement of the
 * same explicit serial range. Exactly one must be accepted; every other must be a user error that names the
 * double spend (UNITS_NOT_HELD or UNITS_ALREADY_RETIRED), with no GraphQL error; the log must grow by exactly
 * one entry, the range must end up in the winner's account (active) or retired in the seller's, no loser's
 * destination may hold a unit, and the seller's balance must fall by the range's size exactly once. At the end
 * a replay of the log must rebuild the projections exactly.
 */
class DoubleSpendRaceTest {

  private static final int RACERS = 20;
  private static final long RANGE_SIZE = 100;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private static TestServer server;
  private static FaultFixture registry;
  private static String seller;
  private static String sellerKey;
  private static long serialStart;
  private static final List<String> destinations = new ArrayList<>();

  @BeforeAll
  static void setUp() throws Exception {
    server = TestServer.start();
    registry = new FaultFixture(server.base, server.adminToken);
    seller = registry.openAccount("Seller Trading", "Seller", "HOLDING", null);
    sellerKey = registry.holderKey(seller);
    serialStart = registry.issueTo(seller, 10_000);
    for (int i = 0; i < RACERS; i++) {
      destinations.add(registry.openAccount("Buyer " + i, "Buyer " + i, "HOLDING", null));
    }
  }

  @AfterAll
  static void tearDown() {
    server.close();
  }

  /** What racer {@code i} of a case sends. */
  private enum Move { TRANSFER, RETIRE }

  private record Case(String name, int offset, Move[] racers, Set<String> loserCodes) {}

  private static Move[] all(Move move) {
    Move[] moves = new Move[RACERS];
    java.util.Arrays.fill(moves, move);
    return moves;
  }

  private static Move[] alternating() {
    Move[] moves = new Move[RACERS];
    for (int i = 0; i < RACERS; i++) {
      moves[i] = i % 2 == 0 ? Move.TRANSFER : Move.RETIRE;
    }
    return moves;
  }

  private static Move[] oneRetirerAmongTransfers() {
    Move[] moves = all(Move.TRANSFER);
    moves[RACERS / 2] = Move.RETIRE;
    return moves;
  }

  @Test
  void exactlyOneRacerSpendsABlock() throws Exception {
    // Losers of a transfer find the units gone; losers of a retirement find them retired. A mixed race may see either.
    Set<String> either = Set.of("UNITS_NOT_HELD", "UNITS_ALREADY_RETIRED");
    Case[] cases = {
        new Case("20 transfers of one range", 0, all(Move.TRANSFER), either),
        new Case("20 retirements of one range", 1, all(Move.RETIRE), Set.of("UNITS_ALREADY_RETIRED")),
        new Case("10 transfers and 10 retirements", 2, alternating(), either),
        new Case("one retirement among 19 transfers", 3, oneRetirerAmongTransfers(), either),
        new Case("20 transfers, second round", 4, all(Move.TRANSFER), either),
        new Case("10 transfers and 10 retirements, second round", 5, alternating(), either)};
    ExecutorService pool = Executors.newFixedThreadPool(RACERS);
    try {
      for (Case c : cases) {
        race(pool, c);
      }
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
    }
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      assertEquals(registry.logSize(), FaultFixture.entries(vertx, server.database).size(), "every entry is signed");
      FaultFixture.assertReplayRebuildsTheProjections(vertx, server.database);
    } finally {
      vertx.close().await();
    }
  }

  private static void race(ExecutorService pool, Case c) throws Exception {
    long start = serialStart + c.offset() * 1000L;
    JsonObject range = new JsonObject().put("start", start).put("end", start + RANGE_SIZE - 1);
    long sizeBefore = registry.logSize();
    long sellerBefore = registry.balance(seller);
    CyclicBarrier barrier = new CyclicBarrier(RACERS);
    List<Future<JsonObject>> answers = new ArrayList<>();
    for (int i = 0; i < RACERS; i++) {
      Move move = c.racers()[i];
      String destination = destinations.get(i);
      answers.add(pool.submit(() -> {
        JsonObject units = new JsonObject().put("serialRanges", new JsonArray().add(range));
        barrier.await(30, TimeUnit.SECONDS);
        return move == Move.TRANSFER
            ? registry.attempt(sellerKey, "transferUnits", "", new JsonObject().put("fromAccountId", seller)
                .put("toAccountId", destination).put("units", units).put("reference", c.name()), REQUEST_TIMEOUT)
            : registry.attempt(sellerKey, "retireUnits", "", new JsonObject().put("accountId", seller).put("units", units)
                .put("purpose", "VOLUNTARY_OFFSET").put("beneficiaryName", "Racer " + destination).put("reportingYear", 2024), REQUEST_TIMEOUT);
      }));
    }
    int winner = -1;
    for (int i = 0; i < RACERS; i++) {
      JsonObject payload = answers.get(i).get(90, TimeUnit.SECONDS);
      JsonArray userErrors = payload.getJsonArray("userErrors");
      if (userErrors.isEmpty()) {
        assertNotNull(payload.getLong("seq"), c.name() + ": an accepted payload without seq: " + payload.encode());
        assertEquals(-1, winner, c.name() + ": racers " + winner + " and " + i + " both spent the block");
        winner = i;
      } else {
        assertEquals(null, payload.getValue("seq"), c.name() + ": a rejection with a seq: " + payload.encode());
        String code = userErrors.getJsonObject(0).getString("code");
        assertTrue(c.loserCodes().contains(code), c.name() + ": racer " + i + " lost with " + code + ", expected one of " + c.loserCodes());
      }
    }
    assertTrue(winner >= 0, c.name() + ": nobody spent the block");
    assertEquals(sizeBefore + 1, registry.logSize(), c.name() + ": exactly one entry was written");
    assertEquals(sellerBefore - RANGE_SIZE, registry.balance(seller), c.name() + ": the seller's balance fell once");

    JsonObject block = registry.data("query($s: String!) { resolveSerial(serial: $s) { block { state serialStart serialEnd account { accountId } } } }",
        new JsonObject().put("s", Long.toString(start))).getJsonObject("resolveSerial").getJsonObject("block");
    assertEquals(start, block.getLong("serialStart"), c.name() + ": the range is its own block");
    assertEquals(start + RANGE_SIZE - 1, block.getLong("serialEnd"), c.name());
    if (c.racers()[winner] == Move.TRANSFER) {
      assertEquals("ACTIVE", block.getString("state"), c.name());
      assertEquals(destinations.get(winner), block.getJsonObject("account").getString("accountId"), c.name() + ": the winner holds the range");
    } else {
      assertEquals("RETIRED", block.getString("state"), c.name());
      assertEquals(seller, block.getJsonObject("account").getString("accountId"), c.name() + ": retired units stay with the seller");
    }
    long heldByBuyers = 0;
    for (String destination : destinations) {
      heldByBuyers += registry.balance(destination);
    }
    long retiredSoFar = 0;
    // Conservation: the seller's active units, the buyers' and the retired ones add up to the issuance.
    JsonObject retired = registry.data("{ retirements(first: 100) { edges { node { quantity } } } }", null);
    for (Object edge : retired.getJsonObject("retirements").getJsonArray("edges")) {
      retiredSoFar += ((JsonObject) edge).getJsonObject("node").getLong("quantity");
    }
    assertEquals(10_000, registry.balance(seller) + heldByBuyers + retiredSoFar, c.name() + ": units are conserved");
  }
}
