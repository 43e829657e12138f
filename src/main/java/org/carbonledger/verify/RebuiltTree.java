package org.carbonledger.verify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.carbonledger.ledger.Check;
import org.carbonledger.ledger.Hashes;
import org.carbonledger.ledger.TileId;
import org.carbonledger.ledger.TileLayout;

/**
 * RebuiltTree is the log's RFC 6962 Merkle tree rebuilt from its leaf hashes, as much of it as the verifier
 * compares: the right edge (the compact range: one complete subtree per set bit of the size), which gives the
 * root at every size, and every hash tile, which collects the nodes of tree level 8L at tile level L
 * (https://c2sp.org/tlog-tiles). It holds the edge and one tile per level, so memory does not grow with the log.
 *
 * <p>It does what {@link org.carbonledger.ledger.CompactRange} does for the writer, without its per-node
 * objects and copies: the verifier appends every leaf of the log, and those made up a fifth of a replay.
 */
final class RebuiltTree {

  /** Tree levels per tile level. */
  private static final int TILE_HEIGHT = 8;

  private final long treeSize;
  private final TreeHasher hasher = new TreeHasher();
  /** Hashes of the complete subtrees that make up [0, size), left (largest) to right. */
  private final byte[][] edge = new byte[Long.SIZE][];
  private int edgeCount;
  private long size;
  /** Per tile level: the hashes of the tile being filled, concatenated, how many it has, and its index. */
  private final byte[][] tileHashes;
  private final int[] tileWidth;
  private final long[] tileIndex;

  /** An empty tree that will grow to treeSize leaves. */
  RebuiltTree(long treeSize) {
    this.treeSize = treeSize;
    int levels = TileLayout.levelCount(treeSize);
    this.tileHashes = new byte[levels][TileId.FULL_WIDTH * Hashes.SIZE_BYTES];
    this.tileWidth = new int[levels];
    this.tileIndex = new long[levels];
  }

  /** Number of leaves appended so far. */
  long size() {
    return size;
  }

  /** Appends the next leaf and returns the full tiles it completes, lowest level first; mostly none. */
  List<ExpectedTile> append(byte[] leafHash) {
    Check.argument(size < treeSize, "more leaves than the tree has");
    Check.argument(leafHash.length == Hashes.SIZE_BYTES, "leaf hash must be 32 bytes");
    List<ExpectedTile> full = addToTile(0, leafHash, List.of());
    long newSize = size + 1;
    // Each trailing zero bit of the new size is one pair of equal subtrees that now merge.
    byte[] hash = leafHash;
    int merges = Long.numberOfTrailingZeros(newSize);
    for (int level = 1; level <= merges; level++) {
      hash = hasher.nodeHash(edge[--edgeCount], hash);
      if (level % TILE_HEIGHT == 0) {
        full = addToTile(level / TILE_HEIGHT, hash, full);
      }
    }
    edge[edgeCount++] = hash;
    size = newSize;
    return full;
  }

  /** The root of the leaves appended so far: SHA-256("") when there are none. */
  byte[] root() {
    if (edgeCount == 0) {
      return Hashes.emptyRoot();
    }
    byte[] hash = edge[edgeCount - 1];
    for (int i = edgeCount - 2; i >= 0; i--) {
      hash = hasher.nodeHash(edge[i], hash);
    }
    return hash.clone();
  }

  /** The partial tiles of the tree, lowest level first; only once every leaf was appended. */
  List<ExpectedTile> partialTiles() {
    Check.state(size == treeSize, "partial tiles asked for after " + size + " of " + treeSize + " leaves");
    List<ExpectedTile> out = new ArrayList<>();
    for (int level = 0; level < tileHashes.length; level++) {
      int width = tileWidth[level];
      Check.state(width == TileLayout.partialTileWidth(level, treeSize),
          "tile level " + level + " collected " + width + " hashes for its partial tile");
      if (width > 0) {
        out.add(new ExpectedTile(new TileId(level, tileIndex[level], width),
            Arrays.copyOf(tileHashes[level], width * Hashes.SIZE_BYTES)));
      }
    }
    return out;
  }

  /** Adds a node of tree level 8 * level to its tile; returns full with that tile added if it is now full. */
  private List<ExpectedTile> addToTile(int level, byte[] hash, List<ExpectedTile> full) {
    // A node at tree level 8L completes only once the tree has 256^L leaves, so its tile level exists.
    Check.state(level < tileHashes.length, "a node above the tree's highest tile level");
    System.arraycopy(hash, 0, tileHashes[level], tileWidth[level] * Hashes.SIZE_BYTES, Hashes.SIZE_BYTES);
    if (++tileWidth[level] < TileId.FULL_WIDTH) {
      return full;
    }
    List<ExpectedTile> out = new ArrayList<>(full);
    out.add(new ExpectedTile(new TileId(level, tileIndex[level], TileId.FULL_WIDTH), tileHashes[level].clone()));
    tileIndex[level]++;
    tileWidth[level] = 0;
    return out;
  }
}
