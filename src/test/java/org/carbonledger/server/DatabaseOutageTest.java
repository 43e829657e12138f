package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.carbonledger.ledger.EntryCodec;
import org.carbonledger.ledger.Hex;
import org.carbonledger.store.LogReader.StoredEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DatabaseOutageTest checks what clients see while PostgreSQL is down, and that the server comes back by
 * itself. Method: a server in this JVM on an embedded PostgreSQL this test controls; clients send keyed
 * transfers (the key is also the reference) while the database is stopped and then started again on the
 * same port and data directory. While it is down, every request must be answered (no hang) with a clear,
 * retryable code (UNAVAILABLE) and nothing else; once it is up, writes must succeed again without
 * restarting the server; every transfer acknowledged before, during or after the outage must be in the log
 * with the leaf hash it was acknowledged with, a retry of every unanswered key must commit at most once, the
 * offline verifier must pass, and a replay of the log must rebuild the projections exactly.
 */
class DatabaseOutageTest {

  private static final int CLIENTS = 2;
  private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(60);

  private record Sent(String key, String toAccountId) {}

  private record Acknowledged(long seq, String leafHash) {}

  private static EmbeddedPostgres startPostgres(Path directory, int port) throws IOException {
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setDataDirectory(directory).setCleanDataDirectory(false)
        .setPGStartupWait(Duration.ofSeconds(60));
    if (port > 0) {
      builder.setPort(port);
    }
    return builder.start();
  }

  private static JsonObject input(String seller, Sent sent) {
    return new JsonObject().put("fromAccountId", seller).put("toAccountId", sent.toAccountId())
        .put("units", new JsonObject().put("quantity", 1)).put("reference", sent.key()).put("idempotencyKey", sent.key());
  }

  /** Sends a keyed transfer: its acknowledgement, or the error code it was refused with. */
  private static Object send(FaultFixture api, String token, String seller, Sent sent) throws IOException, InterruptedException {
    HttpResponse<String> response = api.post(token, FaultFixture.mutationDocument("transferUnits", ""),
        new JsonObject().put("input", input(seller, sent)), Duration.ofSeconds(30));
    JsonObject json = new JsonObject(response.body());
    if (json.containsKey("errors")) {
      String code = json.getJsonArray("errors").getJsonObject(0).getJsonObject("extensions").getString("code");
      return response.statusCode() + " " + code;
    }
    assertEquals(200, response.statusCode(), response.body());
    JsonObject payload = json.getJsonObject("data").getJsonObject("transferUnits");
    assertTrue(payload.getJsonArray("userErrors").isEmpty(), sent.key() + " was rejected: " + payload.encode());
    return new Acknowledged(payload.getLong("seq"), payload.getString("leafHash"));
  }

  @Test
  void requestsFailClearlyWhileTheDatabaseIsDownAndTheServerRecoversByItself(@TempDir Path directory) throws Exception {
    Path cluster = directory.resolve("pg");
    EmbeddedPostgres postgres = startPostgres(cluster, 0);
    int port = postgres.getPort();
    PgConnectOptions database = new PgConnectOptions().setHost("localhost").setPort(port).setUser("postgres").setDatabase("postgres");
    Path data = Files.createDirectory(directory.resolve("data"));
    RegistryServer server = RegistryServer.start(ServerConfig.from(new Options(ServerConfig.OPTIONS, Map.of()).parse(List.of(
        "--http-port", "0", "--data-dir", data.toString(), "--pg-url", "postgresql://postgres@localhost:" + port + "/postgres"))));
    Vertx vertx = Vertx.vertx();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    try {
      String base = "http://127.0.0.1:" + server.port();
      FaultFixture api = new FaultFixture(base, Files.readString(data.resolve("admin-api-key")).trim());
      String seller = api.openAccount("Seller Trading", "Seller", "HOLDING", null);
      String sellerKey = api.holderKey(seller);
      api.issueTo(seller, 1_000_000);
      List<String> buyers = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        buyers.add(api.openAccount("Buyer " + i, "Buyer " + i, "HOLDING", null));
      }

      Map<String, Acknowledged> acknowledged = new ConcurrentHashMap<>();
      Map<String, Sent> unanswered = new ConcurrentHashMap<>();
      Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();
      AtomicBoolean stop = new AtomicBoolean();
      List<Future<?>> running = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        running.add(clients.submit(() -> {
          // Bounded: at most 5,000 requests per client, and the test stops them.
          for (int n = 0; n < 5_000 && !stop.get(); n++) {
            Sent sent = new Sent("c" + client + "-" + n, buyers.get(client));
            Object answer = send(api, sellerKey, seller, sent);
            if (answer instanceof Acknowledged ack) {
              acknowledged.put(sent.key(), ack);
            } else {
              unanswered.put(sent.key(), sent);
              refusals.computeIfAbsent((String) answer, k -> new AtomicInteger()).incrementAndGet();
              Thread.sleep(20);
            }
          }
          return null;
        }));
      }
      waitFor(() -> acknowledged.size() >= 20, "transfers before the outage");

