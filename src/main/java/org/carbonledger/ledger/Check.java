package org.carbonledger.ledger;

/**
 * Check holds the always-on invariant checks of the pure packages (ledger, registry, verify). Java {@code assert} is off unless the JVM runs
 * with {@code -ea}, so a broken invariant would pass silently in production; these throw every time.
 */
public final class Check {

  private Check() {}

  /** Fails with IllegalArgumentException when a caller broke a documented precondition (a programmer error). */
  public static void argument(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Fails with IllegalStateException when this package's own bookkeeping is wrong. */
  public static void state(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException(message);
    }
  }
}
