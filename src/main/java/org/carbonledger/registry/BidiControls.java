package org.carbonledger.registry;

/**
 * BidiControls knows the Unicode bidirectional embeddings, overrides and isolates (U+202A..U+202E,
 * U+2066..U+2069). They make a text display in another order than it is stored, so a name holding one could pass
 * for another on a registry's or an operator's screen ("Trojan Source"); texts the registry keeps refuse them.
 * Right-to-left scripts display correctly without them.
 */
public final class BidiControls {

  private BidiControls() {}

  /** True for an embedding, override or isolate character. */
  public static boolean is(int c) {
    return c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069;
  }
}
