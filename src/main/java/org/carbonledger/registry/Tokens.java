package org.carbonledger.registry;

import java.util.regex.Pattern;

/** Tokens checks the short codes that are data: program codes, unit types and issuance labels. */
public final class Tokens {

  /** The J-Credit program code; only its projects carry a TSE market class. */
  public static final String PROGRAM_JCREDIT = "JCREDIT";

  private static final Pattern PROGRAM = Pattern.compile("[A-Z][A-Z0-9]{1,15}");
  private static final Pattern UNIT_TYPE = Pattern.compile("[A-Z]{2,8}");
  private static final Pattern LABEL = Pattern.compile("[A-Z][A-Z0-9_]*");

  private Tokens() {}

  /** True for a program code: 2 to 16 characters, {@code [A-Z][A-Z0-9]*}. */
  public static boolean isProgram(String s) {
    return s != null && PROGRAM.matcher(s).matches();
  }

  /** True for a unit type, {@code [A-Z]{2,8}} (e.g. JCU, VCU, VER). */
  public static boolean isUnitType(String s) {
    return s != null && UNIT_TYPE.matcher(s).matches();
  }

  /** True for a label, {@code [A-Z][A-Z0-9_]*} of at most {@link Limits#LABEL_LENGTH_MAX} characters. */
  public static boolean isLabel(String s) {
    return s != null && s.length() <= Limits.LABEL_LENGTH_MAX && LABEL.matcher(s).matches();
  }
}
