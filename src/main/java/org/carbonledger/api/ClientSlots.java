package org.carbonledger.api;

import java.util.concurrent.ConcurrentHashMap;

/**
 * ClientSlots counts what each client address holds open (WebSocket connections, feeds) and refuses one more past
 * {@code perClientMax}, so that one client cannot take every one of the server's slots. Addresses are those of
 * {@link TrustedProxies#clientAddress}, as for rate limits. An address is forgotten when it holds nothing, so the
 * map never holds more entries than there are open slots. Thread-safe: connections open and close on every event
 * loop.
 */
public final class ClientSlots {

  private final int perClientMax;
  private final ConcurrentHashMap<String, Integer> held = new ConcurrentHashMap<>();

  public ClientSlots(int perClientMax) {
    if (perClientMax < 1) {
      throw new IllegalArgumentException("a client must be allowed at least one slot, got " + perClientMax);
    }
    this.perClientMax = perClientMax;
  }

  /** The most slots one address may hold. */
  public int perClientMax() {
    return perClientMax;
  }

  /** Takes a slot for {@code address}; false, taking nothing, when it holds {@link #perClientMax} already. */
  public boolean tryTake(String address) {
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

  /** Gives back a slot {@link #tryTake} gave {@code address}. */
  public void release(String address) {
    held.computeIfPresent(address, (key, count) -> count <= 1 ? null : count - 1);
  }
}
