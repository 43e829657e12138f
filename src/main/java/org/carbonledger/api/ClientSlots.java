package org.carbonledger.api;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * ClientSlots counts what is held open (WebSocket connections, feeds), or held in memory (the bytes of request
 * bodies, each taking as many slots as it may be long): by each client address, which may hold at most
 * {@code perClientMax} so that one client cannot take every slot, and in all, at most {@code totalMax}.
 * Addresses are those of {@link TrustedProxies#clientAddress}, as for rate limits. An address is forgotten when it
 * holds nothing, so the map never holds more entries than there are open slots. Thread-safe: connections open and
 * close on every event loop.
 */
public final class ClientSlots {

  /** What {@link #take} answered. */
  public enum Taken {
    /** A slot is the client's until it is released. */
    YES,
    /** The client holds perClientMax already. */
    CLIENT_FULL,
    /** The client may take one more, but every slot of the server is held. */
    SERVER_FULL
  }

  private final long perClientMax;
  private final long totalMax;
  private final ConcurrentHashMap<String, Long> held = new ConcurrentHashMap<>();
  private final AtomicLong total = new AtomicLong();

  public ClientSlots(long perClientMax, long totalMax) {
    if (perClientMax < 1 || totalMax < 1) {
      throw new IllegalArgumentException("a client and the server must each be allowed a slot, got " + perClientMax
          + ", " + totalMax);
    }
    this.perClientMax = perClientMax;
    this.totalMax = totalMax;
  }

  /** The most slots one address may hold. */
  public long perClientMax() {
    return perClientMax;
  }

  /** The most slots held in all. */
  public long totalMax() {
    return totalMax;
  }

  /** Takes a slot for {@code address}, the client's limit checked first; anything but YES takes nothing. */
  public Taken take(String address) {
    return take(address, 1);
  }

  /** Takes {@code count} slots (at least 1) for {@code address} at once, or none. */
  public Taken take(String address, long count) {
    if (count < 1) {
      throw new IllegalArgumentException("take at least one slot, not " + count);
    }
    if (!takeForClient(address, count)) {
      return Taken.CLIENT_FULL;
    }
    if (total.addAndGet(count) > totalMax) {
      total.addAndGet(-count);
      releaseForClient(address, count);
      return Taken.SERVER_FULL;
    }
    return Taken.YES;
  }

  /** Gives back a slot {@link #take} gave {@code address}. */
  public void release(String address) {
    release(address, 1);
  }

  /** Gives back the {@code count} slots {@link #take(String, long)} gave {@code address}. */
  public void release(String address, long count) {
    total.addAndGet(-count);
    releaseForClient(address, count);
  }

  private boolean takeForClient(String address, long count) {
    boolean[] taken = {false};
    held.compute(address, (key, holds) -> {
      long now = holds == null ? 0 : holds;
      if (now + count > perClientMax) {
        return holds;
      }
      taken[0] = true;
      return now + count;
    });
    return taken[0];
  }

  private void releaseForClient(String address, long count) {
    held.computeIfPresent(address, (key, holds) -> holds <= count ? null : holds - count);
  }
}