      postgres.close();
      // While it is down, every kind of request is answered with UNAVAILABLE: a keyed write, a keyed read, a public read.
      record Probe(String name, String token, String query) {}
      for (Probe probe : new Probe[] {
          new Probe("keyed transfer", sellerKey, null),
          new Probe("keyed read", sellerKey, "query($a: ID!) { account(accountId: $a) { balance } }"),
          new Probe("public read", null, "{ log { size checkpoint { rootHash } } }"),
          new Probe("public entry", null, "{ entry(seq: 1) { leafHash } }")}) {
        for (int i = 0; i < 3; i++) {
          HttpResponse<String> response = probe.query() == null
              ? api.post(probe.token(), FaultFixture.mutationDocument("transferUnits", ""),
                  new JsonObject().put("input", input(seller, new Sent("outage-" + i, buyers.get(0)))), Duration.ofSeconds(30))
              : api.post(probe.token(), probe.query(), new JsonObject().put("a", seller), Duration.ofSeconds(30));
          JsonObject json = new JsonObject(response.body());
          assertTrue(json.containsKey("errors"), probe.name() + " while the database is down: " + response.body());
          assertEquals("UNAVAILABLE", json.getJsonArray("errors").getJsonObject(0).getJsonObject("extensions").getString("code"),
              probe.name() + " while the database is down: " + response.body());
          assertIncidentLogged(json.getJsonArray("errors").getJsonObject(0), probe.name());
          // Refused at admission (a key is checked against the database) is 503; a public read fails in its resolver, and
          // application/json answers a well-formed request 200 with the error. So does a keyed request in the moment
          // before the server has heard that its revocation listener's connection died: the key is still remembered.
          if (probe.token() == null) {
            assertEquals(200, response.statusCode(), probe.name() + ": " + response.body());
          } else {
            assertTrue(response.statusCode() == 503 || response.statusCode() == 200, probe.name() + ": " + response.body());
          }
        }
      }
      // So does a subscription that must read the log to catch up, over WebSocket.
      try (WsTestClient subscriber = WsTestClient.connect(vertx, WsTestClient.options(server.port())).await(30, TimeUnit.SECONDS)) {
        subscriber.send(new JsonObject().put("type", "connection_init"));
        assertEquals("connection_ack", subscriber.next().getString("type"));
        subscriber.subscribe("down", "subscription { entries { seq } }", null);
        JsonObject refused = subscriber.next();
        assertEquals("error", refused.getString("type"), refused.encode());
        assertEquals("UNAVAILABLE", refused.getJsonArray("payload").getJsonObject(0).getJsonObject("extensions").getString("code"),
            refused.encode());
      }
      // The log's HTTP routes answer an outage the same way: 503 UNAVAILABLE, not 500.
      HttpResponse<String> checkpoint = get(base + "/log/checkpoint");
      assertEquals(503, checkpoint.statusCode(), "/log/checkpoint while the database is down: " + checkpoint.body());
      assertEquals("UNAVAILABLE", new JsonObject(checkpoint.body()).getJsonArray("errors").getJsonObject(0)
          .getJsonObject("extensions").getString("code"));
      assertIncidentLogged(new JsonObject(checkpoint.body()).getJsonArray("errors").getJsonObject(0), "/log/checkpoint");
      // A load balancer's probes: the process lives, but is not ready to serve.
      assertEquals(200, get(base + "/health/live").statusCode());
      HttpResponse<String> notReady = get(base + "/health/ready");
      assertEquals(503, notReady.statusCode(), notReady.body());
      assertEquals(new JsonObject().put("status", "DOWN").put("database", "DOWN"), new JsonObject(notReady.body()));
      int refusedBefore = refusals.values().stream().mapToInt(AtomicInteger::get).sum();
      waitFor(() -> refusals.values().stream().mapToInt(AtomicInteger::get).sum() > refusedBefore + 10, "clients refused during the outage");

