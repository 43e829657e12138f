package org.carbonledger.server;

import java.io.PrintStream;
import java.util.Locale;
import org.carbonledger.registry.BidiControls;

/**
 * ConsoleText is the one way a command prints a failure: as one line of visible text. A failure message can hold
 * text from outside, such as an account id from a log under verification; on a terminal its carriage returns and
 * escape sequences could erase the line and print a fake "verified" one in its place, and bidi controls could
 * reorder it. So every control character (C0, DEL, C1), every bidi embedding, override or isolate
 * ({@link BidiControls}), the bidi marks (U+061C, U+200E, U+200F) and the line and paragraph separators (U+2028,
 * U+2029) are written as a backslash, a u and four hex digits instead: ESC shows as the six characters
 * backslash-u001b. Messages are escaped where they are printed, not where they are made, so that none is missed.
 */
final class ConsoleText {

  private ConsoleText() {}

  /** Prints line, escaped by {@link #visible}, and a line separator. */
  static void println(PrintStream stream, String line) {
    stream.println(visible(line));
  }

  /** The text with each character that would not show as itself escaped as backslash-u and four hex digits. */
  static String visible(String text) {
    if (text.chars().noneMatch(ConsoleText::escaped)) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (escaped(c)) {
        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean escaped(int c) {
    return Character.isISOControl(c) || BidiControls.is(c) || c == 0x061c || c == 0x200e || c == 0x200f
        || c == 0x2028 || c == 0x2029;
  }
}
