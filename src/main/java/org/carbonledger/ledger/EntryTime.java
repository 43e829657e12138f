package org.carbonledger.ledger;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

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

  /** The one shape of a time: 'd' is an ASCII digit, anything else stands for itself. */
  private static final String SHAPE = "dddd-dd-ddTdd:dd:dd.ddddddZ";
  // 'uuuu' is the proleptic year: year 0 is written 0000, as parse reads it.
  private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'");

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

  /**
   * Parses the exact format; anything else (other precision, offset, invalid date) is ENTRY_TIME_INVALID. Every
   * field has a fixed width, so the text is the only spelling of the instant it parses to: it formats back the
   * same. By hand rather than with a DateTimeFormatter, which made parsing a third of decoding an entry.
   */
  static Instant parse(String text) {
    if (text.length() != SHAPE.length()) {
      throw invalid(text);
    }
    for (int i = 0; i < SHAPE.length(); i++) {
      char expected = SHAPE.charAt(i);
      char actual = text.charAt(i);
      if (expected == 'd' ? actual < '0' || actual > '9' : actual != expected) {
        throw invalid(text);
      }
    }
    try {
      // LocalDateTime.of refuses what does not exist (February 30, hour 24, second 60): it never rolls over.
      return LocalDateTime.of(digits(text, 0, 4), digits(text, 5, 2), digits(text, 8, 2), digits(text, 11, 2),
          digits(text, 14, 2), digits(text, 17, 2), digits(text, 20, 6) * 1000).toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      throw invalid(text);
    }
  }

  /** The number written by the ASCII digits text[from, from + count). */
  private static int digits(String text, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      value = value * 10 + (text.charAt(i) - '0');
    }
    return value;
  }

  private static LedgerException invalid(String text) {
    return new LedgerException(LedgerException.Code.ENTRY_TIME_INVALID,
        "time must be yyyy-MM-ddTHH:mm:ss.SSSSSSZ, got \"" + text + "\"");
  }
}
