package org.carbonledger.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** RateLimiterTest drives the token buckets with a fake clock: bursts, refill, separate keys, bounded memory, costs. */
class RateLimiterTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  @Test
  void aBurstPassesThenRequestsWaitForTheRate() {
    RateLimiter limiter = new RateLimiter(3, 1, 100, now::get);
    assertEquals(0, limiter.acquire("a"));
    assertEquals(0, limiter.acquire("a"));
    assertEquals(0, limiter.acquire("a"));
    assertEquals(1, limiter.acquire("a"), "the fourth waits a second");
    assertEquals(0, limiter.acquire("b"), "another key has its own bucket");
    now.addAndGet(1_000_000_000L);
    assertEquals(0, limiter.acquire("a"), "one token back after a second");
    assertTrue(limiter.acquire("a") > 0);
  }

  @Test
  void theBucketNeverHoldsMoreThanTheBurst() {
    RateLimiter limiter = new RateLimiter(2, 10, 100, now::get);
    now.addAndGet(3_600_000_000_000L);
    assertEquals(0, limiter.acquire("a"));
    assertEquals(0, limiter.acquire("a"));
    assertTrue(limiter.acquire("a") > 0);
  }

  @Test
  void slowRatesAskForLongerWaits() {
    RateLimiter limiter = new RateLimiter(1, 0.1, 100, now::get);
    assertEquals(0, limiter.acquire("a"));
    assertEquals(10, limiter.acquire("a"));
  }

  @Test
  void forgottenKeysStartFull() {
    RateLimiter limiter = new RateLimiter(1, 0.001, 2, now::get);
    assertEquals(0, limiter.acquire("a"));
    assertTrue(limiter.acquire("a") > 0);
    limiter.acquire("b");
    limiter.acquire("c"); // "a" is now the least recently seen of three: forgotten
    assertEquals(0, limiter.acquire("a"));
  }

  @Test
  void aCheaperRequestTakesItsFractionOfAToken() {
    RateLimiter limiter = new RateLimiter(1, 1, 100, now::get);
    for (int i = 0; i < 4; i++) {
      assertEquals(0, limiter.acquire("a", 0.25), "a quarter each: four to a token");
    }
    assertEquals(1, limiter.acquire("a", 0.25));
    now.addAndGet(250_000_000L);
    assertEquals(0, limiter.acquire("a", 0.25), "a quarter of a second refills a quarter");
    assertEquals(1, limiter.acquire("a"), "a whole request waits for a whole token");
    assertThrows(IllegalArgumentException.class, () -> limiter.acquire("a", 0));
    assertThrows(IllegalArgumentException.class, () -> limiter.acquire("a", 1.5));
  }

  @Test
  void nonsenseLimitsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new RateLimiter(0, 1, 1, now::get));
    assertThrows(IllegalArgumentException.class, () -> new RateLimiter(1, 0, 1, now::get));
  }
}
