package org.carbonledger.ledger;

import java.util.ArrayList;
import java.util.List;

/**
 * TileId names one C2SP tlog-tiles hash tile: tile {@code index} at tile {@code level}, holding {@code width}
 * consecutive hashes of tree level 8 * level (https://c2sp.org/tlog-tiles, "Merkle Tree"). Width 256 is a full
 * tile; 1..255 is a partial tile on the right edge. Each hash is the hash of a complete subtree, so the store
 * serves a tile straight from its {@link #nodeIds()}.
 */
public record TileId(int level, long index, int width) {

  /** Hashes in a full tile; also the fan-out between tile levels. */
  public static final int FULL_WIDTH = 256;

  /** Highest tile level the spec allows in a path. */
  public static final int LEVEL_MAX = 63;

  public TileId {
    Check.argument(level >= 0 && level <= LEVEL_MAX, "tile level " + level + " is outside 0..63");
    Check.argument(index >= 0, "tile index must be >= 0");
    Check.argument(width >= 1 && width <= FULL_WIDTH, "tile width " + width + " is outside 1..256");
  }

  /** True for a tile of fewer than 256 hashes. */
  public boolean isPartial() {
    return width < FULL_WIDTH;
  }

  /** The path of this tile, e.g. {@code tile/0/x001/x234/067} or {@code tile/1/001.p/17}. */
  public String path() {
    return TilePath.tile(this);
  }

  /** True if every hash of this tile is a complete subtree in a tree of the given size, so it can be served. */
  public boolean isCompleteIn(long treeSize) {
    long hashes = TileLayout.hashCount(level, treeSize);
    return hashes >= width && index <= (hashes - width) / FULL_WIDTH;
  }

  /** The tree nodes whose hashes make up this tile, left to right. */
  public List<NodeId> nodeIds() {
    int nodeLevel = 8 * level;
    Check.argument(nodeLevel <= NodeId.LEVEL_MAX, "tile level " + level + " holds no node of a long-sized tree");
    long first = Math.multiplyExact(index, FULL_WIDTH);
    List<NodeId> out = new ArrayList<>(width);
    for (int i = 0; i < width; i++) {
      out.add(new NodeId(nodeLevel, first + i));
    }
    return out;
  }
}
