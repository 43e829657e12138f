package org.carbonledger.verify;

import org.carbonledger.ledger.Check;
import java.security.MessageDigest;
import java.util.List;
import org.carbonledger.ledger.HashTile;
import org.carbonledger.ledger.Hashes;
import org.carbonledger.ledger.Hex;
import org.carbonledger.ledger.LedgerException;
import org.carbonledger.ledger.TileId;

/** ExpectedTile is a hash tile as recomputed from the entries, which the tile the log serves must equal. */
record ExpectedTile(TileId id, List<byte[]> hashes) {

  ExpectedTile {
    Check.argument(hashes.size() == id.width(), "tile " + id.path() + " needs " + id.width() + " hashes");
    hashes = List.copyOf(hashes);
  }

  /** Compares the served body with the recomputed hashes; the first differing hash is reported. */
  void compare(byte[] body) throws VerificationException {
    List<byte[]> served = decode(id, body);
    for (int i = 0; i < hashes.size(); i++) {
      if (!MessageDigest.isEqual(served.get(i), hashes.get(i))) {
        throw new VerificationException(VerificationException.Code.TILE_DIFFERS, Names.tile(id) + " differs: hash "
            + i + " is " + Hex.encode(served.get(i)) + ", the entries give " + Hex.encode(hashes.get(i)));
      }
    }
  }

  /** Splits a served tile into its hashes; a body of the wrong length is TILE_MALFORMED. */
  static List<byte[]> decode(TileId id, byte[] body) throws VerificationException {
    try {
      return HashTile.decode(id, body);
    } catch (LedgerException e) {
      throw new VerificationException(VerificationException.Code.TILE_MALFORMED, Names.tile(id) + " is "
          + body.length + " bytes, expected " + (long) id.width() * Hashes.SIZE_BYTES, e);
    }
  }
}
