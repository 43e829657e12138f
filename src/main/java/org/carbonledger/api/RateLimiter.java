package org.carbonledger.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * RateLimiter is a token bucket per key (an API key id, or a client address): each key may make
 * {@code burst} requests at once and {@code perSecond} a second after that. The map of buckets is bounded:
 * past {@code keysMax} the least recently seen key is forgotten (a forgotten key starts with a full bucket,
 * which errs towards serving honest clients). Thread-safe; the clock is passed in so tests need no sleep.
 */
public final class RateLimiter {

  private final double burst;
  private final double perNano;
  private final LongSupplier nanoClock;
  private final Map<String, double[]> buckets;

  public RateLimiter(int burst, double perSecond, int keysMax, LongSupplier nanoClock) {
    if (burst < 1 || perSecond <= 0 || keysMax < 1) {
      throw new IllegalArgumentException("rate limit needs burst >= 1, rate > 0 and room for one key");
    }
    this.burst = burst;
    this.perNano = perSecond / 1e9;
    this.nanoClock = nanoClock;
    this.buckets = new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, double[]> eldest) {
        return size() > keysMax;
      }
    };
  }

  /**
   * Takes one token for {@code key}; returns 0 when the request may go ahead, otherwise how many whole
   * seconds to wait before a token is there (for Retry-After).
   */
  public long acquire(String key) {
    return acquire(key, 1);
  }

  /**
   * Takes {@code cost} tokens (more than 0, at most 1) for {@code key}: a request that costs the server less than a
   * usual one may cost a fraction. Returns 0 when it may go ahead, otherwise the whole seconds to wait.
   */
  public synchronized long acquire(String key, double cost) {
    if (!(cost > 0 && cost <= 1)) {
      throw new IllegalArgumentException("a request costs more than 0 and at most 1 token, got " + cost);
    }
    long now = nanoClock.getAsLong();
    double[] bucket = buckets.computeIfAbsent(key, k -> new double[] {burst, now}); // {tokens, last refill}
    bucket[0] = Math.min(burst, bucket[0] + (now - (long) bucket[1]) * perNano);
    bucket[1] = now;
    if (bucket[0] >= cost) {
      bucket[0] -= cost;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((cost - bucket[0]) / perNano / 1e9));
  }

  /** Like {@link #acquire} but takes nothing: how many seconds until {@code key} has a token (0: now). */
  public synchronized long waitSeconds(String key) {
    double[] bucket = buckets.get(key);
    if (bucket == null) {
      return 0;
    }
    double tokens = Math.min(burst, bucket[0] + (nanoClock.getAsLong() - (long) bucket[1]) * perNano);
    return tokens >= 1 ? 0 : Math.max(1, (long) Math.ceil((1 - tokens) / perNano / 1e9));
  }
}
