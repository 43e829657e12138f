package org.carbonledger.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * KnownKeys remembers API keys the database has confirmed, so that a request with a known key costs no
 * lookup, for as long as this process hears every revocation.
 *
 * <p>PostgreSQL announces each revocation on channel {@value #CHANNEL} when it commits (trigger of
 * {@code migrations/V005__api_key_revocation_notice.sql}), and one connection of this process LISTENs to it.
 * A key is remembered only while that connection listens; when it closes, everything is forgotten and every
 * request asks the database until it listens again. A connection can also die without closing (a dropped
 * network path, an idle timeout in between, a pooler that does not pass notifications on), so the listener
 * sends itself an empty announcement every {@link #HEARTBEAT}: remembered keys are trusted only while the last
 * one came back within {@link #SILENCE_MAX}, and a longer silence closes the connection. A remembered key is
 * asked for again after {@code recheckAfter} in any case.
 *
 * <p>A lookup that overlaps a revocation must not be remembered: its answer may predate the commit while the
 * announcement arrived before the answer. So a caller takes {@link #generation()} before it asks the
 * database, and {@link #remember} keeps the answer only if nothing was forgotten in between.
 */
public final class KnownKeys implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(KnownKeys.class.getName());

  /** The channel revocations are announced on; the payload is the key id. */
  static final String CHANNEL = "api_key_revoked";
  /** The application_name of the listening connection, as pg_stat_activity shows it. */
  static final String APPLICATION_NAME = "carbon-ledger key revocations";
  /** How long a remembered key is trusted without asking the database again. */
  public static final Duration RECHECK_AFTER = Duration.ofSeconds(30);
  /** How often the listener announces to itself that it still hears (an empty payload: no key id is empty). */
  static final Duration HEARTBEAT = Duration.ofSeconds(2);
  /** Longer without hearing its own announcement, the listener trusts nothing and reconnects. */
  static final Duration SILENCE_MAX = Duration.ofSeconds(6);
  /** Keys are made by operators, so this is never reached in practice; past it, nothing more is remembered. */
  static final int CAPACITY = 100_000;
  private static final long RECONNECT_DELAY_MS_MIN = 250;
  private static final long RECONNECT_DELAY_MS_MAX = 10_000;

  /** Known is a key the database confirmed, with the hash its secret must match and when it was confirmed. */
  record Known(ApiKeys.ApiKey key, byte[] secretHash, long confirmedAtNanos) {}

  private final Map<String, Known> keys = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();
  private final Vertx vertx;
  private final PgConnectOptions connect;
  private final long recheckAfterNanos;
  private volatile boolean listening;
  private volatile boolean closed;
  /** System.nanoTime() when the listener last heard its own heartbeat (or began to listen). */
  private volatile long lastHeardNanos;
  private PgConnection connection;
  private long reconnectDelayMs = RECONNECT_DELAY_MS_MIN;
  /** The periodic heartbeat, started when it first listens; guarded by this. */
  private long heartbeatTimer = -1;

  private KnownKeys(Vertx vertx, PgConnectOptions connect, Duration recheckAfter) {
    this.vertx = vertx;
    this.connect = connect == null ? null
        : new PgConnectOptions(connect).addProperty("application_name", APPLICATION_NAME);
    this.recheckAfterNanos = recheckAfter.toNanos();
  }

  /**
   * Remembers nothing: every request asks the database (the {@code keys} command, which makes one request, and a
   * read-only server, whose standby cannot LISTEN for revocations).
   */
  public static KnownKeys none() {
    KnownKeys none = new KnownKeys(null, null, Duration.ZERO);
    none.closed = true;
    return none;
  }

  /** Starts listening for revocations on the database of {@code connect}; remembers keys once it listens. */
  public static KnownKeys listening(Vertx vertx, PgConnectOptions connect) {
    return listening(vertx, connect, RECHECK_AFTER);
  }

  static KnownKeys listening(Vertx vertx, PgConnectOptions connect, Duration recheckAfter) {
    KnownKeys known = new KnownKeys(vertx, connect, recheckAfter);
    known.listen();
    return known;
  }

  /** True while revocations are heard, so remembered keys are trusted. */
  public boolean isListening() {
    return listening && System.nanoTime() - lastHeardNanos <= SILENCE_MAX.toNanos();
  }

  /** The key remembered under {@code keyId}, or null when there is none to trust. */
  Known get(String keyId) {
    if (!isListening()) {
      return null;
    }
    Known known = keys.get(keyId);
    return known == null || expired(known, System.nanoTime()) ? null : known;
  }

  private boolean expired(Known known, long now) {
    return now - known.confirmedAtNanos() > recheckAfterNanos;
  }

  /** Taken before asking the database; see {@link #remember}. */
  long generation() {
    return generation.get();
  }

  /**
   * Remembers a key the database confirmed, unless something was forgotten since {@code generationBefore}.
   * Synchronized with the forgetting, so no reader ever sees an answer that a forget has overtaken.
   */
  synchronized void remember(long generationBefore, ApiKeys.ApiKey key, byte[] secretHash) {
    if (!listening || generation.get() != generationBefore) {
      return;
    }
    long now = System.nanoTime();
    if (keys.size() >= CAPACITY && !keys.containsKey(key.keyId())) {
      keys.values().removeIf(known -> expired(known, now));
      if (keys.size() >= CAPACITY) {
        return;
      }
    }
    keys.put(key.keyId(), new Known(key, secretHash.clone(), now));
  }

  /** Forgets a revoked key. */
  synchronized void forget(String keyId) {
    generation.incrementAndGet();
    keys.remove(keyId);
  }

  private synchronized void forgetAll() {
    generation.incrementAndGet();
    keys.clear();
  }

  private void listen() {
    if (closed) {
      return;
    }
    PgConnection[] attempt = new PgConnection[1]; // the connection this attempt opened, once it has
    PgConnection.connect(vertx, connect)
        .compose(opened -> {
          synchronized (this) {
            if (closed) {
              return opened.close().compose(done -> Future.failedFuture("closed"));
            }
            connection = opened;
            attempt[0] = opened;
          }
          opened.notificationHandler(notification -> {
            if (!CHANNEL.equals(notification.getChannel())) {
              return;
            }
            if (notification.getPayload().isEmpty()) {
              lastHeardNanos = System.nanoTime(); // our own heartbeat
            } else {
              forget(notification.getPayload());
            }
          });
          opened.closeHandler(closed -> lost());
          return opened.query("LISTEN " + CHANNEL).execute();
        })
        .onSuccess(listened -> {
          synchronized (this) {
            if (connection == null) {
              return; // closed since: lost() or close() has run
            }
            // Anything revoked while nobody listened was not heard: start from nothing.
            forgetAll();
            lastHeardNanos = System.nanoTime();
            listening = true;
            if (heartbeatTimer < 0) {
              heartbeatTimer = vertx.setPeriodic(HEARTBEAT.toMillis(), timer -> heartbeat());
            }
          }
          reconnectDelayMs = RECONNECT_DELAY_MS_MIN;
          LOG.info("auth.revocations_heard channel=" + CHANNEL);
        })
        .onFailure(failure -> {
          if (attempt[0] == null) {
            retryLater(failure.getMessage()); // no connection opened: only this tries again
            return;
          }
          boolean current;
          synchronized (this) {
            current = connection == attempt[0];
            if (current) {
              connection = null;
            }
          }
          // Its close handler tries again: after this close, or already (the connection closed under the LISTEN,
          // which is why the LISTEN failed), and then this must not start a second round of attempts.
          if (current) {
            LOG.warning("auth.revocations_not_heard reason=\"LISTEN failed: " + failure.getMessage() + "\"");
            attempt[0].close();
          }
        });
  }

  /** Announces to itself; a listener that has not heard the earlier ones for too long is closed and replaced. */
  private void heartbeat() {
    PgConnection current;
    synchronized (this) {
      current = connection;
    }
    if (current == null || !listening) {
      return;
    }
    if (System.nanoTime() - lastHeardNanos > SILENCE_MAX.toNanos()) {
      LOG.warning("auth.revocations_not_heard reason=\"no heartbeat for " + SILENCE_MAX.toSeconds() + " s\"");
      current.close(); // its close handler forgets everything and reconnects
      return;
    }
    current.query("SELECT pg_notify('" + CHANNEL + "', '')").execute();
  }

  private void lost() {
    synchronized (this) {
      listening = false;
      connection = null;
    }
    forgetAll();
    retryLater("the connection closed");
  }

  private void retryLater(String why) {
    if (closed) {
      return;
    }
    long delay = reconnectDelayMs;
    reconnectDelayMs = Math.min(RECONNECT_DELAY_MS_MAX, reconnectDelayMs * 2);
    LOG.warning("auth.revocations_not_heard reason=\"" + why + "\" retry_ms=" + delay
        + " advice=\"every request asks the database for its key until this process listens again\"");
    vertx.setTimer(delay, timer -> listen());
  }

  @Override
  public void close() {
    PgConnection opened;
    synchronized (this) {
      closed = true;
      listening = false;
      opened = connection;
      connection = null;
      if (heartbeatTimer >= 0) {
        vertx.cancelTimer(heartbeatTimer);
      }
    }
    forgetAll();
    if (opened != null) {
      opened.close();
    }
  }
}
