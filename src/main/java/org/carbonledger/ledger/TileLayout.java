package org.carbonledger.ledger;

/**
 * TileLayout answers which tiles make up a tree of a given size (https://c2sp.org/tlog-tiles, "Partial
 * Tiles"): at tile level L the tree has floor(size / 256^L) hashes, grouped into full tiles of 256 and one
 * partial tile of the remainder, if any. Example from the spec: size 70,000 has 273 full level-0 tiles and a
 * partial one of width 112, one full level-1 tile and a partial one of width 17, and a partial level-2 tile
 * of width 1.
 */
public final class TileLayout {

  private TileLayout() {}

  /** Number of tree hashes at tile level L (tree level 8L): floor(treeSize / 256^L). */
  public static long hashCount(int level, long treeSize) {
    Check.argument(level >= 0 && level <= TileId.LEVEL_MAX, "tile level " + level + " is outside 0..63");
    Check.argument(treeSize >= 0, "tree size must be >= 0");
    int shift = 8 * level;
    return shift >= Long.SIZE ? 0 : treeSize >>> shift;
  }

  /** Number of full tiles at tile level L. */
  public static long fullTileCount(int level, long treeSize) {
    return hashCount(level, treeSize) / TileId.FULL_WIDTH;
  }

  /** Width of the partial tile at tile level L, or 0 if that level has none. */
  public static int partialTileWidth(int level, long treeSize) {
    return (int) (hashCount(level, treeSize) % TileId.FULL_WIDTH);
  }

  /** Number of tile levels that hold at least one hash: 0 for the empty tree. */
  public static int levelCount(long treeSize) {
    int levels = 0;
    while (levels <= TileId.LEVEL_MAX && hashCount(levels, treeSize) > 0) {
      levels++;
    }
    return levels;
  }
}
