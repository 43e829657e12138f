package org.carbonledger.registry;

import java.time.LocalDate;

/**
 * FirstProblem runs one kind of input check over several fields and keeps the first failure, so a rule reads
 * as one step of its command's precedence list. Each method does nothing once a problem is found.
 */
final class FirstProblem {

  private String first;

  /** The first problem found, or null. */
  String first() {
    return first;
  }

  /** Records {@code message} if {@code bad}. */
  FirstProblem when(boolean bad, String message) {
    if (first == null && bad) {
      first = message;
    }
    return this;
  }

  /** A required value: null, or a String that is blank, is missing. */
  FirstProblem missing(String field, Object value) {
    return when(value == null || value instanceof String s && s.isBlank(), field + " is missing");
  }

  /**
   * A text, when present, must not be blank, must be valid Unicode (no unpaired surrogate, which canonical JSON
   * cannot encode) and must have no control characters, bidirectional ones included; {@code multiline} texts may
   * have tabs and line feeds. A one-line text must not begin or end with a space of any kind: names and references
   * are compared as they are written, and "GS-900 " must not pass for another activity than "GS-900".
   */
  FirstProblem text(String field, String value, boolean multiline) {
    if (value == null) {
      return this;
    }
    when(value.isBlank(), field + " is blank");
    when(!multiline && !value.isEmpty() && (isSpace(value.charAt(0)) || isSpace(value.charAt(value.length() - 1))),
        field + " begins or ends with a space");
    return when(!isClean(value, multiline), field + " has control characters or unpaired surrogates");
  }

  /** A space, visible or not: zero-width and other format characters (U+200B, U+FEFF, U+2060) pad as well. */
  private static boolean isSpace(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.getType(c) == Character.FORMAT;
  }

  /** A text, when present, must be at most {@code lengthMax} UTF-16 code units long. */
  FirstProblem tooLong(String field, String value, int lengthMax) {
    return when(value != null && value.length() > lengthMax, field + " is longer than " + lengthMax);
  }

  /** A date, when present, must have a year in {@code YEAR_MIN..YEAR_MAX}, so it is written YYYY-MM-DD. */
  FirstProblem date(String field, LocalDate value) {
    return when(value != null && !isYear(value.getYear()),
        field + " is outside years " + Limits.YEAR_MIN + ".." + Limits.YEAR_MAX);
  }

  /** A period, when present, must have both dates, each in range (their order is PERIOD_INVALID's job). */
  FirstProblem period(String field, Period value) {
    if (value == null) {
      return this;
    }
    missing(field + ".start", value.start());
    missing(field + ".end", value.end());
    date(field + ".start", value.start());
    return date(field + ".end", value.end());
  }

  /** A year, when present, must be in {@code YEAR_MIN..YEAR_MAX}. */
  FirstProblem year(String field, Integer value) {
    return when(value != null && !isYear(value),
        field + " is outside years " + Limits.YEAR_MIN + ".." + Limits.YEAR_MAX);
  }

  /** A country, when present, must be assigned. */
  FirstProblem country(String field, String value) {
    return when(value != null && !Countries.isAssigned(value), field + " is not an ISO 3166-1 alpha-2 country");
  }

  static boolean isYear(int year) {
    return year >= Limits.YEAR_MIN && year <= Limits.YEAR_MAX;
  }

  private static boolean isClean(String s, boolean multiline) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      } else if (Character.isISOControl(c) && !(multiline && (c == '\n' || c == '\t')) || BidiControls.is(c)) {
        return false;
      }
    }
    return true;
  }
}
