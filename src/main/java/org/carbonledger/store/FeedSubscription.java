package org.carbonledger.store;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.logging.Logger;
import org.carbonledger.store.LogReader.StoredEntry;

/**
 * FeedSubscription is one follower of an {@link EntryFeed}: a reactive stream of the entries after a seq that
 * pass a filter, each exactly once and in seq order.
 *
 * <p>Catching up, then live. The follower registers for announced entries first, then reads the database
 * in pages from {@code afterSeq + 1}; announced entries that arrive meanwhile wait in a live queue. After
 * each page the live queue is merged: entries the database gave already are dropped by seq, and when the
 * queue continues exactly where the database ended, the follower takes it and is live. A short page (the
 * end of the log when it was read) with an empty live queue makes it live too: every later commit will be
 * announced to it, because it registered before it read. Live, an entry is taken only if its seq is the
 * next one; a gap (entries another process wrote, which this process's writer never announced) sends the
 * follower back to the database for the missing ones, as does the feed's poll of the log's head
 * ({@link #onHead}) when this process does not commit. So no entry is skipped and none is given twice,
 * whatever the order of commits, announcements and reads.
 *
 * <p>Bounded memory. Catching up is driven by demand: the next page is read only once every entry of the page
 * before has been handed to the subscriber (or filtered out) and the subscriber asks for more. A page read from
 * the database is this follower's own copy, unlike announced entries, which all followers share; so a
 * subscriber that takes nothing holds one page of at most {@link #PAGE_MAX} entries, however long the log it
 * has to catch up on, and many of them cannot hold the log many times over. The live queue holds at most
 * {@code bufferMax} entries (references to the shared ones); when a long catch-up outgrows it, it is dropped and
 * the database is read further instead, which costs reads but never loses an entry. Live, matching entries wait
 * for demand; when more than {@code bufferMax} wait, the subscriber is too slow and the stream fails with
 * {@link SubscriberTooSlowException}, naming the last seq delivered, after which it can resume.
 *
 * <p>All state lives on the follower's context; calls from other threads hop onto it.
 */
final class FeedSubscription<T> implements Flow.Subscription {

  private enum Mode { CATCHING_UP, LIVE, DONE }

  private static final Logger LOG = Logger.getLogger(FeedSubscription.class.getName());
  /**
   * The most entries handed to the subscriber in one turn of the event loop: a large committed batch is
   * delivered in slices, so encoding it for many subscribers never holds an event loop for long.
   */
  static final int DELIVERIES_PER_TURN = 64;
  /**
   * The most entries one catch-up read asks for: what a follower whose subscriber takes nothing may hold of its
   * own (registry entries are under 1 KiB, so about 50 KiB). Small, because a client may run a hundred
   * subscriptions per connection; large enough that a catch-up costs one query per hundred entries, next to
   * the hundred messages it sends.
   */
  static final int PAGE_MAX = 100;

  private final EntryFeed feed;
  private final LogReader reader;
  private final Context context;
  private final Predicate<StoredEntry> filter;
  private final Function<StoredEntry, T> mapper;
  private final Flow.Subscriber<? super T> subscriber;
  private final int bufferMax;
  /** Entries per database read; at most half the buffer, so that live entries fit beside a page still waiting. */
  private final int pageSize;

  /** Matching entries waiting for demand, in seq order. */
  private final ArrayDeque<StoredEntry> ready = new ArrayDeque<>();
  /** Announced entries not yet taken while catching up, in seq order. */
  private final ArrayDeque<StoredEntry> live = new ArrayDeque<>();
  private Mode mode = Mode.CATCHING_UP;
  /** Every entry up to this seq has been taken into account: delivered, waiting, or filtered out. */
  private long scannedSeq;
  /** The last seq handed to the subscriber, or the start: where a resume starts after. */
  private long deliveredSeq;
  private long demand;
  private boolean reading;
  private boolean delivering;
  /** How often the live queue was dropped; a read that saw a drop cannot prove that it reached the end. */
  private long liveDrops;
  /** The newest head the feed reported ({@link #onHead}); the follower is not live before it has scanned it. */
  private long headSeen = -1;

  FeedSubscription(EntryFeed feed, LogReader reader, Context context, long afterSeq, Predicate<StoredEntry> filter,
                   Function<StoredEntry, T> mapper, Flow.Subscriber<? super T> subscriber, int bufferMax) {
    this.feed = feed;
    this.reader = reader;
    this.context = context;
    this.filter = filter;
    this.mapper = mapper;
    this.subscriber = subscriber;
    this.bufferMax = bufferMax;
    this.pageSize = Math.max(1, Math.min(PAGE_MAX, bufferMax / 2));
    this.scannedSeq = afterSeq;
    this.deliveredSeq = afterSeq;
  }

  Context context() {
    return context;
  }

  /** Registers for announcements before the first read, so that no commit can fall between the two. */
  void start() {
    run(() -> {
      feed.add(this);
      subscriber.onSubscribe(this);
      readMore();
    });
  }

  @Override
  public void request(long n) {
    run(() -> {
      if (mode == Mode.DONE) {
        return;
      }
      if (n <= 0) {
        fail(new IllegalArgumentException("request(" + n + "): demand must be positive (reactive streams rule 3.9)"));
        return;
      }
      demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
      deliver();
      readMore();
    });
  }

  @Override
  public void cancel() {
    run(this::finish);
  }

