package org.carbonledger.registry;

/**
 * Checks holds the always-on invariant checks of the registry. Java {@code assert} is off unless the JVM runs with
 * {@code -ea}, so a broken invariant would pass silently; these throw every time.
 */
final class Checks {

  private Checks() {}

  /** Fails with IllegalArgumentException when a caller broke a documented precondition. */
  static void argument(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Fails with IllegalStateException when state (ours, or a snapshot the store loaded) breaks an invariant. */
  static void state(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException(message);
    }
  }
}
