package org.carbonledger.verify;

import org.carbonledger.ledger.BundleId;
import org.carbonledger.ledger.TileId;

/**
 * Names spells tiles and bundles in failure reports the way operators read them: {@code tile 1/000} and
 * {@code entry bundle 273.p/112}, i.e. the C2SP tlog-tiles path without its {@code tile/} prefix.
 */
final class Names {

  private static final String TILE_PREFIX = "tile/";
  private static final String BUNDLE_PREFIX = "tile/entries/";

  private Names() {}

  static String tile(TileId id) {
    return "tile " + id.path().substring(TILE_PREFIX.length());
  }

  static String bundle(BundleId id) {
    return "entry bundle " + id.path().substring(BUNDLE_PREFIX.length());
  }
}
