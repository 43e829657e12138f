package org.carbonledger.ledger;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TilePath writes and parses the resource paths of C2SP tlog-tiles: {@code tile/<L>/<N>[.p/<W>]} and
 * {@code tile/entries/<N>[.p/<W>]}, without a leading slash. Paths arrive in untrusted HTTP requests, so parsing
 * accepts exactly the one canonical spelling of each resource: L in 0..63 and W in 1..255 without leading
 * zeros, N as 3-digit groups with every group but the last prefixed by {@code x} and no leading {@code x000}
 * group (so {@code x000/067} is refused; the only spelling of 67 is {@code 067}).
 */
public final class TilePath {

  private static final String TILE_PREFIX = "tile/";
  private static final String ENTRIES_PREFIX = "tile/entries/";
  private static final String PARTIAL = ".p/";
  private static final Pattern LEVEL = Pattern.compile("0|[1-9][0-9]?");
  private static final Pattern WIDTH = Pattern.compile("[1-9][0-9]{0,2}");
  private static final Pattern INDEX = Pattern.compile("(?:x[0-9]{3}/){0,6}[0-9]{3}");
  private static final Pattern TILE = Pattern.compile("([^/]+)/(.+)");

  private TilePath() {}

  /** Encodes a tile index, e.g. 1234067 as {@code x001/x234/067} and 5 as {@code 005}. */
  public static String encodeIndex(long index) {
    Check.argument(index >= 0, "tile index must be >= 0");
    String digits = Long.toString(index);
    digits = "0".repeat((3 - digits.length() % 3) % 3) + digits;
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < digits.length(); i += 3) {
      boolean last = i + 3 == digits.length();
      out.append(last ? "" : "x").append(digits, i, i + 3).append(last ? "" : "/");
    }
    return out.toString();
  }

  /** Parses the canonical encoding of a tile index; throws TILE_PATH_MALFORMED for anything else. */
  public static long parseIndex(String text) {
    if (!INDEX.matcher(text).matches()) {
      throw malformed("tile index is not 3-digit groups with x on all but the last");
    }
    long value = 0;
    try {
      for (String group : text.split("/")) {
        int digits = Integer.parseInt(group.startsWith("x") ? group.substring(1) : group);
        value = Math.addExact(Math.multiplyExact(value, 1000), digits);
      }
    } catch (ArithmeticException e) {
      throw malformed("tile index does not fit 63 bits");
    }
    if (!encodeIndex(value).equals(text)) {
      throw malformed("tile index has a leading x000 group");
    }
    return value;
  }

  /** The path of a hash tile. */
  public static String tile(TileId id) {
    return TILE_PREFIX + id.level() + "/" + indexAndWidth(id.index(), id.width());
  }

  /** The path of an entry bundle. */
  public static String entryBundle(BundleId id) {
    return ENTRIES_PREFIX + indexAndWidth(id.index(), id.width());
  }

  /** Parses {@code tile/<L>/<N>[.p/<W>]}; entry bundle paths are refused (use {@link #parseEntryBundle}). */
  public static TileId parseTile(String path) {
    if (!path.startsWith(TILE_PREFIX) || path.startsWith(ENTRIES_PREFIX)) {
      throw malformed("not a hash tile path");
    }
    Matcher m = TILE.matcher(path.substring(TILE_PREFIX.length()));
    if (!m.matches() || !LEVEL.matcher(m.group(1)).matches()) {
      throw malformed("tile level must be 0..63 without leading zeros");
    }
    int level = Integer.parseInt(m.group(1));
    if (level > TileId.LEVEL_MAX) {
      throw malformed("tile level must be 0..63");
    }
    long[] indexAndWidth = parseIndexAndWidth(m.group(2));
    return new TileId(level, indexAndWidth[0], (int) indexAndWidth[1]);
  }

  /** Parses {@code tile/entries/<N>[.p/<W>]}. */
  public static BundleId parseEntryBundle(String path) {
    if (!path.startsWith(ENTRIES_PREFIX)) {
      throw malformed("not an entry bundle path");
    }
    long[] indexAndWidth = parseIndexAndWidth(path.substring(ENTRIES_PREFIX.length()));
    return new BundleId(indexAndWidth[0], (int) indexAndWidth[1]);
  }

  private static String indexAndWidth(long index, int width) {
    return encodeIndex(index) + (width == TileId.FULL_WIDTH ? "" : PARTIAL + width);
  }

  private static long[] parseIndexAndWidth(String text) {
    int partial = text.indexOf(PARTIAL);
    if (partial < 0) {
      return new long[] {parseIndex(text), TileId.FULL_WIDTH};
    }
    String width = text.substring(partial + PARTIAL.length());
    if (!WIDTH.matcher(width).matches() || Integer.parseInt(width) >= TileId.FULL_WIDTH) {
      throw malformed("partial width must be 1..255 without leading zeros");
    }
    return new long[] {parseIndex(text.substring(0, partial)), Integer.parseInt(width)};
  }

  private static LedgerException malformed(String detail) {
    return new LedgerException(LedgerException.Code.TILE_PATH_MALFORMED, detail);
  }
}
