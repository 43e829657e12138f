package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.carbonledger.ledger.NoteSigner;
import org.carbonledger.store.Database;
import org.carbonledger.store.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ReplicaTest runs the registry as the architecture scales its reads: a writing server on a PostgreSQL primary and
 * a read-only server ({@code --read-only}) on a hot standby streaming from it, both real. The replica must answer
 * what the primary wrote, serve a log that verifies, stream new entries, honour revocations, and refuse writes.
 */
class ReplicaTest {

  private static final Duration REPLICATION_WAIT = Duration.ofSeconds(30);

  private static PrimaryWithStandby databases;
  private static TestServer writer;
  private static TestServer replica;
  private static Vertx clients;

  @BeforeAll
  static void start() throws Exception {
    databases = PrimaryWithStandby.start();
    writer = TestServer.startOn(databases.primary());
    DemoCommand demo = new DemoCommand(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertEquals(0, demo.run(new Options(demo.options(), Map.of()).parse(List.of("--url", writer.base, "--api-key", writer.adminToken))));
    replica = TestServer.startReadOnly(databases.standby(), writer.adminToken, "--metrics", "true");
    clients = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    if (clients != null) {
      clients.close().await(30, TimeUnit.SECONDS);
    }
    for (AutoCloseable closing : new AutoCloseable[] {replica, writer, databases}) {
      if (closing != null) {
        closing.close();
      }
    }
  }

  @Test
  void theReplicaAnswersWhatThePrimaryWroteAndServesALogThatVerifies(@TempDir Path directory) throws Exception {
    String checkpoint = awaitReplicated();
    assertTrue(checkpoint.lines().count() >= 3, checkpoint);
    String accounts = "{ accounts(first: 100) { edges { node { accountId type status balance } } } }";
    assertEquals(writer.data(accounts, null), replica.data(accounts, null));
    String retirements = "{ retirements(first: 100) { edges { node { seq quantity purpose beneficiaryName } } } }";
    assertEquals(writer.data(retirements, null), replica.data(retirements, null));
    assertEquals(writer.server.ledger().verifierKey() + "\n", replica.send(replica.request("/log/key").GET()).body());
    // Statements and feeds read the standby too: the same bytes as from the primary.
    String account = replica.data(accounts, null).getJsonObject("accounts").getJsonArray("edges").getJsonObject(0)
        .getJsonObject("node").getString("accountId");
    long size = replica.data("{ log { size } }", null).getJsonObject("log").getLong("size");
    for (String path : List.of("/statement.json?fromSeq=0&toSeq=" + (size - 1), "/statement.csv?fromSeq=0&toSeq=" + (size - 1))) {
      HttpResponse<String> fromReplica = replica.send(replica.request("/accounts/" + account + path)
          .header("Authorization", "Bearer " + writer.adminToken).GET());
      assertEquals(200, fromReplica.statusCode(), fromReplica.body());
      assertEquals(writer.send(writer.request("/accounts/" + account + path).header("Authorization", "Bearer " + writer.adminToken)
          .GET()).body(), fromReplica.body(), path);
    }

    // An auditor pointed at the replica checks the whole log and replays it, with the primary's key.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    VerifyCommand verify = new VerifyCommand(print, print);
    Path balances = directory.resolve("balances.csv");
    Path units = directory.resolve("units.csv");
    assertEquals(0, verify.run(new Options(verify.options(), Map.of()).parse(List.of("--url", replica.base,
        "--key", writer.server.ledger().verifierKey(), "--balances", balances.toString(), "--units", units.toString()))),
        out.toString(StandardCharsets.UTF_8));
    DemoCommandTest.assertReplayAgreesWithTheRegistry(replica, balances, units);
  }

  @Test
  void mutationsAreRefusedWithReadOnlyBeforeTheyRun() throws Exception {
    assertEquals("READ_ONLY", replica.errorCode(
        "mutation { openAccount(input: {holderName: \"N\", holderCountry: \"JP\", name: \"N\", type: HOLDING}) { seq } }", null));
    assertEquals("READ_ONLY", replica.errorCode(
        "mutation { createApiKey(input: {role: AUDITOR, name: \"replica\"}) { token } }", null));
    assertEquals("READ_ONLY", replica.errorCode("mutation { settleTransfers(input: {transfers: []}) { seqs } }", null));
    // Queries still run beside a refused mutation's kind.
    assertEquals(org.carbonledger.api.GraphQLApi.VERSION, replica.data("{ serverVersion }", null).getString("serverVersion"));
  }

  /**
   * The replica's process hears of no commit: once its subscriber has caught up, an entry the primary commits
   * arrives only because the feed polls the standby's head.
   */
  @Test
  void aSubscriptionOnTheReplicaReceivesWhatThePrimaryCommitsLive() throws Exception {
    awaitReplicated();
    long after = SubscriptionsTest.lastSeq(replica);
    try (WsTestClient client = WsTestClient.ready(clients, replica)) {
      client.subscribe("all", "subscription($after: Long) { entries(afterSeq: $after) { seq type } }",
          new JsonObject().put("after", after));
      long first = appendEntry("caught up by the replica");
      assertEquals(List.of(first), SubscriptionsTest.receiveThrough(client, "all", "entries", first).stream()
          .map(entry -> entry.getLong("seq")).toList());
      Thread.sleep(3_000); // the catch-up read ended well before: the subscription is live
      long live = appendEntry("streamed live by the replica");
      assertEquals(List.of(live), SubscriptionsTest.receiveThrough(client, "all", "entries", live).stream()
          .map(entry -> entry.getLong("seq")).toList());
    }
  }

  /**
   * A replica whose standby falls behind the primary, or is cut off from it, would answer an old registry and honour
   * keys revoked since: it refuses requests and is not ready until it has caught up again.
   */
  @Test
  void aReplicaBehindItsPrimaryRefusesRequestsUntilItCatchesUp() throws Exception {
    awaitReplicated();
    // A replica of its own with a 1 s limit, so that the shared one (30 s) answers the other tests meanwhile.
    try (TestServer laggard = TestServer.startReadOnly(databases.standby(), writer.adminToken, "--replica-lag-max-seconds", "1",
        "--metrics", "true");
         Connection standby = TestDatabases.jdbc(databases.standby()); Statement statement = standby.createStatement()) {
      assertEquals("streaming", readiness(laggard, 200).getString("walReceiver"));
      statement.execute("SELECT pg_wal_replay_pause()");
      try {
        appendEntry("not replayed yet"); // received, not replayed: the lag grows from the last commit replayed
        awaitTrue(() -> readinessStatus(laggard) == 503, "a replica whose replay is paused is not ready");
        assertTrue(readiness(laggard, 503).getString("reason").contains("behind the primary"));
        HttpResponse<String> refused = laggard.post(writer.adminToken, "{ log { size } }", null);
        assertEquals(503, refused.statusCode(), refused.body());
        assertEquals("UNAVAILABLE", new JsonObject(refused.body()).getJsonArray("errors").getJsonObject(0)
            .getJsonObject("extensions").getString("code"));
        assertEquals("5", refused.headers().firstValue("Retry-After").orElse(null));
        assertTrue(laggard.send(laggard.request("/metrics").GET()).body().contains("\ncarbonledger_replica_behind 1\n"),
            "the operator's scraper sees it too");
      } finally {
        statement.execute("SELECT pg_wal_replay_resume()");
      }
      awaitTrue(() -> readinessStatus(laggard) == 200, "the replica is ready once it has replayed again");

      // Cut off: the standby's primary_conninfo leads nowhere; its WAL receiver stops streaming.
      String primary;
      try (var shown = statement.executeQuery("SHOW primary_conninfo")) {
        shown.next();
        primary = shown.getString(1);
      }
      statement.execute("ALTER SYSTEM SET primary_conninfo = 'host=localhost port=1 user=postgres connect_timeout=1'");
      statement.execute("SELECT pg_reload_conf()");
      try {
        awaitTrue(() -> readinessStatus(laggard) == 503, "a replica cut off from its primary is not ready");
        assertTrue(readiness(laggard, 503).getString("reason").contains("WAL"), "the reason names the WAL receiver");
        assertEquals(503, status(laggard, writer.adminToken));
      } finally {
        statement.execute("ALTER SYSTEM SET primary_conninfo = '" + primary.replace("'", "''") + "'");
        statement.execute("SELECT pg_reload_conf()");
      }
      awaitTrue(() -> readinessStatus(laggard) == 200, "the replica is ready once it streams again");
      awaitTrue(() -> readinessStatus(replica) == 200, "the shared replica, cut off too, is ready again");
      awaitReplicated();
    }
  }

  @Test
  void aKeyRevokedOnThePrimaryStopsWorkingOnTheReplica() throws Exception {
    JsonObject created = writer.data("mutation { createApiKey(input: {role: AUDITOR, name: \"auditor\"}) { token key { keyId } } }", null)
        .getJsonObject("createApiKey");
    String token = created.getString("token");
    awaitTrue(() -> status(replica, token) == 200, "the new key works on the replica");
    writer.data("mutation($i: RevokeApiKeyInput!) { revokeApiKey(input: $i) { key { revokedAt } } }",
        new JsonObject().put("i", new JsonObject().put("keyId", created.getJsonObject("key").getString("keyId"))));
    awaitTrue(() -> status(replica, token) == 401, "the revoked key is refused on the replica");
  }

  @Test
  void readinessSaysTheReplicaReadsAStandbyAndMetricsHaveNoWriter() throws Exception {
    awaitReplicated();
    JsonObject ready = readiness(replica, 200);
    assertEquals("UP", ready.getString("status"));
    assertEquals(true, ready.getBoolean("readOnly"));
    assertEquals(true, ready.getBoolean("standby"));
    assertFalse(new JsonObject(writer.send(writer.request("/health/ready").GET()).body()).containsKey("readOnly"));

    String metrics = replica.send(replica.request("/metrics").GET()).body();
    assertTrue(metrics.contains("carbonledger_http_responses_total"), metrics);
    assertFalse(metrics.contains("carbonledger_writer_"), metrics);
    assertTrue(metrics.contains("\ncarbonledger_replica_behind 0\n"), metrics);
    assertTrue(metrics.contains("\ncarbonledger_replica_replay_lag_seconds "), metrics);
  }

  @Test
  void aServerThatWritesCannotStartOnTheStandby() {
    Exception refused = assertThrows(Exception.class, () -> TestServer.startOn(databases.standby()).close());
    assertTrue(String.valueOf(refused.getMessage()).contains("read-only transaction"), refused.toString());
  }

  @Test
  void aReadOnlyServerRefusesADatabaseWithoutTheSchemaOrALog() throws Exception {
    PgConnectOptions empty = TestDatabases.create();
    Exception noSchema = assertThrows(Exception.class, () -> TestServer.startReadOnly(empty, "unused").close());
    assertTrue(noSchema.getMessage().contains("no registry schema yet"), noSchema.getMessage());

    // The schema, but no log: nothing a writer has started on.
    Pool pool = Database.pool(clients, empty, 1);
    try {
      Database.prepare(pool, empty).await(30, TimeUnit.SECONDS);
    } finally {
      pool.close().await(30, TimeUnit.SECONDS);
    }
    Exception noLog = assertThrows(Exception.class, () -> TestServer.startReadOnly(empty, "unused").close());
    assertTrue(noLog.getMessage().contains("holds no log yet"), noLog.getMessage());

    // A schema one migration short: the replica does not migrate, it says which one the primary lacks.
    String latest;
    TestServer fresh = TestServer.start();
    fresh.close();
    try (Connection connection = TestDatabases.jdbc(fresh.database); Statement statement = connection.createStatement()) {
      var row = statement.executeQuery("SELECT file_name FROM schema_migrations ORDER BY version DESC LIMIT 1");
      row.next();
      latest = row.getString(1);
      statement.execute("DELETE FROM schema_migrations WHERE file_name = '" + latest + "'");
    }
    Exception behind = assertThrows(Exception.class, () -> TestServer.startReadOnly(fresh.database, "unused").close());
    assertTrue(behind.getMessage().contains("lacks migration " + latest), behind.getMessage());
  }

  @Test
  void aReadOnlyServerRefusesAnotherOriginsLog() throws Exception {
    awaitReplicated();
    Exception other = assertThrows(Exception.class,
        () -> TestServer.startReadOnly(databases.standby(), "unused", "--origin", "example.org/another-registry").close());
    assertTrue(other.getMessage().contains("example.org/another-registry"), other.getMessage());
  }

  @Test
  void aReadOnlyServerRefusesALogWhoseEntryZeroNamesAnotherKey() throws Exception {
    TestServer fresh = TestServer.start();
    String ownKey = fresh.server.ledger().verifierKey();
    fresh.close();
    String otherKey = NoteSigner.fromSeed("localhost/carbon-ledger", new byte[32]).verifier().vkey();
    try (Connection connection = TestDatabases.jdbc(fresh.database); Statement statement = connection.createStatement()) {
      statement.execute("SET session_replication_role = replica"); // past the append-only trigger, as an attacker with the database would
      statement.execute("UPDATE entries SET body = convert_to(replace(convert_from(body, 'UTF8'), '" + ownKey + "', '" + otherKey
          + "'), 'UTF8') WHERE seq = 0");
    }
    Exception refused = assertThrows(Exception.class, () -> TestServer.startReadOnly(fresh.database, "unused").close());
    assertTrue(refused.getMessage().contains("not signed by the key its entry 0 names"), refused.getMessage());
  }

  @Test
  void readOnlyNeedsAnotherServersDatabase() {
    Options options = new Options(ServerConfig.OPTIONS, Map.of()).parse(List.of("--read-only", "true"));
    ConfigException refused = assertThrows(ConfigException.class, () -> ServerConfig.from(options));
    assertTrue(refused.getMessage().contains("--pg-url"), refused.getMessage());
  }

  @Test
  void aLagLimitIsOnlyForAReadOnlyServer() {
    for (Options options : List.of(
        new Options(ServerConfig.OPTIONS, Map.of()).parse(List.of("--pg-url", "postgresql://u@h/db", "--replica-lag-max-seconds", "10")),
        new Options(ServerConfig.OPTIONS, Map.of("CARBONLEDGER_REPLICA_LAG_MAX_SECONDS", "10")).parse(List.of("--pg-url", "postgresql://u@h/db")))) {
      ConfigException refused = assertThrows(ConfigException.class, () -> ServerConfig.from(options));
      assertTrue(refused.getMessage().contains("--read-only"), refused.getMessage());
    }
    assertEquals(java.time.Duration.ofSeconds(10), ServerConfig.from(new Options(ServerConfig.OPTIONS, Map.of()).parse(List.of(
        "--pg-url", "postgresql://u@h/db", "--read-only", "true", "--replica-lag-max-seconds", "10"))).replicaLagMax());
  }

  /** Waits until the replica serves the primary's latest checkpoint, and returns it. */
  private static String awaitReplicated() throws Exception {
    String[] latest = new String[1];
    awaitTrue(() -> {
      latest[0] = checkpoint(writer);
      return latest[0].equals(checkpoint(replica));
    }, "the replica serves the primary's checkpoint");
    return latest[0];
  }

  /** Opens an account on the primary (a registry entry, so that the log still replays); returns its seq. */
  private static long appendEntry(String name) throws Exception {
    return writer.data("mutation($i: OpenAccountInput!) { openAccount(input: $i) { seq } }", new JsonObject().put("i",
        new JsonObject().put("holderName", name).put("holderCountry", "JP").put("name", name).put("type", "HOLDING")))
        .getJsonObject("openAccount").getLong("seq");
  }

  private static int readinessStatus(TestServer server) {
    try {
      return server.send(server.request("/health/ready").GET()).statusCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonObject readiness(TestServer server, int expectedStatus) throws Exception {
    HttpResponse<String> response = server.send(server.request("/health/ready").GET());
    assertEquals(expectedStatus, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  private static String checkpoint(TestServer server) {
    try {
      return server.send(server.request("/log/checkpoint").GET()).body();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static int status(TestServer server, String token) {
    try {
      HttpResponse<String> response = server.post(token, "{ serverVersion }", null);
      return response.statusCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + REPLICATION_WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "not within " + REPLICATION_WAIT + ": " + what);
      Thread.sleep(50);
    }
  }
}
