package org.carbonledger.verify;

import org.carbonledger.ledger.Check;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.carbonledger.ledger.BundleId;
import org.carbonledger.ledger.TileId;

/**
 * Fetcher downloads ahead on a few threads, so the next entry bundles and the tiles to compare arrive while
 * the current bundle is checked; each thread also checks the bundle it fetched as far as a bundle can be checked
 * alone ({@link CheckedBundle}), so that this work runs in parallel too. Memory stays bounded: at most
 * {@link #BUNDLES_AHEAD_MAX} bundles are held, and bundles are handed out strictly in log order, so the first
 * failure reported does not depend on timing.
 */
final class Fetcher implements AutoCloseable {

  /**
   * Bundles requested ahead of the one being checked; also the number of fetch threads. Four keep a local
   * server busy (eight gained little over four in a 200,000-entry test) and cap what is held at 4 x 16.8 MB
   * even when every entry has the largest size.
   */
  static final int BUNDLES_AHEAD_MAX = 4;

  private final LogSource source;
  private final long treeSize;
  private final long bundleCount;
  private final ExecutorService pool;
  private final ArrayDeque<Future<CheckedBundle>> window = new ArrayDeque<>();
  private long nextBundleToRequest;
  private long nextBundleToHandOut;

  Fetcher(LogSource source, long treeSize) {
    Check.argument(treeSize >= 0, "tree size must be >= 0");
    this.source = source;
    this.treeSize = treeSize;
    this.bundleCount = treeSize / TileId.FULL_WIDTH + (treeSize % TileId.FULL_WIDTH == 0 ? 0 : 1);
    AtomicInteger threads = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(BUNDLES_AHEAD_MAX, task -> {
      Thread thread = new Thread(task, "verify-fetch-" + threads.incrementAndGet());
      thread.setDaemon(true); // a verifier stuck on a dead server must still be able to exit
      return thread;
    });
  }

  /** Number of entry bundles in the tree: full ones, then the partial one if the size is not a multiple of 256. */
  long bundleCount() {
    return bundleCount;
  }

  /** The bundle at position index of the tree. */
  private BundleId bundleId(long index) {
    Check.argument(index >= 0 && index < bundleCount, "bundle " + index + " is outside the tree");
    long first = Math.multiplyExact(index, TileId.FULL_WIDTH);
    return new BundleId(index, (int) Math.min(TileId.FULL_WIDTH, treeSize - first));
  }

  /**
   * The next bundle in log order, checked on the fetch thread as far as it can be alone; callers MUST take
   * bundles 0, 1, 2, ... one after another.
   */
  CheckedBundle nextBundle() throws VerificationException {
    Check.state(nextBundleToHandOut < bundleCount, "every bundle was already handed out");
    while (nextBundleToRequest < bundleCount && window.size() < BUNDLES_AHEAD_MAX) {
      BundleId id = bundleId(nextBundleToRequest++);
      window.add(pool.submit(() -> CheckedBundle.check(id, source.entryBundle(id))));
    }
    BundleId id = bundleId(nextBundleToHandOut++);
    return await(window.remove(), Names.bundle(id));
  }

  /** Starts fetching a hash tile; {@link #await} gives its body. */
  Future<byte[]> tile(TileId id) {
    return pool.submit(() -> source.tile(id));
  }

  /** Fetch is one read of a LogSource. */
  interface Fetch {
    byte[] get() throws IOException;
  }

  /** Fetches one resource on the calling thread; an I/O failure becomes FETCH_FAILED, named after the resource. */
  static byte[] now(Fetch fetch, String resource) throws VerificationException {
    try {
      return fetch.get();
    } catch (IOException e) {
      throw fetchFailed(resource, e);
    }
  }

  /** Waits for a fetch; an I/O failure becomes FETCH_FAILED, named after the resource. */
  static <T> T await(Future<T> fetch, String resource) throws VerificationException {
    try {
      return fetch.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VerificationException(VerificationException.Code.FETCH_FAILED, resource + ": interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw fetchFailed(resource, io);
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime; // a bug in a LogSource, not a property of the log
      }
      throw new IllegalStateException("fetching " + resource + " failed", cause);
    }
  }

  private static VerificationException fetchFailed(String resource, IOException e) {
    return new VerificationException(VerificationException.Code.FETCH_FAILED,
        resource + ": " + HttpLogSource.reason(e), e);
  }

  /** Stops the fetch threads; fetches still running are interrupted. */
  @Override
  public void close() {
    pool.shutdownNow();
  }
}
