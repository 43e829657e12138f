package org.carbonledger.verify;

import org.carbonledger.ledger.Check;
import java.util.ArrayList;
import java.util.List;
import org.carbonledger.ledger.TileId;
import org.carbonledger.ledger.TileLayout;
import org.carbonledger.ledger.TreeNode;

/**
 * TileHashes rebuilds every hash tile of a tree from the nodes a {@link org.carbonledger.ledger.CompactRange}
 * completes as the leaves are appended: tile level L collects the nodes of tree level 8L
 * (https://c2sp.org/tlog-tiles, "Merkle Tree"). It holds at most one tile of 256 hashes per level, so memory
 * does not grow with the log.
 */
final class TileHashes {

  private final long treeSize;
  private final List<List<byte[]>> current = new ArrayList<>();
  private final long[] tileIndex;
  private long leafCount;

  TileHashes(long treeSize) {
    this.treeSize = treeSize;
    int levels = TileLayout.levelCount(treeSize);
    for (int level = 0; level < levels; level++) {
      current.add(new ArrayList<>(TileId.FULL_WIDTH));
    }
    this.tileIndex = new long[levels];
  }

  /** Takes the nodes completed by one more leaf and returns the full tiles they complete, lowest level first. */
  List<ExpectedTile> add(List<TreeNode> completed) {
    Check.argument(leafCount < treeSize, "more leaves than the tree has");
    leafCount++;
    List<ExpectedTile> full = new ArrayList<>(1);
    for (TreeNode node : completed) {
      int level = node.id().level();
      if (level % 8 != 0 || level / 8 >= current.size()) {
        continue; // not a tile level, or above the tree's highest tile level
      }
      int tileLevel = level / 8;
      List<byte[]> hashes = current.get(tileLevel);
      Check.state(node.id().index() == tileIndex[tileLevel] * TileId.FULL_WIDTH + hashes.size(),
          "node " + node.id() + " arrived out of order");
      hashes.add(node.hash());
      if (hashes.size() == TileId.FULL_WIDTH) {
        full.add(new ExpectedTile(new TileId(tileLevel, tileIndex[tileLevel], TileId.FULL_WIDTH), hashes));
        tileIndex[tileLevel]++;
        hashes.clear();
      }
    }
    return full;
  }

  /** The partial tiles of the tree, lowest level first; only once every leaf was added. */
  List<ExpectedTile> partialTiles() {
    Check.state(leafCount == treeSize, "partial tiles asked for after " + leafCount + " of " + treeSize + " leaves");
    List<ExpectedTile> out = new ArrayList<>();
    for (int level = 0; level < current.size(); level++) {
      List<byte[]> hashes = current.get(level);
      Check.state(hashes.size() == TileLayout.partialTileWidth(level, treeSize),
          "tile level " + level + " collected " + hashes.size() + " hashes for its partial tile");
      if (!hashes.isEmpty()) {
        out.add(new ExpectedTile(new TileId(level, tileIndex[level], hashes.size()), hashes));
      }
    }
    return out;
  }
}
