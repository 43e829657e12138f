package org.carbonledger.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * StandbyWatch follows, for a read-only server, whether its database still follows the primary. Once a second it
 * asks PostgreSQL whether the database is a standby, whether its WAL receiver streams from the primary, and, when
 * it has received WAL it has not replayed yet, how long ago the last transaction it did replay committed. The
 * server is behind when its standby does not stream (cut off from the primary, or fed by nothing), lags by more
 * than {@code lagMax}, fails to answer, in two asks running (one reset connection, or WAL that is not a
 * transaction replayed a moment after it arrives, must not turn every client away), or has not answered for
 * {@link #SILENCE_MAX} (a database that hangs). A database that is not a standby (a read-only server on the
 * primary) is never behind by lag.
 *
 * <p>Behind, a replica would answer with an old registry and honour API keys the primary has revoked since, so the
 * server refuses requests meanwhile (AuthGate) and its readiness says so.
 */
public final class StandbyWatch implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(StandbyWatch.class.getName());
  static final Duration POLL = Duration.ofSeconds(1);
  /** Longer than this without an answer, the server counts as behind whatever the last answer said. */
  static final Duration SILENCE_MAX = Duration.ofSeconds(3);

  /**
   * Status is what the latest answer said: whether the database is a standby, its WAL receiver's status (null when
   * there is none, or when the role may not see it), and the replay lag in seconds.
   */
  public record Status(boolean standby, String walReceiver, double replayLagSeconds) {}

  private final Vertx vertx;
  private final Pool pool;
  private final Judge judge;
  private final AtomicBoolean asking = new AtomicBoolean();
  private volatile long timer = -1;

  private StandbyWatch(Vertx vertx, Pool pool, Judge judge) {
    this.vertx = vertx;
    this.pool = pool;
    this.judge = judge;
  }

  /** Asks once, then every second; the future completes after the first answer. */
  public static Future<StandbyWatch> start(Vertx vertx, Pool pool, Duration lagMax) {
    StandbyWatch watch = new StandbyWatch(vertx, pool, new Judge(lagMax, System::nanoTime));
    return watch.ask().map(first -> {
      watch.timer = vertx.setPeriodic(POLL.toMillis(), tick -> {
        if (watch.asking.compareAndSet(false, true)) { // a database slow to answer is not asked twice at once
          watch.ask().onComplete(done -> watch.asking.set(false));
        }
      });
      return watch;
    });
  }

  /** What the latest answer said. */
  public Status status() {
    return judge.status();
  }

  /** Why the server is behind its primary now, or null when it is current. */
  public String behind() {
    return judge.behind();
  }

  /** Whether the database answered the latest asks (it may still be behind its primary). */
  public boolean answering() {
    return judge.answering();
  }

  private Future<Void> ask() {
    return pool.query("""
        SELECT pg_is_in_recovery(),
               (SELECT count(*) FROM pg_stat_wal_receiver),
               (SELECT status FROM pg_stat_wal_receiver),
               CASE WHEN pg_is_in_recovery() AND pg_last_wal_receive_lsn() IS DISTINCT FROM pg_last_wal_replay_lsn()
                    THEN greatest(0, coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0))
                    ELSE 0 END""").execute()
        // A connection that hangs must not hold the next asks back: the silence counts meanwhile (Judge#behind).
        .timeout(SILENCE_MAX.toMillis(), TimeUnit.MILLISECONDS)
        .map(rows -> {
          Row row = rows.iterator().next();
          judge.answered(row.getBoolean(0), row.getLong(1), row.getString(2), row.getNumeric(3).doubleValue());
          return (Void) null;
        })
        .otherwise(failure -> {
          if (judge.failed()) {
            LOG.warning("replica.database_unanswered error=\"" + failure.getMessage() + "\"");
          }
          return null;
        });
  }

  @Override
  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /**
   * Judge turns the answers, and their absence, into a verdict. Asks never overlap, so the counts are the asker's
   * alone; readers on any thread see the latest verdict, one immutable value.
   */
  static final class Judge {
    /** What the latest ask said and concluded, and when the database last answered. */
    private record Verdict(Status status, String reason, long answeredAtNanos, boolean failing) {}

    private final Duration lagMax;
    private final LongSupplier nanoTime;
    private volatile Verdict verdict;
    private int lagging;
    private int failures;
    private boolean warnedHiddenReceiver;

    Judge(Duration lagMax, LongSupplier nanoTime) {
      this.lagMax = lagMax;
      this.nanoTime = nanoTime;
      this.verdict = new Verdict(new Status(false, null, 0), null, nanoTime.getAsLong(), false);
    }

    /** An answer: in recovery (a standby), how many WAL receivers run, the receiver's status, the replay lag. */
    void answered(boolean standby, long receivers, String receiver, double lagSeconds) {
      failures = 0;
      Status status = new Status(standby, receiver, lagSeconds);
      if (!standby) {
        lagging = 0;
        verdict = new Verdict(status, null, nanoTime.getAsLong(), false);
        return;
      }
      if (receivers > 0 && receiver == null && !warnedHiddenReceiver) {
        // PostgreSQL shows a WAL receiver's details only to pg_read_all_stats; without them, one that runs counts.
        warnedHiddenReceiver = true;
        LOG.warning("replica.wal_receiver_hidden advice=\"grant pg_read_all_stats to this server's role, so that it"
            + " sees whether its standby streams from the primary\"");
      }
      boolean streaming = receivers > 0 && (receiver == null || receiver.equals("streaming"));
      lagging = !streaming || lagSeconds > lagMax.toSeconds() ? lagging + 1 : 0;
      String reason;
      if (lagging < 2) {
        reason = null;
      } else if (!streaming) {
        reason = receivers == 0 ? "its standby receives no WAL from the primary (no WAL receiver runs)"
            : "its standby's WAL receiver is " + receiver + ", not streaming from the primary";
      } else {
        reason = "its standby's replay is " + Math.round(lagSeconds) + " s behind the primary (the limit is "
            + lagMax.toSeconds() + " s)";
      }
      verdict = new Verdict(status, reason, nanoTime.getAsLong(), false);
    }

    /** An ask failed or timed out; true when this makes the server behind (the second failure running). */
    boolean failed() {
      failures++;
      if (failures != 2) {
        return false;
      }
      Verdict last = verdict;
      verdict = new Verdict(last.status(), "its database does not answer", last.answeredAtNanos(), true);
      return true;
    }

    Status status() {
      return verdict.status();
    }

    String behind() {
      Verdict now = verdict;
      long silentNanos = nanoTime.getAsLong() - now.answeredAtNanos();
      if (silentNanos > SILENCE_MAX.toNanos()) {
        return "its database has not answered for " + silentNanos / 1_000_000_000 + " s";
      }
      return now.reason();
    }

    boolean answering() {
      Verdict now = verdict;
      return !now.failing() && nanoTime.getAsLong() - now.answeredAtNanos() <= SILENCE_MAX.toNanos();
    }
  }
}
