package org.carbonledger.registry;

/**
 * SerialRange is the serial numbers {@code start..end}, both inclusive. As command input it may be reversed or
 * out of bounds (SERIAL_RANGE_INVALID); everywhere else {@code 1 <= start <= end <= Limits.SERIAL_MAX}.
 */
public record SerialRange(long start, long end) {

  /** The number of serials in the range; only meaningful for a well-formed range. */
  public long size() {
    return end - start + 1;
  }

  /** True if {@code 1 <= start <= end <= Limits.SERIAL_MAX}. */
  public boolean isWellFormed() {
    return start >= 1 && start <= end && end <= Limits.SERIAL_MAX;
  }

  /** True if the two ranges share a serial. */
  public boolean overlaps(SerialRange other) {
    return start <= other.end && other.start <= end;
  }
}
