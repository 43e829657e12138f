package org.carbonledger.verify;

/**
 * Check holds this package's always-on invariant checks. Java {@code assert} is off unless the JVM runs with
 * {@code -ea}, so a broken invariant would pass silently; these throw every time.
 */
final class Check {

  private Check() {}

  /** Fails with IllegalArgumentException when a caller broke a documented precondition. */
  static void argument(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Fails with IllegalStateException when this package's own bookkeeping is wrong. */
  static void state(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException(message);
    }
  }
}
