package org.carbonledger.registry;

import org.carbonledger.ledger.Check;
/**
 * Ids assigns and validates registry identifiers: a kind letter, eight decimal digits (the kind's counter from 1,
 * in log order) and a {@link CheckCharacter}, e.g. {@code A00000001L} for the first account.
 */
public final class Ids {

  /** Kind is what an identifier names, and its letter. */
  public enum Kind {
    HOLDER('H'),
    ACCOUNT('A'),
    PROJECT('P'),
    AUTHORISATION('L'),
    ISSUANCE('I');

    private final char letter;

    Kind(char letter) {
      this.letter = letter;
    }

    /** The letter that starts every identifier of this kind. */
    public char letter() {
      return letter;
    }
  }

  /** Largest counter value: eight digits. Assigning past it is a programmer error (the format must change). */
  public static final long NUMBER_MAX = 99_999_999L;

  /** Length of every identifier: letter, eight digits, check character. */
  public static final int LENGTH = 10;

  private Ids() {}

  /** The identifier of the {@code number}-th object of {@code kind}, {@code 1 <= number <= NUMBER_MAX}. */
  public static String format(Kind kind, long number) {
    Check.argument(number >= 1 && number <= NUMBER_MAX, "identifier number out of range: " + number);
    String body = kind.letter() + String.format("%08d", number);
    return body + CheckCharacter.compute(body);
  }

  /** True if {@code id} is a well-formed identifier of {@code kind} with a correct check character. */
  public static boolean isValid(Kind kind, String id) {
    if (id == null || id.length() != LENGTH || id.charAt(0) != kind.letter()) {
      return false;
    }
    for (int i = 1; i < LENGTH - 1; i++) {
      char c = id.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return !id.startsWith("00000000", 1) && CheckCharacter.isValid(id);
  }

  /** The counter value of a valid identifier; throws IllegalArgumentException if it is not one. */
  public static long number(Kind kind, String id) {
    Check.argument(isValid(kind, id), "not a valid " + kind + " id: " + id);
    return Long.parseLong(id.substring(1, LENGTH - 1));
  }
}
