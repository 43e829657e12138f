package org.carbonledger.registry;

import org.carbonledger.ledger.Check;
/**
 * CheckCharacter computes and verifies ISO/IEC 7064 MOD 37,36 (hybrid system) check characters over the
 * alphabet {@code 0-9A-Z}. It catches every single-character substitution, so a mistyped identifier fails its
 * check instead of naming another object. It catches adjacent transpositions too, except one class (about 1 in 630
 * of them): a swap whose two running sums S (below) are 18 and 19, e.g. {@code A12345678L} and {@code A12345687L}
 * both check. REGISTRY.md claims every transposition; that holds for the pure MOD 37-2 system, not this one.
 *
 * <p>The algorithm (ISO/IEC 7064, hybrid systems, with M = 36): start with P = M; for each character of value a,
 * S = (P + a) mod M, or M if that is 0, then P = 2S mod (M + 1). The check character has the value
 * (M + 1 - P) mod M, which makes the S of the check character itself equal to 1.
 */
public final class CheckCharacter {

  /** The 36 characters, in value order. */
  public static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

  private static final int MODULUS = 36;

  private CheckCharacter() {}

  /** The check character of {@code text}; throws IllegalArgumentException for a character outside 0-9A-Z. */
  public static char compute(CharSequence text) {
    return ALPHABET.charAt((MODULUS + 1 - product(text, text.length())) % MODULUS);
  }

  /** True if {@code text} is at least two characters of 0-9A-Z and its last one is the check of the others. */
  public static boolean isValid(CharSequence text) {
    if (text == null || text.length() < 2) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (ALPHABET.indexOf(text.charAt(i)) < 0) {
        return false;
      }
    }
    return compute(text.subSequence(0, text.length() - 1)) == text.charAt(text.length() - 1);
  }

  private static int product(CharSequence text, int length) {
    int p = MODULUS;
    for (int i = 0; i < length; i++) {
      int value = ALPHABET.indexOf(text.charAt(i));
      Check.argument(value >= 0, "check characters cover only 0-9 and A-Z");
      int s = (p + value) % MODULUS;
      if (s == 0) {
        s = MODULUS;
      }
      p = (2 * s) % (MODULUS + 1);
    }
    return p;
  }
}
