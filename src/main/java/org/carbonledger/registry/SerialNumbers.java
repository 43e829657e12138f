package org.carbonledger.registry;

import org.carbonledger.ledger.Check;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * SerialNumbers formats and parses human-readable serial numbers. Parsing checks the shape of every part and the
 * ISO/IEC 7064 MOD 37,36 check character over the parts without hyphens, so a mistyped serial fails instead of
 * naming other units; whether the parts match the issuance holding the range is {@link RegistryState#resolve}'s
 * question.
 */
public final class SerialNumbers {

  private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
  private static final Pattern YEAR = Pattern.compile("[0-9]{4}");
  private static final Pattern SERIAL = Pattern.compile("[1-9][0-9]{0,15}");

  private SerialNumbers() {}

  /** The serial number of {@code start..end} of an issuance of a project. */
  public static SerialNumber of(Issuance issuance, Project project, long start, long end) {
    Check.argument(issuance.projectId().equals(project.projectId()), "issuance of another project");
    Check.argument(issuance.serialStart() <= start && start <= end && end <= issuance.serialEnd(),
        "range outside the issuance");
    return new SerialNumber(project.program(), issuance.unitType(), project.hostCountry(), project.projectId(),
        issuance.vintage(), issuance.issuanceId(), start, end);
  }

  /** The text of {@code start..end} of an issuance of a project. */
  public static String format(Issuance issuance, Project project, long start, long end) {
    return of(issuance, project, start, end).format();
  }

  /** The serial number the text spells exactly (with a valid check character), or empty. */
  public static Optional<SerialNumber> parse(String text) {
    if (text == null || text.length() > 120) {
      return Optional.empty();
    }
    String[] parts = text.split("-", -1);
    if (parts.length != 9 || !Tokens.isProgram(parts[0]) || !Tokens.isUnitType(parts[1])
        || !COUNTRY.matcher(parts[2]).matches() || !Ids.isValid(Ids.Kind.PROJECT, parts[3])
        || !YEAR.matcher(parts[4]).matches() || !Ids.isValid(Ids.Kind.ISSUANCE, parts[5])
        || parts[8].length() != 1) {
      return Optional.empty();
    }
    Long start = serial(parts[6]);
    Long end = serial(parts[7]);
    int vintage = Integer.parseInt(parts[4]);
    if (start == null || end == null || start > end || !FirstProblem.isYear(vintage)) {
      return Optional.empty();
    }
    String body = String.join("", Arrays.copyOf(parts, 8));
    if (CheckCharacter.compute(body) != parts[8].charAt(0)) {
      return Optional.empty();
    }
    return Optional.of(new SerialNumber(parts[0], parts[1], parts[2], parts[3], vintage, parts[5], start, end));
  }

  /** A bare serial: a decimal integer in 1..2^53-1 without leading zeros, or null. */
  static Long serial(String text) {
    if (!SERIAL.matcher(text).matches()) {
      return null;
    }
    long value = Long.parseLong(text);
    return value <= Limits.SERIAL_MAX ? value : null;
  }
}
