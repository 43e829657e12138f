package org.carbonledger.store;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * EntryData reads the members of an entry's {@code data} object (the canonical JSON value model: String,
 * Long, Boolean, List, Map). A missing or mistyped required member is a broken invariant: the entry was
 * written by our own rules, so the projector stops rather than guess.
 */
final class EntryData {

  private final Map<String, Object> data;

  EntryData(Map<String, Object> data) {
    this.data = data;
  }

  String string(String name) {
    return required(name, String.class);
  }

  String optionalString(String name) {
    return optional(name, String.class);
  }

  long number(String name) {
    return required(name, Long.class);
  }

  Long optionalNumber(String name) {
    return optional(name, Long.class);
  }

  boolean bool(String name) {
    return required(name, Boolean.class);
  }

  LocalDate date(String name) {
    return LocalDate.parse(string(name));
  }

  LocalDate optionalDate(String name) {
    String text = optionalString(name);
    return text == null ? null : LocalDate.parse(text);
  }

  @SuppressWarnings("unchecked")
  EntryData object(String name) {
    return new EntryData(required(name, Map.class));
  }

  @SuppressWarnings("unchecked")
  EntryData optionalObject(String name) {
    Map<String, Object> value = optional(name, Map.class);
    return value == null ? null : new EntryData(value);
  }

  @SuppressWarnings("unchecked")
  List<EntryData> objects(String name) {
    List<EntryData> objects = new ArrayList<>();
    for (Object item : required(name, List.class)) {
      objects.add(new EntryData((Map<String, Object>) item));
    }
    return objects;
  }

  List<String> strings(String name) {
    List<String> strings = new ArrayList<>();
    for (Object item : required(name, List.class)) {
      strings.add((String) item);
    }
    return strings;
  }

  /** The {@code blocks} member: [{"end":..,"start":..}] as [start, end] pairs. */
  List<long[]> ranges(String name) {
    List<long[]> ranges = new ArrayList<>();
    for (EntryData range : objects(name)) {
      ranges.add(new long[] {range.number("start"), range.number("end")});
    }
    return ranges;
  }

  private <T> T required(String name, Class<T> type) {
    T value = optional(name, type);
    if (value == null) {
      throw new IllegalStateException("entry data lacks " + name);
    }
    return value;
  }

  private <T> T optional(String name, Class<T> type) {
    Object value = data.get(name);
    if (value != null && !type.isInstance(value)) {
      throw new IllegalStateException("entry data member " + name + " is not a " + type.getSimpleName());
    }
    return type.cast(value);
  }
}