  /**
   * The log reached {@code headSeq}, maybe through another process's writer, whose entries are never announced:
   * a live follower that has not seen that far reads the rest from the database. One catching up remembers it,
   * so that a read which ended before that commit does not make it live short of it.
   */
  void onHead(long headSeq) {
    headSeen = Math.max(headSeen, headSeq);
    if (mode == Mode.LIVE && headSeq > scannedSeq) {
      mode = Mode.CATCHING_UP;
      readMore();
    }
  }

  /** Entries the writer of this process committed, in seq order; called on this follower's context. */
  void onLive(List<StoredEntry> batch) {
    for (StoredEntry entry : batch) {
      if (mode == Mode.DONE) {
        return;
      }
      if (entry.seq() <= scannedSeq) {
        continue; // the database gave it already
      }
      if (mode == Mode.LIVE && entry.seq() == scannedSeq + 1) {
        take(entry);
        deliver();
        if (ready.size() > bufferMax) {
          fail(new SubscriberTooSlowException(deliveredSeq, bufferMax));
          return;
        }
        continue;
      }
      if (mode == Mode.LIVE) {
        // A gap: another process wrote entries this writer never announced; read them from the database.
        mode = Mode.CATCHING_UP;
      }
      queueLive(entry);
    }
    readMore();
  }

  private void queueLive(StoredEntry entry) {
    if (live.size() >= bufferMax) {
      live.clear();
      liveDrops++;
      LOG.fine("feed.live_queue_dropped scanned_seq=" + scannedSeq + " buffer_max=" + bufferMax);
    }
    live.add(entry);
  }

  /** Counts the entry as seen, and queues it for the subscriber if it passes the filter. */
  private void take(StoredEntry entry) {
    scannedSeq = entry.seq();
    if (filter.test(entry)) {
      ready.add(entry);
      feed.waiting(1);
    }
  }

  private void deliver() {
    if (delivering) {
      return; // the subscriber asked for more from inside onNext; the loop below goes on
    }
    delivering = true;
    int delivered = 0;
    try {
      while (mode != Mode.DONE && demand > 0 && !ready.isEmpty() && delivered < DELIVERIES_PER_TURN) {
        StoredEntry entry = ready.poll();
        feed.waiting(-1);
        demand--;
        deliveredSeq = entry.seq();
        subscriber.onNext(mapper.apply(entry));
        delivered++;
      }
    } catch (RuntimeException e) {
      fail(e); // the mapper or the subscriber broke its contract; end this stream, not the feed
    } finally {
      delivering = false;
    }
    if (delivered == DELIVERIES_PER_TURN && mode != Mode.DONE && demand > 0 && !ready.isEmpty()) {
      context.runOnContext(ignored -> {
        deliver();
        readMore();
      });
    }
  }

  /**
   * While catching up: takes what the live queue can give, or reads the next page once the subscriber has taken
   * every entry read so far and asks for more.
   */
  private void readMore() {
    if (mode != Mode.CATCHING_UP || reading) {
      return;
    }
    mergeLive();
    // mergeLive hands entries over, and a subscriber that asks for more from inside onNext comes back here: the
    // read it may have started is the one this call would start.
    if (mode != Mode.CATCHING_UP || reading || !ready.isEmpty() || demand == 0) {
      return; // live now, reading already, or the subscriber has not taken what was read: reading on would only pile up copies
    }
    reading = true;
    long dropsBefore = liveDrops;
    reader.entries(scannedSeq + 1, pageSize).onComplete(page -> run(() -> onPage(page, dropsBefore)));
  }

  /** Takes the live entries that continue where the database ended; live once that empties the queue. */
  private void mergeLive() {
    dropSeen();
    boolean took = false;
    while (!live.isEmpty() && live.peek().seq() == scannedSeq + 1 && ready.size() < bufferMax) {
      take(live.poll());
      took = true;
    }
    // Caught up with the newest announced entry: every later one will be announced too.
    if (took && live.isEmpty() && scannedSeq >= headSeen) {
      mode = Mode.LIVE;
    }
    deliver();
  }

  private void onPage(AsyncResult<List<StoredEntry>> result, long dropsBefore) {
    reading = false;
    if (mode == Mode.DONE) {
      return;
    }
    if (result.failed()) {
      fail(result.cause());
      return;
    }
    List<StoredEntry> page = result.result();
    for (StoredEntry entry : page) {
      if (entry.seq() != scannedSeq + 1) {
        fail(new IllegalStateException("the database gave entry " + entry.seq() + " after " + scannedSeq));
        return;
      }
      take(entry);
    }
    dropSeen();
    // A short page is the end of the log as of the read. If nothing newer was announced and the live queue
    // was not dropped while reading, every later entry will be announced: the follower is live. Unless the
    // feed reported a head beyond it, committed after the read began: then it reads again, as long as reads
    // make progress (a head the database no longer has, a restored backup, must not make it read for ever).
    if (page.isEmpty()) {
      headSeen = Math.min(headSeen, scannedSeq);
    }
    if (page.size() < pageSize && live.isEmpty() && dropsBefore == liveDrops && scannedSeq >= headSeen) {
      mode = Mode.LIVE;
    }
    deliver();
    readMore();
  }

  private void dropSeen() {
    while (!live.isEmpty() && live.peek().seq() <= scannedSeq) {
      live.poll();
    }
  }

  private void fail(Throwable failure) {
    if (mode == Mode.DONE) {
      return;
    }
    finish();
    subscriber.onError(failure);
  }

  private void finish() {
    mode = Mode.DONE;
    feed.remove(this);
    feed.waiting(-ready.size());
    ready.clear();
    live.clear();
  }

  private void run(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(ignored -> action.run());
    }
  }
}
