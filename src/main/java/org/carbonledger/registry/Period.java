package org.carbonledger.registry;

import java.time.LocalDate;

/**
 * Period is a range of days, both ends inclusive. As a command input it may be incomplete or reversed (the rules
 * report that as FIELD_INVALID or PERIOD_INVALID); in the registry's objects it is always well formed.
 */
public record Period(LocalDate start, LocalDate end) {

  /** True if both ends are present and start is not after end. */
  public boolean isOrdered() {
    return start != null && end != null && !start.isAfter(end);
  }

  /** True if the two periods share at least one day. Both must be ordered. */
  public boolean overlaps(Period other) {
    return !start.isAfter(other.end) && !other.start.isAfter(end);
  }

  /** True if every day of {@code other} is in this period. Both must be ordered. */
  public boolean contains(Period other) {
    return !other.start.isBefore(start) && !other.end.isAfter(end);
  }
}
