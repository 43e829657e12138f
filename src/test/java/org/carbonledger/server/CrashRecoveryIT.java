package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
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
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.carbonledger.ledger.EntryCodec;
import org.carbonledger.ledger.Hex;
import org.carbonledger.ledger.LedgerEntry;
import org.carbonledger.store.LogReader.StoredEntry;
import org.carbonledger.store.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CrashRecoveryIT checks that a server killed at any moment loses nothing it acknowledged and commits nothing
 * twice. Method: the packaged jar runs as a process on a database of its own (TestDatabases, so the data
 * outlives the process). Each round starts it, first retries every keyed transfer of the round before that
 * got no answer (each must now answer a seq: the original one if it had committed, a new one if not), then
 * lets a few clients send keyed transfers (the idempotency key is also the transfer's reference) and kills
 * the process with SIGKILL after a random pause (seeded: system property {@code crash.seed}). At the end every
 * acknowledged seq must hold the entry that was acknowledged (same leaf hash, same reference), no reference
 * may appear in two entries, the offline verifier must pass against the restarted server, and replaying the
 * log into an empty database must rebuild every projection table exactly.
 */
class CrashRecoveryIT {

  private static final long SEED = Long.getLong("crash.seed", 7_919L);
  private static final int ROUNDS = 8;
  private static final int CLIENTS = 3;
  private static final int TRANSFERS_PER_CLIENT_MAX = 500;

  /** A started server process, the file its output goes to, and its port. */
  private record Server(Process process, Path output, int port) {
    String base() {
      return "http://127.0.0.1:" + port;
    }
  }

  /** What a keyed transfer sent: its key (also its reference), destination and quantity. */
  private record Sent(String key, String toAccountId, long quantity) {}

  /** The answer a keyed transfer got. */
  private record Acknowledged(long seq, String leafHash) {}

  private static Server start(Path directory, PgConnectOptions database, String name) throws Exception {
    Path output = directory.resolve(name + ".log");
    // The clients send as fast as the server answers, from one key: the per-key rate limit is not under test here.
    Process process = ServerProcesses.launch(directory, output, "--http-port", "0",
        "--data-dir", directory.resolve("data").toString(), "--pg-url", TestDatabases.url(database),
        "--rate-limit", "1000000", "--rate-limit-burst", "1000000");
    return new Server(process, output, ServerProcesses.awaitStarted(process, output));
  }

  private static void kill(Server server) throws InterruptedException {
    server.process().destroyForcibly(); // SIGKILL
    assertTrue(server.process().waitFor(60, TimeUnit.SECONDS), "the killed server did not exit");
  }

  private static JsonObject transferInput(String seller, Sent sent) {
    return new JsonObject().put("fromAccountId", seller).put("toAccountId", sent.toAccountId())
        .put("units", new JsonObject().put("quantity", sent.quantity())).put("reference", sent.key()).put("idempotencyKey", sent.key());
  }

  /** Sends one keyed transfer; its acknowledgement, or null when no answer came (the server died). */
  private static Acknowledged send(FaultFixture api, String sellerKey, String seller, Sent sent) throws InterruptedException {
    HttpResponse<String> response;
    try {
      response = api.post(sellerKey, FaultFixture.mutationDocument("transferUnits", ""),
          new JsonObject().put("input", transferInput(seller, sent)), Duration.ofSeconds(20));
    } catch (IOException e) {
      return null;
    }
    JsonObject json = new JsonObject(response.body());
    if (response.statusCode() != 200 || json.containsKey("errors")) {
      throw new AssertionError(sent.key() + " answered " + response.statusCode() + ": " + response.body());
    }
    JsonObject payload = json.getJsonObject("data").getJsonObject("transferUnits");
    if (!payload.getJsonArray("userErrors").isEmpty()) {
      throw new AssertionError(sent.key() + " was rejected: " + payload.encode());
    }
    return new Acknowledged(payload.getLong("seq"), payload.getString("leafHash"));
  }

  @Test
  void aKilledServerLosesNothingAcknowledgedAndCommitsNothingTwice(@TempDir Path directory) throws Exception {
    Random random = new Random(SEED);
    PgConnectOptions database = TestDatabases.create();
    Map<String, Acknowledged> acknowledged = new ConcurrentHashMap<>();
    Map<String, Sent> sentByKey = new ConcurrentHashMap<>();
    List<Sent> unanswered = new ArrayList<>();
    int retried = 0;
    Server server = start(directory, database, "setup");
    String adminToken = Files.readString(directory.resolve("data/admin-api-key")).trim();
    FaultFixture setup = new FaultFixture(server.base(), adminToken);
    String seller = setup.openAccount("Seller Trading", "Seller", "HOLDING", null);
    String sellerKey = setup.holderKey(seller);
    setup.issueTo(seller, 1_000_000);
    List<String> buyers = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      buyers.add(setup.openAccount("Buyer " + i, "Buyer " + i, "HOLDING", null));
    }
    kill(server);

    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    try {
      for (int round = 0; round < ROUNDS; round++) {
        server = start(directory, database, "round-" + round);
        FaultFixture api = new FaultFixture(server.base(), adminToken);
        for (Sent sent : unanswered) {
          Acknowledged answer = send(api, sellerKey, seller, sent);
          assertTrue(answer != null, "round " + round + ": the retry of " + sent.key() + " got no answer from a live server");
          acknowledged.put(sent.key(), answer);
          retried++;
        }
        unanswered.clear();
        // An acknowledged key asked again answers its original entry.
        for (String key : acknowledged.keySet().stream().sorted().limit(5).toList()) {
          Acknowledged again = send(api, sellerKey, seller, sentByKey.get(key));
          assertEquals(acknowledged.get(key), again, "round " + round + ": " + key + " asked again");
        }

        AtomicBoolean dead = new AtomicBoolean();
        List<Future<List<Sent>>> running = new ArrayList<>();
        List<Long> quantities = new ArrayList<>();
        for (int i = 0; i < CLIENTS * TRANSFERS_PER_CLIENT_MAX; i++) {
          quantities.add(1L + random.nextInt(5));
        }
        for (int c = 0; c < CLIENTS; c++) {
          int client = c;
          int currentRound = round;
          running.add(clients.submit(() -> {
            List<Sent> lost = new ArrayList<>();
            for (int n = 0; n < TRANSFERS_PER_CLIENT_MAX && !dead.get(); n++) {
              Sent sent = new Sent("r" + currentRound + "-c" + client + "-" + n, buyers.get(client),
                  quantities.get(client * TRANSFERS_PER_CLIENT_MAX + n));
              sentByKey.put(sent.key(), sent);
              Acknowledged answer = send(api, sellerKey, seller, sent);
              if (answer == null) {
                lost.add(sent);
                break;
              }
              acknowledged.put(sent.key(), answer);
            }
            return lost;
          }));
        }
        Thread.sleep(200 + random.nextInt(1500));
        kill(server);
        dead.set(true);
        for (Future<List<Sent>> each : running) {
          unanswered.addAll(each.get(60, TimeUnit.SECONDS));
        }
      }
    } finally {
      clients.shutdownNow();
      assertTrue(clients.awaitTermination(30, TimeUnit.SECONDS));
    }

    server = start(directory, database, "final");
    try {
      FaultFixture api = new FaultFixture(server.base(), adminToken);
      for (Sent sent : unanswered) {
        Acknowledged answer = send(api, sellerKey, seller, sent);
        assertTrue(answer != null, "the final retry of " + sent.key() + " got no answer");
        acknowledged.put(sent.key(), answer);
        retried++;
      }
      System.out.println("CrashRecoveryIT seed " + SEED + ": " + ROUNDS + " kills, " + acknowledged.size()
          + " acknowledged transfers, " + retried + " of them first sent unanswered and retried after a restart");
      // Clients send without pause, so a kill nearly always cuts some in flight: the retries are the point.
      assertTrue(retried > 0, "no transfer was in flight at any of the kills");
      assertTrue(acknowledged.size() >= ROUNDS, "the clients got far: " + acknowledged.size() + " acknowledged transfers");

      Vertx vertx = Vertx.vertx();
      try {
        List<StoredEntry> entries = FaultFixture.entries(vertx, database);
        Map<String, Long> entryOfReference = new HashMap<>();
        for (StoredEntry entry : entries) {
          LedgerEntry decoded = EntryCodec.decode(entry.body());
          Object reference = decoded.data().get("reference");
          if ("UNITS_TRANSFERRED".equals(entry.type()) && reference != null) {
            Long earlier = entryOfReference.put((String) reference, entry.seq());
            assertEquals(null, earlier, "transfer " + reference + " committed twice: entries " + earlier + " and " + entry.seq());
          }
        }
        for (Map.Entry<String, Acknowledged> each : acknowledged.entrySet()) {
          Acknowledged answer = each.getValue();
          assertTrue(answer.seq() < entries.size(), each.getKey() + " was acknowledged as " + answer.seq() + " but the log has " + entries.size());
          StoredEntry entry = entries.get((int) answer.seq());
          assertEquals(answer.leafHash(), Hex.encode(entry.leafHash()), each.getKey() + ": the acknowledged entry is the stored one");
          assertEquals(answer.seq(), entryOfReference.get(each.getKey()), each.getKey() + ": its entry carries its reference");
        }
        assertEquals(acknowledged.keySet(), entryOfReference.keySet(), "every committed transfer was acknowledged (at the latest on retry)");

        String key = api.data("{ log { verifierKey } }", null).getJsonObject("log").getString("verifierKey");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        VerifyCommand verify = new VerifyCommand(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        int code = verify.run(new Options(verify.options(), Map.of()).parse(List.of("--url", server.base(), "--key", key,
            "--state", directory.resolve("verifier-state").toString())));
        assertEquals(0, code, "the verifier fails:\n" + err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("size " + entries.size()), out.toString(StandardCharsets.UTF_8));

        FaultFixture.assertReplayRebuildsTheProjections(vertx, database);
      } finally {
        vertx.close().await();
      }
    } finally {
      server.process().destroy();
      if (!server.process().waitFor(60, TimeUnit.SECONDS)) {
        server.process().destroyForcibly();
      }
    }
  }
}
