package org.carbonledger.ledger;

/**
 * BundleId names one C2SP tlog-tiles entry bundle: entries {@code [index * 256, index * 256 + width)}, the
 * entries whose leaf hashes form level-0 tile {@code index}. Width 256 is a full bundle, 1..255 a partial one.
 */
public record BundleId(long index, int width) {

  public BundleId {
    Check.argument(index >= 0, "bundle index must be >= 0");
    Check.argument(width >= 1 && width <= TileId.FULL_WIDTH, "bundle width " + width + " is outside 1..256");
  }

  /** True for a bundle of fewer than 256 entries. */
  public boolean isPartial() {
    return width < TileId.FULL_WIDTH;
  }

  /** Seq of the first entry in the bundle. */
  public long firstSeq() {
    return Math.multiplyExact(index, TileId.FULL_WIDTH);
  }

  /** The path of this bundle, e.g. {@code tile/entries/273.p/112}. */
  public String path() {
    return TilePath.entryBundle(this);
  }

  /** True if all the bundle's entries exist in a log of the given size. */
  public boolean isCompleteIn(long treeSize) {
    return new TileId(0, index, width).isCompleteIn(treeSize);
  }
}
