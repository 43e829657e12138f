package org.carbonledger.ledger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * HashTile is the body of a C2SP tlog-tiles hash tile: its hashes concatenated, 32 bytes each, nothing else.
 */
public final class HashTile {

  private HashTile() {}

  /** Concatenates 1..256 hashes of 32 bytes. */
  public static byte[] encode(List<byte[]> hashes) {
    Check.argument(!hashes.isEmpty() && hashes.size() <= TileId.FULL_WIDTH, "a tile holds 1..256 hashes");
    byte[] out = new byte[hashes.size() * Hashes.SIZE_BYTES];
    for (int i = 0; i < hashes.size(); i++) {
      Check.argument(hashes.get(i).length == Hashes.SIZE_BYTES, "tile hashes must be 32 bytes");
      System.arraycopy(hashes.get(i), 0, out, i * Hashes.SIZE_BYTES, Hashes.SIZE_BYTES);
    }
    return out;
  }

  /** Splits a fetched tile body; throws TILE_DATA_MALFORMED unless it is exactly id.width() hashes. */
  public static List<byte[]> decode(TileId id, byte[] body) {
    if (body.length != id.width() * Hashes.SIZE_BYTES) {
      throw new LedgerException(LedgerException.Code.TILE_DATA_MALFORMED,
          "tile " + id.path() + " must be " + id.width() * Hashes.SIZE_BYTES + " bytes, got " + body.length);
    }
    List<byte[]> out = new ArrayList<>(id.width());
    for (int at = 0; at < body.length; at += Hashes.SIZE_BYTES) {
      out.add(Arrays.copyOfRange(body, at, at + Hashes.SIZE_BYTES));
    }
    return out;
  }
}
