package org.carbonledger.api;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * WriterShares caps the commands one API key has in the writer at once, queued or being written. The writer's
 * queue (LogWriter.Limits.outstandingMax, 10,000 commands) is shared by every client, and a settlement puts up to
 * 500 commands in it for one rate-limit token: without a cap, one key's settlements (even ones that every rule
 * refuses) could keep the queue full, and every other client's writes would be refused OVERLOADED. Past its cap a
 * key's writes are refused OVERLOADED before they reach the writer, while other keys' go on.
 *
 * <p>A share is named by the key id: only keyed principals write (AccessPolicy refuses PUBLIC every mutation), so
 * there is no client address to count. A command counts from the moment it is handed to the writer until the
 * writer answers it (committed, rejected, or its batch failed), not until the HTTP request ends: a request that
 * timed out still has its commands in the writer. Thread-safe: mutations resolve on every event loop.
 */
final class WriterShares {

  /**
   * The default cap: two settlements' worth. One settlement being written while the next gathers behind it keeps
   * the writer as busy as a lone key can make it (one batch of 500 commits while the next forms), and it takes ten
   * keys at their caps to fill the writer's 10,000 places.
   */
  static final int COMMANDS_PER_KEY_MAX = 2 * SettlementMutations.SETTLEMENT_TRANSFERS_MAX;

  private final int perKeyMax;
  /** Commands each key has in the writer; a key with none has no entry, so the map holds only active writers. */
  private final Map<String, Integer> outstanding = new HashMap<>();

  WriterShares(int perKeyMax) {
    if (perKeyMax < SettlementMutations.SETTLEMENT_TRANSFERS_MAX) {
      // Below a settlement's size, the largest settlement could never be written.
      throw new IllegalArgumentException("a key's share must hold a settlement of " + SettlementMutations.SETTLEMENT_TRANSFERS_MAX
          + " transfers, got " + perKeyMax);
    }
    this.perKeyMax = perKeyMax;
  }

  /**
   * Runs {@code append}, which hands {@code commands} commands of {@code principal} to the writer, if the key's
   * share has room for them; otherwise fails with ApiException OVERLOADED and hands nothing over.
   */
  <T> Future<T> submit(Principal principal, int commands, Supplier<Future<T>> append) {
    String key = principal.principalId();
    if (!take(key, commands)) {
      return Future.failedFuture(new ApiException(RegistryMutations.OVERLOADED, "this API key already has as many commands"
          + " waiting for the writer as it may (" + perKeyMax + ", a settlement counting each of its transfers):"
          + " retry once some of its writes have been answered"));
    }
    Future<T> appended;
    try {
      appended = append.get();
    } catch (RuntimeException e) {
      giveBack(key, commands);
      throw e;
    }
    return appended.onComplete(ignored -> giveBack(key, commands));
  }

  /** Takes room for {@code commands} in {@code key}'s share; false (and nothing taken) when there is not enough. */
  private synchronized boolean take(String key, int commands) {
    int held = outstanding.getOrDefault(key, 0);
    if (held + commands > perKeyMax) {
      return false;
    }
    outstanding.put(key, held + commands);
    return true;
  }

  private synchronized void giveBack(String key, int commands) {
    int left = outstanding.getOrDefault(key, 0) - commands;
    if (left <= 0) {
      outstanding.remove(key);
    } else {
      outstanding.put(key, left);
    }
  }
}
