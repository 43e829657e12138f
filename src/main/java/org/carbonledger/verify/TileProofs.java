package org.carbonledger.verify;

import org.carbonledger.ledger.Check;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.carbonledger.ledger.Hashes;
import org.carbonledger.ledger.LeafRange;
import org.carbonledger.ledger.NodeId;
import org.carbonledger.ledger.SubtreeHashes;
import org.carbonledger.ledger.TileId;
import org.carbonledger.ledger.TileLayout;
import org.carbonledger.ledger.TreeMath;

/**
 * TileProofs builds RFC 6962 consistency proofs from a log's hash tiles, as a client without the entries would:
 * a node at tree level l is folded from the 2^(l mod 8) hashes below it in the tile of level floor(l / 8), taken
 * from the tiles of the tree at {@code treeSize}. Tiles are fetched once and kept for the one proof.
 */
final class TileProofs {

  private final Fetcher fetcher;
  private final long treeSize;
  private final Map<TileId, List<byte[]>> tiles = new HashMap<>();

  TileProofs(Fetcher fetcher, long treeSize) {
    this.fetcher = fetcher;
    this.treeSize = treeSize;
  }

  /** PROOF(oldSize, D[treeSize]) from the tiles, in the RFC's order. */
  List<byte[]> consistencyProof(long oldSize) throws VerificationException {
    List<LeafRange> ranges = TreeMath.consistencyProofRanges(oldSize, treeSize);
    Map<NodeId, byte[]> nodes = new HashMap<>();
    for (NodeId id : TreeMath.nodesFor(ranges)) {
      nodes.put(id, nodeHash(id));
    }
    return SubtreeHashes.proof(ranges, nodes::get);
  }

  /** The hash of a complete subtree of the tree, from the tile that holds its descendants at a tile level. */
  byte[] nodeHash(NodeId id) throws VerificationException {
    int tileLevel = id.level() / 8;
    int height = id.level() % 8;
    long first = id.index() << height; // index of the node's first descendant at tree level 8 * tileLevel
    long tileIndex = first / TileId.FULL_WIDTH;
    int offset = (int) (first % TileId.FULL_WIDTH);
    int width = tileIndex < TileLayout.fullTileCount(tileLevel, treeSize)
        ? TileId.FULL_WIDTH : TileLayout.partialTileWidth(tileLevel, treeSize);
    Check.argument(offset + (1 << height) <= width, "node " + id + " is not complete in a tree of " + treeSize);
    List<byte[]> hashes = tile(new TileId(tileLevel, tileIndex, width));
    List<byte[]> level = new ArrayList<>(hashes.subList(offset, offset + (1 << height)));
    while (level.size() > 1) {
      List<byte[]> up = new ArrayList<>(level.size() / 2);
      for (int i = 0; i < level.size(); i += 2) {
        up.add(Hashes.nodeHash(level.get(i), level.get(i + 1)));
      }
      level = up;
    }
    return level.get(0);
  }

  private List<byte[]> tile(TileId id) throws VerificationException {
    List<byte[]> hashes = tiles.get(id);
    if (hashes == null) {
      hashes = ExpectedTile.decode(id, Fetcher.await(fetcher.tile(id), Names.tile(id)));
      tiles.put(id, hashes);
    }
    return hashes;
  }
}
