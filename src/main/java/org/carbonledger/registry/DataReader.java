package org.carbonledger.registry;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * DataReader reads entry {@code data} strictly for {@link RegistryState#apply}: every member must have the
 * expected JSON type, required members must be present, and {@link #end} refuses members nobody read. Any
 * mismatch throws IllegalStateException, because data that does not fit is a corrupted log, not a guess to make.
 * The store's SQL projector reads entries with it too.
 */
public final class DataReader {

  private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

  private final String path;
  private final Map<?, ?> members;
  private final Set<String> read = new HashSet<>();

  public DataReader(String path, Object value) {
    if (!(value instanceof Map<?, ?>)) {
      throw new IllegalStateException(path + " is not an object");
    }
    this.path = path;
    this.members = (Map<?, ?>) value;
    for (Object key : members.keySet()) {
      if (!(key instanceof String)) {
        throw new IllegalStateException(path + " has a member name that is not a string");
      }
    }
  }

  public String string(String name) {
    Object value = required(name);
    check(value instanceof String, name, " is not a string");
    return (String) value;
  }

  public String optionalString(String name) {
    return has(name) ? string(name) : null;
  }

  public long number(String name) {
    Object value = required(name);
    check(value instanceof Long || value instanceof Integer, name, " is not an integer");
    return ((Number) value).longValue();
  }

  /** A year: an integer in YEAR_MIN..YEAR_MAX. */
  public int year(String name) {
    long value = number(name);
    check(value >= Limits.YEAR_MIN && value <= Limits.YEAR_MAX, name, " is not a year");
    return (int) value;
  }

  public Integer optionalYear(String name) {
    return has(name) ? year(name) : null;
  }

  public boolean bool(String name) {
    Object value = required(name);
    check(value instanceof Boolean, name, " is not a boolean");
    return (Boolean) value;
  }

  /** A flag written only when it is set: absent is false, and when present it must be {@code true}. */
  public boolean flag(String name) {
    if (!has(name)) {
      return false;
    }
    check(Boolean.TRUE.equals(required(name)), name, " is present but not true");
    return true;
  }

  public DataReader object(String name) {
    return new DataReader(where(name), required(name));
  }

  public DataReader optionalObject(String name) {
    return has(name) ? object(name) : null;
  }

  /** An array of objects, each read strictly. */
  public List<DataReader> objects(String name) {
    List<?> items = list(name);
    List<DataReader> readers = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      readers.add(new DataReader(where(name) + "[" + i + "]", items.get(i)));
    }
    return readers;
  }

  public List<?> list(String name) {
    Object value = required(name);
    check(value instanceof List<?>, name, " is not an array");
    return (List<?>) value;
  }

  /** The array of strings, or null when the member is absent. */
  public List<String> optionalStrings(String name) {
    return has(name) ? strings(name) : null;
  }

  public List<String> strings(String name) {
    List<String> out = new ArrayList<>();
    for (Object item : list(name)) {
      check(item instanceof String, name, " has an item that is not a string");
      out.add((String) item);
    }
    return out;
  }

  public LocalDate date(String name) {
    String text = string(name);
    check(DATE.matcher(text).matches(), name, " is not YYYY-MM-DD");
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalStateException(where(name) + " is not a date", e);
    }
  }

  /** A period object {end, start} with start <= end. */
  public Period period(String name) {
    DataReader reader = object(name);
    Period period = new Period(reader.date("start"), reader.date("end"));
    reader.end();
    check(period.isOrdered(), name, " ends before it starts");
    return period;
  }

  public Period optionalPeriod(String name) {
    return has(name) ? period(name) : null;
  }

  public <E extends Enum<E>> E enumValue(String name, Class<E> type) {
    String text = string(name);
    try {
      return Enum.valueOf(type, text);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(where(name) + " is not a " + type.getSimpleName(), e);
    }
  }

  /** A non-empty array of {end, start} serial ranges, well formed, ascending and disjoint. */
  public List<SerialRange> ranges(String name) {
    List<?> items = list(name);
    check(!items.isEmpty(), name, " is empty");
    List<SerialRange> ranges = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      DataReader item = new DataReader(where(name) + "[" + i + "]", items.get(i));
      SerialRange range = new SerialRange(item.number("start"), item.number("end"));
      item.end();
      if (!range.isWellFormed()) {
        throw new IllegalStateException(item.path + " is not a serial range");
      }
      if (!ranges.isEmpty() && ranges.get(ranges.size() - 1).end() >= range.start()) {
        throw new IllegalStateException(item.path + " is not after the range before it");
      }
      ranges.add(range);
    }
    return ranges;
  }

  /** Fails if a member was not read: data the registry does not understand. */
  public void end() {
    for (Object key : members.keySet()) {
      if (!read.contains(key)) {
        throw new IllegalStateException(where((String) key) + " is not a member of this entry type");
      }
    }
  }

  private boolean has(String name) {
    return members.containsKey(name);
  }

  private Object required(String name) {
    Object value = members.get(name);
    check(value != null, name, " is missing");
    read.add(name);
    return value;
  }

  /**
   * Refuses the entry unless {@code ok}; the message is built only then, since every member an entry has is read
   * through here on every replay.
   */
  private void check(boolean ok, String name, String problem) {
    if (!ok) {
      throw new IllegalStateException(where(name) + problem);
    }
  }

  private String where(String name) {
    return path + "." + name;
  }
}
