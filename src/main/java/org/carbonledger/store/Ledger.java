package org.carbonledger.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.Map;
import org.carbonledger.ledger.EntryCodec;
import org.carbonledger.ledger.LedgerEntry;
import org.carbonledger.ledger.LedgerException;
import org.carbonledger.ledger.NoteSigner;
import org.carbonledger.ledger.NoteVerifier;
import org.carbonledger.ledger.SignedNote;

/**
 * Ledger is the store's log: its writer (none when opened read-only), its reader and the feed of its entries,
 * opened on a database whose entry 0 names this server's origin and its signing key (or, read-only, a key that
 * signed the log).
 */
public final class Ledger {

  private final LogWriter writer;
  private final LogReader reader;
  private final EntryFeed feed;
  private final String origin;
  private final String verifierKey;

  private Ledger(LogWriter writer, LogReader reader, EntryFeed feed, String origin, String verifierKey) {
    this.writer = writer;
    this.reader = reader;
    this.feed = feed;
    this.origin = origin;
    this.verifierKey = verifierKey;
  }

  /**
   * Opens the log: writes entry 0 if the log is empty, then checks that entry 0 names {@code origin} and the
   * signer's key, and replays the log into the writer's registry. Fails with LogIdentityException when the
   * database holds another log.
   */
  public static Future<Ledger> open(Vertx vertx, Pool pool, NoteSigner signer, String origin, LogWriter.Limits limits) {
    return open(vertx, pool, pool, signer, origin, limits);
  }

  /**
   * As {@link #open(Vertx, Pool, NoteSigner, String, LogWriter.Limits)}, the writer with connections of its own
   * ({@code writerPool}), so that readers holding every connection of {@code pool} cannot delay a commit.
   */
  public static Future<Ledger> open(Vertx vertx, Pool pool, Pool writerPool, NoteSigner signer, String origin,
      LogWriter.Limits limits) {
    LogWriter writer = new LogWriter(vertx, writerPool, signer, origin, Clock.systemUTC(), limits);
    LogReader reader = new LogReader(pool);
    EntryFeed feed = new EntryFeed(vertx, reader);
    writer.onCommitted(feed::publish);
    Ledger ledger = new Ledger(writer, reader, feed, origin, signer.verifier().vkey());
    return reader.entry(0)
        .compose(first -> first.isPresent() ? Future.succeededFuture()
            : writer.append(new RegistryCreated(origin, signer.verifier().vkey()))
                .recover(failure -> failure instanceof CommandRejectedException
                    ? Future.succeededFuture() // another server created it first; checked below
                    : Future.failedFuture(failure)))
        .compose(created -> reader.entry(0))
        .map(first -> {
          LedgerEntry entry = EntryCodec.decode(first.orElseThrow().body());
          ledger.checkIdentity(entry.data());
          return ledger;
        })
        .compose(checked -> writer.loadRegistry().map(checked));
  }

  /**
   * Opens the log for reading only, on a database this process never writes (a hot standby of the primary): no
   * writer, and so no signing key; entry 0 must name {@code origin}, and the verifier key is the one it names.
   * The feed sees new entries by polling the log's head. Fails with LogIdentityException when the database
   * holds another log or none yet.
   */
  public static Future<Ledger> openReadOnly(Vertx vertx, Pool pool, String origin) {
    LogReader reader = new LogReader(pool);
    return reader.entry(0).map(first -> {
      if (first.isEmpty()) {
        throw new LogIdentityException("the database holds no log yet: start a server without --read-only on the primary first");
      }
      LedgerEntry entry = EntryCodec.decode(first.get().body());
      if (!RegistryCreated.TYPE.equals(entry.type()) || !(entry.data().get("verifierKey") instanceof String verifierKey)) {
        throw new LogIdentityException("entry 0 of the database's log is not a " + RegistryCreated.TYPE + " naming a verifier key");
      }
      Ledger ledger = new Ledger(null, reader, new EntryFeed(vertx, reader), origin, verifierKey);
      ledger.checkIdentity(entry.data());
      return ledger;
    }).compose(ledger -> reader.latestCheckpoint().map(latest -> {
      // What this server will hand verifiers as the log's key must be one that signed the log.
      NoteVerifier key;
      try {
        key = NoteVerifier.parse(ledger.verifierKey);
      } catch (LedgerException e) {
        throw new LogIdentityException("entry 0 names a verifier key that does not parse: " + e.getMessage());
      }
      if (!key.name().equals(origin)) {
        throw new LogIdentityException("entry 0 names a verifier key for '" + key.name() + "', not for the origin '" + origin + "'");
      }
      try {
        latest.ifPresent(checkpoint -> SignedNote.open(checkpoint.signedNote(), key));
      } catch (LedgerException e) {
        throw new LogIdentityException("the log's latest checkpoint is not signed by the key its entry 0 names: " + e.getMessage());
      }
      return ledger;
    }));
  }

  private void checkIdentity(Map<String, Object> registryCreated) {
    Object loggedOrigin = registryCreated.get("origin");
    Object loggedKey = registryCreated.get("verifierKey");
    if (!origin.equals(loggedOrigin)) {
      throw new LogIdentityException("the database holds the log of origin '" + loggedOrigin
          + "', but this server is configured with --origin '" + origin + "'");
    }
    if (!verifierKey.equals(loggedKey)) {
      throw new LogIdentityException("the database's log is signed by key " + loggedKey
          + ", but the configured signing key is " + verifierKey + ": configure the log's own key file");
    }
  }

  /** The writer; a read-only ledger ({@link #openReadOnly}) has none. */
  public LogWriter writer() {
    if (writer == null) {
      throw new IllegalStateException("the log is open for reading only: it has no writer");
    }
    return writer;
  }

  /** Whether this process writes the log, or only reads it ({@link #openReadOnly}). */
  public boolean writable() {
    return writer != null;
  }

  public LogReader reader() {
    return reader;
  }

  /**
   * The entries as a stream for followers: caught up from the database, then live, from this process's writer or, for
   * what another process wrote (and on a read-only server, everything), from the feed's poll of the log's head.
   */
  public EntryFeed feed() {
    return feed;
  }

  public String origin() {
    return origin;
  }

  /** The C2SP verifier key of the log, {@code name+hexid+base64}. */
  public String verifierKey() {
    return verifierKey;
  }

  /** LogIdentityException: the database holds a log of another origin or key than configured. */
  public static final class LogIdentityException extends RuntimeException {
    LogIdentityException(String message) {
      super(message);
    }
  }
}
