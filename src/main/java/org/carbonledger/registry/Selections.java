package org.carbonledger.registry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Selections checks the input of a {@link UnitSelection}, one precedence step per method: each returns the
 * problem as a message, or null. Later steps may assume earlier ones passed.
 */
final class Selections {

  private Selections() {}

  /** ID_MALFORMED: a filter id is set and malformed. */
  static String malformedId(UnitSelection selection) {
    if (selection instanceof UnitSelection.ByQuantity q) {
      if (q.issuanceId() != null && !Ids.isValid(Ids.Kind.ISSUANCE, q.issuanceId())) {
        return "selection.issuanceId is not a well-formed issuance id";
      }
      if (q.projectId() != null && !Ids.isValid(Ids.Kind.PROJECT, q.projectId())) {
        return "selection.projectId is not a well-formed project id";
      }
    }
    return null;
  }

  /** FIELD_INVALID: no selection, no ranges, too many, a null range, or a vintage filter out of range. */
  static String invalidField(UnitSelection selection) {
    if (selection == null) {
      return "selection is missing";
    }
    if (selection instanceof UnitSelection.Ranges r) {
      if (r.ranges() == null || r.ranges().isEmpty()) {
        return "selection.ranges names no range";
      }
      if (r.ranges().size() > Limits.SELECTION_RANGES_MAX) {
        return "selection.ranges names more than " + Limits.SELECTION_RANGES_MAX + " ranges";
      }
      // Not contains(null): immutable lists throw on a null argument.
      return r.ranges().stream().anyMatch(java.util.Objects::isNull) ? "selection.ranges has a missing range" : null;
    }
    UnitSelection.ByQuantity q = (UnitSelection.ByQuantity) selection;
    return new FirstProblem().year("selection.vintage", q.vintage()).first();
  }

  /** QUANTITY_MUST_BE_POSITIVE. */
  static String nonPositive(UnitSelection selection) {
    if (selection instanceof UnitSelection.ByQuantity q && q.quantity() < 1) {
      return "selection.quantity must be at least 1";
    }
    return null;
  }

  /** SERIAL_RANGE_INVALID: a range out of bounds or reversed, or two ranges overlapping. */
  static String rangeInvalid(UnitSelection selection) {
    if (!(selection instanceof UnitSelection.Ranges r)) {
      return null;
    }
    for (SerialRange range : r.ranges()) {
      if (!range.isWellFormed()) {
        return "selection range " + range.start() + ".." + range.end() + " is not within 1.." + Limits.SERIAL_MAX
            + " in ascending order";
      }
    }
    List<SerialRange> sorted = sorted(r.ranges());
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).start() <= sorted.get(i - 1).end()) {
        return "selection ranges overlap at serial " + sorted.get(i).start();
      }
    }
    return null;
  }

  /** QUANTITY_ABOVE_LIMIT: the quantity, or the ranges' total, above the limit. Ranges are well formed. */
  static String aboveLimit(UnitSelection selection) {
    long total;
    if (selection instanceof UnitSelection.ByQuantity q) {
      total = q.quantity();
    } else {
      total = 0;
      for (SerialRange range : ((UnitSelection.Ranges) selection).ranges()) {
        // Cannot overflow: at most SELECTION_RANGES_MAX ranges of at most 2^53 serials each.
        total += range.size();
      }
    }
    return total > Limits.QUANTITY_MAX ? "the selection is " + total + " units, above " + Limits.QUANTITY_MAX
        : null;
  }

  /** The ranges sorted by start, then merged where adjacent; the ranges MUST be well formed and disjoint. */
  static List<SerialRange> normalised(List<SerialRange> ranges) {
    List<SerialRange> merged = new ArrayList<>();
    for (SerialRange range : sorted(ranges)) {
      int last = merged.size() - 1;
      if (last >= 0 && merged.get(last).end() + 1 == range.start()) {
        merged.set(last, new SerialRange(merged.get(last).start(), range.end()));
      } else {
        merged.add(range);
      }
    }
    return merged;
  }

  private static List<SerialRange> sorted(List<SerialRange> ranges) {
    List<SerialRange> sorted = new ArrayList<>(ranges);
    sorted.sort(Comparator.comparingLong(SerialRange::start));
    return sorted;
  }
}
