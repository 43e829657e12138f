package org.carbonledger.store;

import static org.carbonledger.store.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.carbonledger.registry.Ids;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * KnownKeysTest: remembered keys save the lookup, and no revocation is missed: not one made by another process or
 * by plain SQL, not one made while the listening connection was gone, not one racing a lookup. Method: servers
 * are played by ApiKeys instances with their own pools and KnownKeys on one real database; "no lookup" is
 * {@link ApiKeys#lookups()}, and the listening connection is killed with pg_terminate_backend.
 */
class KnownKeysTest {

  private static final String HOLDER = Ids.format(Ids.Kind.HOLDER, 1);
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private static Vertx vertx;
  private static PgConnectOptions database;
  private static Pool pool;

  @BeforeAll
  static void open() throws SQLException {
    vertx = Vertx.vertx();
    database = TestDatabases.create();
    pool = Database.pool(vertx, database, 4);
    await(Database.prepare(pool, database));
    sql("INSERT INTO account_holders VALUES ('" + HOLDER + "', 'Fuji Precision', 'JP', 1)");
  }

  @AfterAll
  static void close() {
    pool.close().await();
    vertx.close().await();
  }

  private static void sql(String statement) throws SQLException {
    try (Connection connection = TestDatabases.jdbc(database); Statement created = connection.createStatement()) {
      created.execute(statement);
    }
  }

  private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + PATIENCE + ": " + what);
      }
      Thread.sleep(10);
    }
  }

  private static KnownKeys listening() throws InterruptedException {
    KnownKeys known = KnownKeys.listening(vertx, database);
    eventually("listens for revocations", known::isListening);
    return known;
  }

  private static boolean accepted(ApiKeys keys, String token) {
    return await(keys.authenticate(token)).isPresent();
  }

  /** A new key's token, accepted once from the database and then again from memory (no second lookup). */
  private static String rememberedToken(ApiKeys keys, String name) {
    String token = await(keys.create("ACCOUNT_HOLDER", HOLDER, name)).token();
    assertTrue(accepted(keys, token));
    long lookups = keys.lookups();
    assertTrue(accepted(keys, token));
    assertEquals(lookups, keys.lookups(), name + ": answered from memory");
    return token;
  }

  private static String keyIdOf(String token) {
    return token.substring(4, 21);
  }

  @Test
  void aRememberedKeyCostsNoLookupAndStillNeedsItsSecret() throws Exception {
    try (KnownKeys known = listening()) {
      ApiKeys keys = new ApiKeys(vertx, pool, known);
      String token = await(keys.create("ACCOUNT_HOLDER", HOLDER, "remembered")).token();
      assertTrue(accepted(keys, token));
      long lookups = keys.lookups();
      for (int i = 0; i < 5; i++) {
        assertEquals(HOLDER, await(keys.authenticate(token)).orElseThrow().holderId());
      }
      assertEquals(lookups, keys.lookups(), "answered from memory");

      char last = token.charAt(token.length() - 2);
      String wrongSecret = token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A') + token.charAt(token.length() - 1);
      assertEquals(Optional.empty(), await(keys.authenticate(wrongSecret)), "a remembered key id with another secret");
      assertTrue(accepted(keys, token));
    }
  }

  @Test
  void withoutKnownKeysEveryRequestAsksTheDatabase() {
    ApiKeys keys = new ApiKeys(vertx, pool);
    String token = await(keys.create("ACCOUNT_HOLDER", HOLDER, "never remembered")).token();
    long lookups = keys.lookups();
    assertTrue(accepted(keys, token));
    assertTrue(accepted(keys, token));
    assertEquals(lookups + 2, keys.lookups());
  }

  @Test
  void aRevocationByAnotherProcessOrByPlainSqlIsHeard() throws Exception {
    Pool otherPool = Database.pool(vertx, database, 2);
    try (KnownKeys known = listening()) {
      ApiKeys server = new ApiKeys(vertx, pool, known);
      ApiKeys otherProcess = new ApiKeys(vertx, otherPool);
      String byApi = rememberedToken(server, "revoked elsewhere");
      String bySql = rememberedToken(server, "revoked by hand");

      assertEquals(ApiKeys.Revocation.REVOKED, await(otherProcess.revoke(keyIdOf(byApi))));
      eventually("the other process's revocation is heard", () -> !accepted(server, byApi));
      sql("UPDATE api_keys SET revoked_at = now() WHERE key_id = '" + keyIdOf(bySql) + "'");
      eventually("the revocation by SQL is heard", () -> !accepted(server, bySql));
      assertTrue(known.isListening());
    } finally {
      otherPool.close().await();
    }
  }

  /** A TCP proxy to the test database that drops each connection when its client sends LISTEN. */
  private static final class ListenDropper implements AutoCloseable {
    final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    final AtomicInteger dropped = new AtomicInteger();

    ListenDropper(PgConnectOptions target) throws IOException {
      daemon(() -> {
        try {
          while (true) {
            Socket client = server.accept();
            Socket upstream = new Socket(target.getHost(), target.getPort());
            daemon(() -> pump(upstream, client, false));
            daemon(() -> pump(client, upstream, true));
          }
        } catch (IOException closed) {
          // the test is over
        }
      });
    }

    private void pump(Socket from, Socket to, boolean dropOnListen) {
      byte[] buffer = new byte[8192];
      try (from; to) { // either side ending ends both
        int read;
        while ((read = from.getInputStream().read(buffer)) > 0) {
          if (dropOnListen && new String(buffer, 0, read, StandardCharsets.ISO_8859_1).contains("LISTEN ")) {
            dropped.incrementAndGet();
            return;
          }
          to.getOutputStream().write(buffer, 0, read);
        }
      } catch (IOException gone) {
        // the other side ended
      }
    }

    private static void daemon(Runnable work) {
      Thread thread = new Thread(work);
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  @Test
  void aConnectionLostUnderItsListenIsTriedAgainOnceNotTwice() throws Exception {
    List<String> retries = new CopyOnWriteArrayList<>();
    Handler retryLog = new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (record.getMessage().startsWith("auth.revocations_not_heard") && record.getMessage().contains("retry_ms=")) {
          retries.add(record.getMessage());
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger logger = Logger.getLogger(KnownKeys.class.getName());
    logger.addHandler(retryLog);
    try (ListenDropper dropper = new ListenDropper(database);
         KnownKeys known = KnownKeys.listening(vertx, new PgConnectOptions(database).setHost("127.0.0.1")
             .setPort(dropper.server.getLocalPort()))) {
      eventually("three connections dropped under their LISTEN", () -> dropper.dropped.get() >= 3);
      int retried = retries.size(); // read before the drops: each drop comes before its retry
      assertTrue(retried <= dropper.dropped.get(), "one retry per lost connection, not two: " + retries);
      assertFalse(known.isListening());
    } finally {
      logger.removeHandler(retryLog);
    }
  }

  @Test
  void aRevocationInThisProcessTakesEffectWhenRevokeReturns() throws Exception {
    // Listening on another database, it never hears this one's revocations: only revoke() itself can make it forget.
    KnownKeys deaf = KnownKeys.listening(vertx, TestDatabases.create());
    try (deaf) {
      eventually("listens", deaf::isListening);
      ApiKeys keys = new ApiKeys(vertx, pool, deaf);
      String token = rememberedToken(keys, "revoked here");
      assertEquals(ApiKeys.Revocation.REVOKED, await(keys.revoke(keyIdOf(token))));
      assertFalse(accepted(keys, token));
    }
  }

  @Test
  void whileNotListeningNothingIsRememberedAndNothingMissed() throws Exception {
    try (KnownKeys known = listening()) {
      ApiKeys keys = new ApiKeys(vertx, pool, known);
      String token = rememberedToken(keys, "listener lost");

      sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '" + KnownKeys.APPLICATION_NAME
          + "' AND datname = current_database()");
      eventually("notices the lost connection", () -> !known.isListening());
      // Revoked while nobody listens: the announcement is lost, so the key must not be answered from memory.
      sql("UPDATE api_keys SET revoked_at = now() WHERE key_id = '" + keyIdOf(token) + "'");
      assertFalse(accepted(keys, token));

      eventually("listens again", known::isListening);
      rememberedToken(keys, "remembered again once it listens");
      assertFalse(accepted(keys, token));
    }
  }

  @Test
  void aListenerThatFallsSilentWithoutClosingIsNoLongerTrusted() throws Exception {
    // A network path that drops everything and closes nothing (an idle timeout in a firewall, a partition).
    try (SilentProxy proxy = new SilentProxy(database)) {
      KnownKeys known = KnownKeys.listening(vertx, proxy.options());
      try (known) {
        eventually("listens through the proxy", known::isListening);
        ApiKeys keys = new ApiKeys(vertx, pool, known);
        String token = rememberedToken(keys, "silent path");

        proxy.fallSilent();
        sql("UPDATE api_keys SET revoked_at = now() WHERE key_id = '" + keyIdOf(token) + "'");
        // The announcement is lost on the way; the missing heartbeats must end the trust instead.
        eventually("notices that it hears nothing", () -> !known.isListening());
        assertFalse(accepted(keys, token));
      }
    }
  }

  /** SilentProxy forwards TCP to PostgreSQL until told to fall silent: then it drops every byte and closes nothing. */
  private static final class SilentProxy implements AutoCloseable {
    private final PgConnectOptions target;
    private final java.net.ServerSocket server = new java.net.ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress());
    private volatile boolean silent;

    SilentProxy(PgConnectOptions target) throws java.io.IOException {
      this.target = target;
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            java.net.Socket client = server.accept();
            java.net.Socket upstream = new java.net.Socket(target.getHost(), target.getPort());
            pump(client, upstream);
            pump(upstream, client);
          }
        } catch (java.io.IOException closed) {
          // the proxy is closed
        }
      }, "silent-proxy");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    PgConnectOptions options() {
      return new PgConnectOptions(target).setHost("127.0.0.1").setPort(server.getLocalPort());
    }

    void fallSilent() {
      silent = true;
    }

    private void pump(java.net.Socket from, java.net.Socket to) {
      Thread pump = new Thread(() -> {
        byte[] buffer = new byte[8192];
        try (java.io.InputStream in = from.getInputStream(); java.io.OutputStream out = to.getOutputStream()) {
          for (int read; (read = in.read(buffer)) >= 0; ) {
            if (!silent) {
              out.write(buffer, 0, read);
              out.flush();
            }
          }
        } catch (java.io.IOException closed) {
          // either side closed
        }
      }, "silent-proxy-pump");
      pump.setDaemon(true);
      pump.start();
    }

    @Override
    public void close() throws java.io.IOException {
      server.close();
    }
  }

  @Test
  void aLookupThatOverlapsARevocationIsNotRemembered() throws Exception {
    try (KnownKeys known = listening()) {
      ApiKeys.ApiKey key = new ApiKeys.ApiKey("K0123456789abcdef", "AUDITOR", null, "raced", java.time.Instant.now(), null);
      long before = known.generation();
      known.forget("K0123456789abcdef");
      known.remember(before, key, new byte[32]);
      assertNull(known.get(key.keyId()), "the answer may predate the revocation");
      known.remember(known.generation(), key, new byte[32]);
      assertNotNull(known.get(key.keyId()));
      known.forget(key.keyId());
      assertNull(known.get(key.keyId()));
    }
  }

  @Test
  void aRememberedKeyIsAskedForAgainAfterItsTime() throws Exception {
    KnownKeys known = KnownKeys.listening(vertx, database, Duration.ZERO);
    try (known) {
      eventually("listens for revocations", known::isListening);
      ApiKeys keys = new ApiKeys(vertx, pool, known);
      String token = await(keys.create("ACCOUNT_HOLDER", HOLDER, "short memory")).token();
      long lookups = keys.lookups();
      assertTrue(accepted(keys, token));
      Thread.sleep(1);
      assertTrue(accepted(keys, token));
      assertEquals(lookups + 2, keys.lookups());
    }
  }

  @Test
  void closedKnownKeysRememberNothing() throws Exception {
    KnownKeys known = listening();
    known.close();
    assertFalse(known.isListening());
    ApiKeys keys = new ApiKeys(vertx, pool, known);
    String token = await(keys.create("ACCOUNT_HOLDER", HOLDER, "after close")).token();
    long lookups = keys.lookups();
    assertTrue(accepted(keys, token));
    assertTrue(accepted(keys, token));
    assertEquals(lookups + 2, keys.lookups());
    Thread.sleep(600); // longer than the first reconnect delay: a closed one must not start listening again
    assertFalse(known.isListening());
  }
}
