package org.carbonledger.api;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ClientSlots counts what is held open (WebSocket connections, feeds): by each client address, which may hold at
 * most {@code perClientMax} so that one client cannot take every slot, and in all, at most {@code totalMax}.
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

  private final int perClientMax;
  private final int totalMax;
  private final ConcurrentHashMap<String, Integer> held = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();

  public ClientSlots(int perClientMax, int totalMax) {
    if (perClientMax < 1 || totalMax < 1) {
      throw new IllegalArgumentException("a client and the server must each be allowed a slot, got " + perClientMax
          + ", " + totalMax);
    }
    this.perClientMax = perClientMax;
    this.totalMax = totalMax;
  }

  /** The most slots one address may hold. */
  public int perClientMax() {
    return perClientMax;
  }

  /** The most slots held in all. */
  public int totalMax() {
    return totalMax;
  }

  /** Takes a slot for {@code address}, the client's limit checked first; anything but YES takes nothing. */
  public Taken take(String address) {
    if (!takeForClient(address)) {
      return Taken.CLIENT_FULL;
    }
    if (total.incrementAndGet() > totalMax) {
      total.decrementAndGet();
      releaseForClient(address);
      return Taken.SERVER_FULL;
    }
    return Taken.YES;
  }

  /** Gives back a slot {@link #take} gave {@code address}. */
  public void release(String address) {
    total.decrementAndGet();
    releaseForClient(address);
  }

  private boolean takeForClient(String address) {
    boolean[] taken = {false};
    held.compute(address, (key, count) -> {
      int now = count == null ? 0 : count;
      if (now >= perClientMax) {
        return count;
      }
      taken[0] = true;
      return now + 1;
    });
    return taken[0];
  }

  private void releaseForClient(String address) {
    held.computeIfPresent(address, (key, count) -> count <= 1 ? null : count - 1);
  }
}
