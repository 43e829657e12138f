package org.carbonledger.store;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * WriterMetrics is what the writer counts for an operator: its batches, what they appended or refused, how long
 * they took, and what waits. The writer updates it on its own context; anyone may read it at any time (each
 * value is current, but values read one after another may straddle a batch).
 */
public final class WriterMetrics {

  /** Upper bounds of the batch-duration buckets, in seconds: 1 ms to 2.5 s. */
  public static final List<Double> BATCH_SECONDS_BOUNDS = List.of(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5);

  private final LongAdder batchesCommitted = new LongAdder();
  private final LongAdder batchesFailed = new LongAdder();
  private final LongAdder batchCommands = new LongAdder();
  private final LongAdder entriesAppended = new LongAdder();
  private final LongAdder requestsRejected = new LongAdder();
  /** Requests rejected per reject code (a group under its first failing item's); the codes are a fixed set. */
  private final Map<String, LongAdder> requestsRejectedByCode = new ConcurrentHashMap<>();
  private final LongAdder requestsRefusedOverloaded = new LongAdder();
  /** Batches (committed or failed) per bucket of BATCH_SECONDS_BOUNDS, the last for longer ones. */
  private final LongAdder[] batchesByDuration = new LongAdder[BATCH_SECONDS_BOUNDS.size() + 1];
  private final LongAdder batchNanos = new LongAdder();
  private final AtomicLong queuedCommands = new AtomicLong();
  private final AtomicLong inFlightCommands = new AtomicLong();

  WriterMetrics() {
    for (int i = 0; i < batchesByDuration.length; i++) {
      batchesByDuration[i] = new LongAdder();
    }
  }

  /** @param rejectedByCode requests a rule refused, by reject code */
  void batchCommitted(int commands, int appended, Map<String, Integer> rejectedByCode, long nanos) {
    batchesCommitted.increment();
    batchCommands.add(commands);
    entriesAppended.add(appended);
    rejectedByCode.forEach((code, count) -> {
      requestsRejected.add(count);
      requestsRejectedByCode.computeIfAbsent(code, c -> new LongAdder()).add(count);
    });
    timed(nanos);
  }

  void batchFailed(long nanos) {
    batchesFailed.increment();
    timed(nanos);
  }

  private void timed(long nanos) {
    batchNanos.add(nanos);
    double seconds = nanos / 1e9;
    int bucket = 0;
    while (bucket < BATCH_SECONDS_BOUNDS.size() && seconds > BATCH_SECONDS_BOUNDS.get(bucket)) {
      bucket++;
    }
    batchesByDuration[bucket].increment();
  }

  void refusedOverloaded() {
    requestsRefusedOverloaded.increment();
  }

  void waiting(long queued, long inFlight) {
    queuedCommands.set(queued);
    inFlightCommands.set(inFlight);
  }

  public long batchesCommitted() {
    return batchesCommitted.sum();
  }

  public long batchesFailed() {
    return batchesFailed.sum();
  }

  /** Commands (a group counts each of its commands) in committed batches, appended, replayed or rejected. */
  public long batchCommands() {
    return batchCommands.sum();
  }

  public long entriesAppended() {
    return entriesAppended.sum();
  }

  /** Requests of committed batches refused by a rule (a rejected group counts once). */
  public long requestsRejected() {
    return requestsRejected.sum();
  }

  /** {@link #requestsRejected} by reject code, sorted by name; a group counts under its first failing item's. */
  public Map<String, Long> requestsRejectedByCode() {
    Map<String, Long> byCode = new TreeMap<>();
    requestsRejectedByCode.forEach((code, count) -> byCode.put(code, count.sum()));
    return byCode;
  }

  /** Requests refused at once because the writer already held its most outstanding commands. */
  public long requestsRefusedOverloaded() {
    return requestsRefusedOverloaded.sum();
  }

  /** Batches whose duration fell in each bucket of BATCH_SECONDS_BOUNDS (not cumulative), then the longer ones. */
  public long[] batchesByDuration() {
    long[] counts = new long[batchesByDuration.length];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = batchesByDuration[i].sum();
    }
    return counts;
  }

  /** The summed duration of all batches, committed or failed, from taking them off the queue to their end. */
  public double batchSeconds() {
    return batchNanos.sum() / 1e9;
  }

  public long queuedCommands() {
    return queuedCommands.get();
  }

  public long inFlightCommands() {
    return inFlightCommands.get();
  }
}
