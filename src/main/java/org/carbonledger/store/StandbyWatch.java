package org.carbonledger.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * StandbyWatch follows, for a read-only server, whether its database still follows the primary. Once a second it
 * asks PostgreSQL whether the database is a standby, whether its WAL receiver streams from the primary, and, when
 * it has received WAL it has not replayed yet, how long ago the last transaction it did replay committed. The
 * server is behind when its standby does not stream (cut off from the primary, or fed by nothing), or lags by more
 * than {@code lagMax} in two asks running: WAL that is not a transaction (a checkpoint record) arrives a moment
 * before it is replayed, and must not count as all the time since the last commit. A database that is not a
 * standby (a read-only server on the primary) is never behind.
 *
 * <p>Behind, a replica would answer with an old registry and honour API keys the primary has revoked since, so the
 * server refuses requests meanwhile (AuthGate) and its readiness says so.
 */
public final class StandbyWatch implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(StandbyWatch.class.getName());
  static final Duration POLL = Duration.ofSeconds(1);

  /**
   * Status is the latest answer: whether the database is a standby, its WAL receiver's status (null when there
   * is none, or when the role may not see it), the replay lag in seconds, and why the server is behind, or null.
   */
  public record Status(boolean standby, String walReceiver, double replayLagSeconds, String behind) {}

  private final Vertx vertx;
  private final Pool pool;
  private final Duration lagMax;
  private volatile Status status;
  private final AtomicBoolean asking = new AtomicBoolean();
  /** Asks in a row whose lag was above lagMax; asks never overlap. */
  private int lagging;
  private boolean warnedUnprivileged;
  private long timer = -1;

  private StandbyWatch(Vertx vertx, Pool pool, Duration lagMax) {
    this.vertx = vertx;
    this.pool = pool;
    this.lagMax = lagMax;
  }

  /** Asks once, then every second; the future completes after the first answer. */
  public static Future<StandbyWatch> start(Vertx vertx, Pool pool, Duration lagMax) {
    StandbyWatch watch = new StandbyWatch(vertx, pool, lagMax);
    return watch.ask().map(first -> {
      watch.timer = vertx.setPeriodic(POLL.toMillis(), tick -> {
        if (watch.asking.compareAndSet(false, true)) { // a database slow to answer is not asked twice at once
          watch.ask().onComplete(done -> watch.asking.set(false));
        }
      });
      return watch;
    });
  }

  /** The latest answer. */
  public Status status() {
    return status;
  }

  /** Why the server is behind its primary now, or null when it is current. */
  public String behind() {
    return status.behind();
  }

  private Future<Void> ask() {
    return pool.query("""
        SELECT pg_is_in_recovery(),
               (SELECT count(*) FROM pg_stat_wal_receiver),
               (SELECT status FROM pg_stat_wal_receiver),
               CASE WHEN pg_is_in_recovery() AND pg_last_wal_receive_lsn() IS DISTINCT FROM pg_last_wal_replay_lsn()
                    THEN greatest(0, coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0))
                    ELSE 0 END""").execute()
        .map(rows -> {
          status = judge(rows.iterator().next());
          return (Void) null;
        })
        .otherwise(failure -> {
          status = new Status(true, null, 0, "its database does not answer (" + failure.getMessage() + ")");
          return null;
        });
  }

  private synchronized Status judge(Row row) {
    if (!row.getBoolean(0)) {
      lagging = 0;
      return new Status(false, null, 0, null);
    }
    long receivers = row.getLong(1);
    String receiver = row.getString(2);
    double lag = row.getNumeric(3).doubleValue();
    lagging = lag > lagMax.toSeconds() ? lagging + 1 : 0;
    if (receivers == 0) {
      return new Status(true, null, lag, "its standby receives no WAL from the primary (no WAL receiver runs)");
    }
    if (receiver == null && !warnedUnprivileged) {
      // PostgreSQL shows a WAL receiver's details only to pg_read_all_stats; without them, one that runs counts.
      warnedUnprivileged = true;
      LOG.warning("replica.wal_receiver_hidden advice=\"grant pg_read_all_stats to this server's role, so that it"
          + " sees whether its standby streams from the primary\"");
    }
    if (receiver != null && !receiver.equals("streaming")) {
      return new Status(true, receiver, lag, "its standby's WAL receiver is " + receiver + ", not streaming from the primary");
    }
    if (lagging >= 2) {
      return new Status(true, receiver, lag, "its standby's replay is " + Math.round(lag) + " s behind the primary"
          + " (the limit is " + lagMax.toSeconds() + " s)");
    }
    return new Status(true, receiver, lag, null);
  }

  @Override
  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
