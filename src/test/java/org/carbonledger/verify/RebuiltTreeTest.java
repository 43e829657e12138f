package org.carbonledger.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.carbonledger.ledger.CompactRange;
import org.carbonledger.ledger.HashTile;
import org.carbonledger.ledger.Hashes;
import org.carbonledger.ledger.NodeId;
import org.carbonledger.ledger.TileId;
import org.carbonledger.ledger.TileLayout;
import org.carbonledger.ledger.TreeNode;
import org.junit.jupiter.api.Test;

/**
 * RebuiltTreeTest holds the verifier's own tree to the ledger's {@link CompactRange}, leaf by leaf: the root at
 * every size, and every full and partial tile, which must be what a log that stores CompactRange's nodes serves
 * (built the way {@link TestLog} builds the tiles it publishes). Sizes run past 65,536 so that three tile levels
 * fill.
 */
class RebuiltTreeTest {

  @Test
  void rootAtEverySizeIsCompactRanges() {
    int size = 2_100;
    RebuiltTree tree = new RebuiltTree(size);
    CompactRange range = CompactRange.empty();
    assertArrayEquals(range.root(), tree.root(), "empty tree");
    for (int i = 0; i < size; i++) {
      byte[] leaf = leaf(i);
      tree.append(leaf);
      range.append(leaf);
      assertEquals(range.size(), tree.size());
      assertArrayEquals(range.root(), tree.root(), "root at size " + tree.size());
    }
  }

  @Test
  void fullAndPartialTilesAreWhatTheLogServes() throws VerificationException {
    int size = 65_536 + 2 * 256 + 7;
    RebuiltTree tree = new RebuiltTree(size);
    CompactRange range = CompactRange.empty();
    Map<NodeId, byte[]> nodes = new HashMap<>();
    List<ExpectedTile> tiles = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      byte[] leaf = leaf(i);
      tiles.addAll(tree.append(leaf));
      for (TreeNode node : range.append(leaf)) {
        nodes.put(node.id(), node.hash());
      }
    }
    tiles.addAll(tree.partialTiles());

    List<String> paths = tiles.stream().map(tile -> tile.id().path()).sorted().toList();
    assertEquals(tileIds(size).stream().sorted().toList(), paths, "each tile of the tree, once");
    for (ExpectedTile tile : tiles) {
      List<byte[]> hashes = new ArrayList<>();
      tile.id().nodeIds().forEach(node -> hashes.add(nodes.get(node)));
      tile.compare(HashTile.encode(hashes)); // throws TILE_DIFFERS at the first hash that is not the log's
    }
  }

  /** Every tile of a tree of this size (https://c2sp.org/tlog-tiles): per level, the full ones and the partial one. */
  private static List<String> tileIds(int size) {
    List<String> out = new ArrayList<>();
    for (int level = 0; level < TileLayout.levelCount(size); level++) {
      long full = TileLayout.fullTileCount(level, size);
      for (long index = 0; index < full; index++) {
        out.add(new TileId(level, index, TileId.FULL_WIDTH).path());
      }
      int partial = TileLayout.partialTileWidth(level, size);
      if (partial > 0) {
        out.add(new TileId(level, full, partial).path());
      }
    }
    return out;
  }

  private static byte[] leaf(int i) {
    return Hashes.leafHash(("leaf " + i).getBytes(StandardCharsets.UTF_8));
  }
}
