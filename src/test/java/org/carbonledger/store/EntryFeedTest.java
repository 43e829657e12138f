package org.carbonledger.store;

import static org.carbonledger.store.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.carbonledger.store.LogReader.StoredEntry;
import org.carbonledger.store.TestLedger.Note;
import org.junit.jupiter.api.Test;

/**
 * EntryFeedTest follows the log of a real PostgreSQL through {@link EntryFeed} while writers append: every
 * entry after the start arrives once and in order across the switch from catching up to live, with one
 * buffer entry or ten thousand; entries another process wrote are read from the database when the gap
 * shows; a subscriber that stops asking is failed as too slow and can resume; one that takes nothing while it
 * catches up holds a page, not the log; a writer listener that throws breaks nothing.
 */
class EntryFeedTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  /** Collector is a subscriber that keeps every seq it is given and asks for {@code window} at a time. */
  static final class Collector implements Flow.Subscriber<Long> {
    final List<Long> seqs = new CopyOnWriteArrayList<>();
    final CompletableFuture<Throwable> failed = new CompletableFuture<>();
    final int window;
    volatile Flow.Subscription subscription;
    private int sinceRequest;

    Collector(int window) {
      this.window = window;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      if (window > 0) {
        subscription.request(window);
      }
    }

    @Override
    public void onNext(Long seq) {
      seqs.add(seq);
      if (window > 0 && ++sinceRequest == window) {
        sinceRequest = 0;
        subscription.request(window);
      }
    }

    @Override
    public void onError(Throwable failure) {
      failed.complete(failure);
    }

    @Override
    public void onComplete() {
      failed.complete(null);
    }
  }

  private static Flow.Publisher<Long> follow(TestLedger log, long afterSeq, int bufferMax) {
    return log.ledger.feed().follow(afterSeq, entry -> true, StoredEntry::seq, bufferMax);
  }

  private static Future<Void> appendNotes(TestLedger log, int count, String prefix) {
    List<Future<LogWriter.Appended>> appends = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      appends.add(log.ledger.writer().append(new Note(prefix + i)));
    }
    return Future.all(appends).mapEmpty();
  }

  private static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(5);
    }
  }

  private static List<Long> range(long firstSeq, long lastSeq) {
    List<Long> seqs = new ArrayList<>();
    for (long seq = firstSeq; seq <= lastSeq; seq++) {
      seqs.add(seq);
    }
    return seqs;
  }

  @Test
  void everyEntryArrivesOnceInOrderAcrossTheSwitchToLive() throws Exception {
    record Case(String name, int bufferMax, int window) {}
    for (Case c : new Case[] {
        new Case("default buffer, demand 64 at a time", EntryFeed.SUBSCRIBER_BUFFER_MAX_DEFAULT, 64),
        new Case("buffer of 1, demand 1 at a time: pages of one entry", 1, 1),
        new Case("buffer of 7, demand 3 at a time: the live queue overflows while catching up", 7, 3),
        new Case("buffer of 7, demand 1 asked from inside onNext, as the WebSocket operation asks", 7, 1),
        new Case("default buffer, demand 1 asked from inside onNext", EntryFeed.SUBSCRIBER_BUFFER_MAX_DEFAULT, 1)}) {
      try (TestLedger log = TestLedger.open()) {
        await(appendNotes(log, 1200, "before-"));
        long afterSeq = 300;
        Collector collector = new Collector(c.window());
        follow(log, afterSeq, c.bufferMax()).subscribe(collector);
        // Appends in waves while the follower catches up and goes live.
        for (int wave = 0; wave < 10; wave++) {
          await(appendNotes(log, 150, "wave-" + wave + "-"));
        }
        long lastSeq = await(log.ledger.reader().publishedSize()) - 1;
        waitUntil(() -> collector.seqs.size() >= lastSeq - afterSeq || collector.failed.isDone(), c.name());
        assertTrue(!collector.failed.isDone(), c.name() + ": failed with " + collector.failed.getNow(null));
        assertEquals(range(afterSeq + 1, lastSeq), collector.seqs, c.name());
        collector.subscription.cancel();
        waitUntil(() -> log.ledger.feed().followerCount() == 0, c.name() + ": cancel unregisters");
      }
    }
  }

  /** A collector following {@code log} from after entry 0, once it has live the five entries {@code log} appends. */
  private static Collector followingFiveLocalEntries(TestLedger log) throws Exception {
    Collector collector = new Collector(16);
    follow(log, 0, 100).subscribe(collector);
    await(appendNotes(log, 5, "here-"));
    waitUntil(() -> collector.seqs.size() == 5, "the first five, live");
    return collector;
  }

  @Test
  void entriesAnotherProcessWroteAreReadWhenTheGapShows() throws Exception {
    try (TestLedger log = TestLedger.open(); TestLedger other = log.secondProcess(LogWriter.Limits.DEFAULT)) {
      Collector collector = followingFiveLocalEntries(log);
      // Not announced to this process's feed: the next local commit shows the gap (or the feed's head poll).
      await(appendNotes(other, 20, "there-"));
      await(appendNotes(log, 5, "here-again-"));
      waitUntil(() -> collector.seqs.size() == 30 || collector.failed.isDone(), "all thirty");
      assertEquals(range(1, 30), collector.seqs);
      collector.subscription.cancel();
    }
  }

  @Test
  void entriesAnotherProcessWroteReachLiveFollowersWithoutALocalCommit() throws Exception {
    try (TestLedger log = TestLedger.open(); TestLedger other = log.secondProcess(LogWriter.Limits.DEFAULT)) {
      Collector collector = followingFiveLocalEntries(log);
      await(appendNotes(other, 20, "there-"));
      waitUntil(() -> collector.seqs.size() == 25 || collector.failed.isDone(),
          "the other process's twenty, found by the feed's head poll with nothing committed here");
      assertEquals(range(1, 25), collector.seqs);
      collector.subscription.cancel();
      waitUntil(() -> log.ledger.feed().followerCount() == 0, "cancel unregisters");
    }
  }

  @Test
  void aSubscriberThatStopsAskingIsTooSlowAndResumesWhereItStopped() throws Exception {
    try (TestLedger log = TestLedger.open()) {
      long start = await(log.ledger.reader().publishedSize()) - 1;
      Collector stalled = new Collector(0);
      follow(log, start, 4).subscribe(stalled);
      waitUntil(() -> stalled.subscription != null, "subscribed");
      stalled.subscription.request(3);
      await(appendNotes(log, 3, "taken-"));
      waitUntil(() -> stalled.seqs.size() == 3, "the three asked for");
      await(appendNotes(log, 50, "piling-"));
      Throwable failure = stalled.failed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      SubscriberTooSlowException tooSlow = assertInstanceOf(SubscriberTooSlowException.class, failure);
      assertEquals(start + 3, tooSlow.lastDeliveredSeq());
      assertEquals(range(start + 1, start + 3), stalled.seqs);
      waitUntil(() -> log.ledger.feed().followerCount() == 0, "the too-slow follower is gone");

      Collector resumed = new Collector(8);
      follow(log, tooSlow.lastDeliveredSeq(), 4).subscribe(resumed);
      long lastSeq = start + 53;
      waitUntil(() -> resumed.seqs.size() == 50 || resumed.failed.isDone(), "the fifty after the resume point");
      assertEquals(range(start + 4, lastSeq), resumed.seqs);
      resumed.subscription.cancel();
    }
  }

  @Test
  void aSubscriberThatTakesNothingHoldsOnePageHoweverLongTheLogItCatchesUpOn() throws Exception {
    try (TestLedger log = TestLedger.open()) {
      await(appendNotes(log, 1200, "n"));
      List<Collector> stalled = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        Collector collector = new Collector(0);
        follow(log, -1, EntryFeed.SUBSCRIBER_BUFFER_MAX_DEFAULT).subscribe(collector);
        waitUntil(() -> collector.subscription != null, "subscribed");
        collector.subscription.request(1);
        stalled.add(collector);
      }
      waitUntil(() -> stalled.stream().allMatch(collector -> collector.seqs.size() == 1), "one entry each");
      // Each read a page for its first entry; on demand none reads further, while reading ahead each would take
      // in the whole log.
      long bound = 10L * FeedSubscription.PAGE_MAX;
      waitUntil(() -> log.ledger.feed().entriesWaiting() >= bound / 2, "the first pages read");
      long watchUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      while (System.nanoTime() < watchUntil) {
        long waiting = log.ledger.feed().entriesWaiting();
        assertTrue(waiting <= bound, waiting + " entries held for ten subscribers that take nothing");
        Thread.sleep(20);
      }

      // Asked again, each gets the rest, once and in order, and then what is appended live.
      stalled.forEach(collector -> collector.subscription.request(Long.MAX_VALUE));
      await(appendNotes(log, 5, "live-"));
      long lastSeq = await(log.ledger.reader().publishedSize()) - 1;
      for (Collector collector : stalled) {
        waitUntil(() -> collector.seqs.size() == lastSeq + 1 || collector.failed.isDone(), "the whole log");
        assertEquals(range(0, lastSeq), collector.seqs);
        collector.subscription.cancel();
      }
      waitUntil(() -> log.ledger.feed().entriesWaiting() == 0, "nothing held once every follower is gone");
    }
  }

  @Test
  void theFilterAndMapperRunOnEveryEntryAfterTheStart() throws Exception {
    try (TestLedger log = TestLedger.open()) {
      await(appendNotes(log, 10, "n"));
      List<String> texts = new CopyOnWriteArrayList<>();
      Function<StoredEntry, Long> mapper = entry -> {
        texts.add(new String(entry.body(), java.nio.charset.StandardCharsets.UTF_8));
        return entry.seq();
      };
      Collector evens = new Collector(100);
      log.ledger.feed().follow(-1, entry -> entry.seq() % 2 == 0, mapper, 100).subscribe(evens);
      await(appendNotes(log, 10, "m"));
      waitUntil(() -> evens.seqs.size() == 11, "the even seqs 0..20");
      assertEquals(List.of(0L, 2L, 4L, 6L, 8L, 10L, 12L, 14L, 16L, 18L, 20L), evens.seqs);
      assertTrue(texts.get(0).contains("\"type\":\"REGISTRY_CREATED\""), texts.get(0));
      assertTrue(texts.get(10).contains("\"text\":\"m9\""), "live entries carry their bytes: " + texts.get(10));
      evens.subscription.cancel();
    }
  }

  @Test
  void writerListenersHearEachCommitInOrderAndOneThatThrowsBreaksNothing() throws Exception {
    try (TestLedger log = TestLedger.open()) {
      List<Long> heard = new CopyOnWriteArrayList<>();
      AtomicInteger thrown = new AtomicInteger();
      log.ledger.writer().onCommitted(batch -> {
        thrown.incrementAndGet();
        throw new IllegalStateException("a broken listener");
      });
      log.ledger.writer().onCommitted(batch -> batch.forEach(appended -> heard.add(appended.seq())));
      List<Future<LogWriter.Appended>> appends = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        appends.add(log.ledger.writer().append(new Note("x" + i, i % 7 == 0 ? Note.Behaviour.REJECT : Note.Behaviour.ACCEPT)));
      }
      Future.join(appends).otherwiseEmpty().await(60, TimeUnit.SECONDS);
      long size = await(log.ledger.reader().publishedSize());
      waitUntil(() -> heard.size() >= size - 1, "the last batch announced");
      assertEquals(range(1, size - 1), heard, "every accepted entry once, in seq order; rejected ones never");
      assertTrue(thrown.get() >= 1);
      assertEquals(size, await(log.ledger.writer().append(new Note("after"))).seq(), "the writer goes on");
    }
  }
}
