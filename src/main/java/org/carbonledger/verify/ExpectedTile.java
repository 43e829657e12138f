package org.carbonledger.verify;

import java.util.Arrays;
import java.util.List;
import org.carbonledger.ledger.Check;
import org.carbonledger.ledger.HashTile;
import org.carbonledger.ledger.Hashes;
import org.carbonledger.ledger.Hex;
import org.carbonledger.ledger.LedgerException;
import org.carbonledger.ledger.TileId;

/** ExpectedTile is a hash tile as recomputed from the entries, which the tile the log serves must equal. */
final class ExpectedTile {

  private final TileId id;
  /** The tile's hashes concatenated: exactly the body the log must serve. */
  private final byte[] body;

  /** @param body the recomputed hashes, concatenated; kept, not copied */
  ExpectedTile(TileId id, byte[] body) {
    Check.argument(body.length == id.width() * Hashes.SIZE_BYTES, "tile " + id.path() + " needs " + id.width()
        + " hashes");
    this.id = id;
    this.body = body;
  }

  TileId id() {
    return id;
  }

  /** Compares the served body with the recomputed hashes; the first differing hash is reported. */
  void compare(byte[] served) throws VerificationException {
    if (served.length != body.length) {
      throw malformed(id, served, null);
    }
    int differs = Arrays.mismatch(served, body);
    if (differs < 0) {
      return;
    }
    int hash = differs / Hashes.SIZE_BYTES;
    int from = hash * Hashes.SIZE_BYTES;
    throw new VerificationException(VerificationException.Code.TILE_DIFFERS, Names.tile(id) + " differs: hash "
        + hash + " is " + Hex.encode(Arrays.copyOfRange(served, from, from + Hashes.SIZE_BYTES))
        + ", the entries give " + Hex.encode(Arrays.copyOfRange(body, from, from + Hashes.SIZE_BYTES)));
  }

  /** Splits a served tile into its hashes; a body of the wrong length is TILE_MALFORMED. */
  static List<byte[]> decode(TileId id, byte[] body) throws VerificationException {
    try {
      return HashTile.decode(id, body);
    } catch (LedgerException e) {
      throw malformed(id, body, e);
    }
  }

  private static VerificationException malformed(TileId id, byte[] body, LedgerException cause) {
    return new VerificationException(VerificationException.Code.TILE_MALFORMED, Names.tile(id) + " is "
        + body.length + " bytes, expected " + (long) id.width() * Hashes.SIZE_BYTES, cause);
  }
}
