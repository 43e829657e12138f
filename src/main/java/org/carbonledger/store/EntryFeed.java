package org.carbonledger.store;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.carbonledger.ledger.EntryCodec;
import org.carbonledger.store.LogReader.StoredEntry;

/**
 * EntryFeed gives any number of followers the log as a stream: each follower names the seq it has already
 * seen and receives every later entry that passes its filter exactly once and in seq order, first from the
 * database and then live, as this process's writer commits them. See {@link FeedSubscription} for how the
 * switch from catching up to live avoids gaps and duplicates, and for the per-follower buffer limit.
 *
 * <p>Entries another process's writer commits to the same database are never announced here. So while anyone
 * follows, the feed reads the log's published size every {@link #HEAD_POLL}; when it is past the newest entry
 * this feed knows of, every follower reads what it lacks from the database (each on its own). They arrive
 * within two polls, without waiting for this process to commit.
 *
 * <p>The feed hears of commits through {@link LogWriter#onCommitted}, turns each batch into stored entries
 * once, on its own context so the writer's event loop only hands over a list, and passes the same entry
 * objects to every follower on the follower's own context. A follower's cost per live entry is therefore a
 * reference in its queue, not a copy.
 */
public final class EntryFeed {

  /**
   * How many entries a follower may have waiting to be sent before it counts as too slow and is ended with
   * {@link SubscriberTooSlowException}. At the 65,535-byte entry limit that is at most 640 MiB per
   * follower in theory; registry entries are under 1 KiB, so about 10 MiB, and shared between followers.
   */
  public static final int SUBSCRIBER_BUFFER_MAX_DEFAULT = 10_000;

  /** How often, while anyone follows, the feed looks for entries another process wrote. */
  static final Duration HEAD_POLL = Duration.ofSeconds(1);

  private static final Logger LOG = Logger.getLogger(EntryFeed.class.getName());

  private final Vertx vertx;
  private final LogReader reader;
  private final Context context;
  private final Set<FeedSubscription<?>> followers = ConcurrentHashMap.newKeySet();
  /** Entries the followers hold for their subscribers, added to and taken from on every follower's context. */
  private final LongAdder waiting = new LongAdder();
  /** The newest seq announced or reported to the followers, -1 before any; on {@link #context}. */
  private long knownSeq = -1;
  /** The head the previous poll read, -1 before any; on {@link #context}. */
  private long polledSeq = -1;
  /** The head poll's periodic timer while anyone follows, else -1; on {@link #context}. */
  private long headPoll = -1;
  /** A poll's read is under way: the next tick skips rather than queue another. */
  private boolean polling;

  EntryFeed(Vertx vertx, LogReader reader) {
    this.vertx = vertx;
    this.reader = reader;
    this.context = vertx.getOrCreateContext();
  }

  /**
   * A publisher of the entries after {@code afterSeq} ({@code -1} for all, from entry 0) that pass
   * {@code filter}, each turned into an event by {@code mapper}. Each subscriber gets its own stream, on
   * the Vert.x context it subscribed from. {@code filter} and {@code mapper} run on that context and MUST
   * NOT throw: an entry a filter cannot judge should pass, so that the mapper can report it.
   *
   * @param bufferMax how many matching entries may wait for the subscriber's demand before the stream
   *     fails with {@link SubscriberTooSlowException}; at least 1
   */
  public <T> Flow.Publisher<T> follow(long afterSeq, Predicate<StoredEntry> filter, Function<StoredEntry, T> mapper,
                                      int bufferMax) {
    if (afterSeq < -1) {
      throw new IllegalArgumentException("afterSeq must be -1 or more, got " + afterSeq);
    }
    if (bufferMax < 1) {
      throw new IllegalArgumentException("bufferMax must be at least 1, got " + bufferMax);
    }
    return subscriber -> {
      Context current = Vertx.currentContext();
      FeedSubscription<T> subscription = new FeedSubscription<>(this, reader,
          current != null ? current : vertx.getOrCreateContext(), afterSeq, filter, mapper, subscriber, bufferMax);
      subscription.start();
    };
  }

  /** How many followers are live or catching up now. */
  public int followerCount() {
    return followers.size();
  }

  /**
   * How many entries the followers hold for their subscribers now, read from the database (each follower's own
   * copies) or announced (shared), waiting to be taken.
   */
  public long entriesWaiting() {
    return waiting.sum();
  }

  void waiting(long change) {
    waiting.add(change);
  }

  void add(FeedSubscription<?> follower) {
    followers.add(follower);
    context.runOnContext(ignored -> {
      if (headPoll < 0) {
        headPoll = vertx.setPeriodic(HEAD_POLL.toMillis(), timer -> pollHead());
      }
    });
  }

  /**
   * Tells every follower the log's head when it is past what this feed knew: another process wrote it. Only a
   * head the previous poll read already counts: this process's own commits are announced long before then, so
   * they never send followers to the database, and another's arrive within two polls.
   */
  private void pollHead() {
    if (followers.isEmpty()) {
      vertx.cancelTimer(headPoll);
      headPoll = -1;
      return;
    }
    if (polling) {
      return;
    }
    polling = true;
    reader.publishedSize().onComplete(read -> {
      polling = false;
      if (read.failed()) {
        return; // the database away: the next tick tries again
      }
      long headSeq = read.result() - 1;
      long confirmedSeq = Math.min(headSeq, polledSeq);
      polledSeq = headSeq;
      if (confirmedSeq > knownSeq) {
        knownSeq = confirmedSeq;
        for (FeedSubscription<?> follower : followers) {
          follower.context().runOnContext(ignored -> follower.onHead(confirmedSeq));
        }
      }
    });
  }

  void remove(FeedSubscription<?> follower) {
    followers.remove(follower);
  }

  /** The writer's listener: runs on the writer's context, so it only hands the batch over. */
  void publish(List<LogWriter.Appended> batch) {
    context.runOnContext(ignored -> fanOut(batch));
  }

  private void fanOut(List<LogWriter.Appended> batch) {
    knownSeq = Math.max(knownSeq, batch.get(batch.size() - 1).seq());
    if (followers.isEmpty()) {
      return; // nobody live: spare the decoding (a follower that joins now catches up from the database)
    }
    List<StoredEntry> entries = new ArrayList<>(batch.size());
    try {
      for (LogWriter.Appended appended : batch) {
        // The time is read back from the entry's own bytes: it is the instant the database column holds.
        entries.add(new StoredEntry(appended.seq(), appended.leafHash(), appended.type(),
            EntryCodec.decode(appended.entryBytes()).time(), appended.entryBytes()));
      }
    } catch (RuntimeException e) {
      // Cannot happen for bytes the writer just encoded; if it does, followers see a gap and read the database.
      LOG.log(Level.SEVERE, "feed.announce_failed first_seq=" + batch.get(0).seq() + " entries=" + batch.size(), e);
      return;
    }
    List<StoredEntry> shared = List.copyOf(entries);
    for (FeedSubscription<?> follower : followers) {
      follower.context().runOnContext(ignored -> follower.onLive(shared));
    }
  }
}
