package org.carbonledger.ledger;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/**
 * EntryTime formats and parses the entry {@code time} field: UTC, always microseconds,
 * {@code yyyy-MM-ddTHH:mm:ss.SSSSSSZ}. A fixed width gives each instant exactly one spelling (so one hash), and
 * microseconds are what PostgreSQL timestamps hold, so a time survives a round trip through the database.
 */
final class EntryTime {

  /** Earliest instant with a four-digit year, 0000-01-01T00:00:00Z. */
  static final Instant MIN = Instant.parse("0000-01-01T00:00:00Z");
  /** Latest instant with a four-digit year and microsecond precision. */
  static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999Z");

  private static final Pattern SHAPE =
      Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}Z");
  // 'uuuu' is the proleptic year; STRICT refuses February 30 and hour 24 instead of rolling them over.
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withResolverStyle(ResolverStyle.STRICT);

  private EntryTime() {}

  /** Truncates to microseconds; throws ENTRY_TIME_INVALID outside years 0000..9999. */
  static Instant normalize(Instant time) {
    Instant truncated = time.truncatedTo(ChronoUnit.MICROS);
    if (truncated.isBefore(MIN) || truncated.isAfter(MAX)) {
      throw new LedgerException(LedgerException.Code.ENTRY_TIME_INVALID,
          "time " + time + " is outside years 0000..9999");
    }
    return truncated;
  }

  /** Formats a normalized instant. */
  static String format(Instant time) {
    return FORMAT.format(LocalDateTime.ofInstant(normalize(time), ZoneOffset.UTC));
  }

  /** Parses the exact format; anything else (other precision, offset, invalid date) is ENTRY_TIME_INVALID. */
  static Instant parse(String text) {
    if (!SHAPE.matcher(text).matches()) {
      throw invalid(text);
    }
    try {
      Instant time = LocalDateTime.parse(text, FORMAT).toInstant(ZoneOffset.UTC);
      Check.state(format(time).equals(text), "time does not round-trip: " + text);
      return time;
    } catch (DateTimeParseException e) {
      throw invalid(text);
    }
  }

  private static LedgerException invalid(String text) {
    return new LedgerException(LedgerException.Code.ENTRY_TIME_INVALID,
        "time must be yyyy-MM-ddTHH:mm:ss.SSSSSSZ, got \"" + text + "\"");
  }
}