      postgres = startPostgres(cluster, port);
      int acknowledgedBefore = acknowledged.size();
      waitFor(() -> acknowledged.size() > acknowledgedBefore + 20, "transfers after the database came back");
      HttpResponse<String> ready = get(base + "/health/ready");
      assertEquals(200, ready.statusCode(), ready.body());
      assertEquals(new JsonObject().put("status", "UP").put("database", "UP"), new JsonObject(ready.body()));
      stop.set(true);
      for (Future<?> each : running) {
        each.get(60, TimeUnit.SECONDS);
      }
      for (String code : refusals.keySet()) {
        assertTrue(code.equals("503 UNAVAILABLE") || code.equals("200 UNAVAILABLE"), "the clients were refused with " + refusals);
      }

      // Every unanswered key, retried, commits at most once (the outage probes' keys too).
      for (int i = 0; i < 3; i++) {
        unanswered.put("outage-" + i, new Sent("outage-" + i, buyers.get(0)));
      }
      for (Sent sent : unanswered.values()) {
        Object answer = send(api, sellerKey, seller, sent);
        assertTrue(answer instanceof Acknowledged, sent.key() + " retried after the outage: " + answer);
        acknowledged.put(sent.key(), (Acknowledged) answer);
      }

      List<StoredEntry> entries = FaultFixture.entries(vertx, database);
      Map<String, Long> entryOfReference = new HashMap<>();
      for (StoredEntry entry : entries) {
        Object reference = EntryCodec.decode(entry.body()).data().get("reference");
        if ("UNITS_TRANSFERRED".equals(entry.type()) && reference != null) {
          Long earlier = entryOfReference.put((String) reference, entry.seq());
          assertEquals(null, earlier, "transfer " + reference + " committed twice: entries " + earlier + " and " + entry.seq());
        }
      }
      for (Map.Entry<String, Acknowledged> each : acknowledged.entrySet()) {
        StoredEntry entry = entries.get((int) each.getValue().seq());
        assertEquals(each.getValue().leafHash(), Hex.encode(entry.leafHash()), each.getKey() + ": the acknowledged entry is the stored one");
        assertEquals(each.getValue().seq(), entryOfReference.get(each.getKey()), each.getKey() + ": its entry carries its reference");
      }
      assertEquals(acknowledged.keySet(), entryOfReference.keySet(), "every committed transfer was acknowledged");

      String key = server.ledger().verifierKey();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      VerifyCommand verify = new VerifyCommand(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
      assertEquals(0, verify.run(new Options(verify.options(), Map.of()).parse(List.of("--url", base, "--key", key,
          "--state", directory.resolve("verifier-state").toString()))), "the verifier fails:\n" + err.toString(StandardCharsets.UTF_8));
      FaultFixture.assertReplayRebuildsTheProjections(vertx, database);
    } finally {
      clients.shutdownNow();
      server.close();
      vertx.close().await();
      postgres.close();
    }
  }

  /** An outage is logged under an incident id, and the client gets that id in the message and in {@code extensions.incident}. */
  private static void assertIncidentLogged(JsonObject error, String what) {
    String incident = error.getJsonObject("extensions").getString("incident");
    assertTrue(incident != null && incident.matches("[0-9a-f]{12}"), what + ": extensions.incident in " + error.encode());
    assertTrue(error.getString("message").contains("(incident " + incident + ")"), what + ": the message names it: " + error.encode());
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Waits, at most RECOVERY_TIMEOUT, until {@code condition} holds. */
  private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + RECOVERY_TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "gave up waiting for " + what);
      Thread.sleep(50);
    }
  }
}
