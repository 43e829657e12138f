package org.carbonledger.registry;

import org.carbonledger.ledger.Check;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * EntryData builds entry {@code data} in the canonical-JSON value model: sorted maps, Long numbers, dates as
 * {@code YYYY-MM-DD} strings, and no member at all for an absent optional value (never JSON null).
 */
final class EntryData {

  private final TreeMap<String, Object> members = new TreeMap<>();

  /** Adds a required member; its value MUST NOT be null. */
  EntryData put(String name, Object value) {
    Check.state(value != null, "required member " + name + " is null");
    Check.state(members.put(name, value) == null, "member " + name + " set twice");
    return this;
  }

  /** Adds an optional member, or nothing if the value is null. */
  EntryData putOptional(String name, Object value) {
    return value == null ? this : put(name, value);
  }

  /** The finished, unmodifiable object. */
  Map<String, Object> build() {
    return Collections.unmodifiableMap(new TreeMap<>(members));
  }

  static String date(LocalDate date) {
    return date.toString();
  }

  static Map<String, Object> period(Period period) {
    return new EntryData().put("end", date(period.end())).put("start", date(period.start())).build();
  }

  /** Serial ranges as {@code [{"end":..,"start":..}]}, in the given (ascending) order. */
  static List<Object> ranges(List<SerialRange> ranges) {
    List<Object> out = new ArrayList<>(ranges.size());
    for (SerialRange range : ranges) {
      out.add(new EntryData().put("end", range.end()).put("start", range.start()).build());
    }
    return Collections.unmodifiableList(out);
  }
}
