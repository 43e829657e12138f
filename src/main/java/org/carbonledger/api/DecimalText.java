package org.carbonledger.api;

import java.util.regex.Pattern;

/**
 * DecimalText reads the whole numbers clients write in URLs and cursors: ASCII digits, with a minus sign in front
 * for a negative one. {@link Long#parseLong} also takes a plus sign and the digits of every script (Arabic-Indic
 * U+0663 reads as 3), which would give one number many spellings.
 */
public final class DecimalText {

  private static final Pattern ASCII_INTEGER = Pattern.compile("-?[0-9]{1,19}");

  private DecimalText() {}

  /** The number {@code text} writes; NumberFormatException for anything else, or for one outside long. */
  public static long parseLong(String text) {
    if (text == null || !ASCII_INTEGER.matcher(text).matches()) {
      throw new NumberFormatException("not a decimal whole number: " + text);
    }
    return Long.parseLong(text);
  }
}
