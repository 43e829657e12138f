package org.carbonledger.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.carbonledger.ledger.Hashes;
import org.carbonledger.ledger.NoteSigner;
import org.carbonledger.registry.RegistryState;

/**
 * TestLedger is a migrated fresh database with an open Ledger, for tests of the store. Close it after use.
 */
public final class TestLedger implements AutoCloseable {

  public static final String ORIGIN = "test.example/carbon-ledger";
  public static final NoteSigner SIGNER = NoteSigner.fromSeed(ORIGIN, Hashes.sha256("test log key".getBytes(StandardCharsets.UTF_8)));

  public final Vertx vertx;
  public final PgConnectOptions database;
  public final Pool pool;
  public final Ledger ledger;

  private TestLedger(Vertx vertx, PgConnectOptions database, Pool pool, Ledger ledger) {
    this.vertx = vertx;
    this.database = database;
    this.pool = pool;
    this.ledger = ledger;
  }

  public static TestLedger open() {
    return open(LogWriter.Limits.DEFAULT);
  }

  public static TestLedger open(LogWriter.Limits limits) {
    Vertx vertx = Vertx.vertx();
    PgConnectOptions database = TestDatabases.create();
    Pool pool = Database.pool(vertx, database, 8);
    await(Database.prepare(pool, database));
    Ledger ledger = await(Ledger.open(vertx, pool, SIGNER, ORIGIN, limits));
    return new TestLedger(vertx, database, pool, ledger);
  }

  /** A second Ledger (own Vert.x, own pool) on the same database, as a second server process would have. */
  public TestLedger secondProcess(LogWriter.Limits limits) {
    Vertx other = Vertx.vertx();
    Pool otherPool = Database.pool(other, database, 8);
    Ledger otherLedger = await(Ledger.open(other, otherPool, SIGNER, ORIGIN, limits));
    return new TestLedger(other, database, otherPool, otherLedger);
  }

  public static <T> T await(Future<T> future) {
    try {
      return future.await(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("timed out", e);
    }
  }

  @Override
  public void close() {
    pool.close().await();
    vertx.close().await();
  }

  /** Note is a test command: appends a TEST_NOTE entry with its text, or is rejected, or breaks its batch. */
  public static final class Note implements LedgerCommand {
    public enum Behaviour { ACCEPT, REJECT, FAIL_PROJECTION }

    private final String text;
    private final Behaviour behaviour;

    public Note(String text) {
      this(text, Behaviour.ACCEPT);
    }

    public Note(String text, Behaviour behaviour) {
      this.text = text;
      this.behaviour = behaviour;
    }

    @Override
    public String type() {
      return "TEST_NOTE";
    }

    @Override
    public Future<Map<String, Object>> decide(SqlConnection transaction, RegistryState registry, Instant time) {
      if (behaviour == Behaviour.REJECT) {
        return Future.failedFuture(new CommandRejectedException("TEST_REJECTED", "rejected on purpose"));
      }
      return Future.succeededFuture(Map.of("text", text));
    }

    @Override
    public Future<Void> project(SqlConnection transaction, ProjectionBatch batch, long seq, Map<String, Object> data) {
      if (behaviour == Behaviour.FAIL_PROJECTION) {
        return transaction.query("SELECT 1 / 0").execute().mapEmpty();
      }
      return Future.succeededFuture();
    }
  }
}
