package org.carbonledger.verify;

import java.io.IOException;
import org.carbonledger.ledger.BundleId;
import org.carbonledger.ledger.TileId;

/**
 * LogSource reads what a log publishes under C2SP tlog-tiles (https://c2sp.org/tlog-tiles), as raw bytes; the
 * verifier trusts none of it. Implementations MUST be safe for concurrent calls (the verifier fetches the next
 * bundles while it checks the current one) and MUST throw {@link FetchException} rather than return partial
 * data when a resource cannot be read whole.
 */
public interface LogSource {

  /** The latest signed checkpoint note ({@code checkpoint}). */
  byte[] checkpoint() throws IOException;

  /** A hash tile ({@code tile/<L>/<N>[.p/<W>]}). */
  byte[] tile(TileId id) throws IOException;

  /** An entry bundle ({@code tile/entries/<N>[.p/<W>]}). */
  byte[] entryBundle(BundleId id) throws IOException;

  /**
   * The verifier key the log publishes ({@code key}). Never a trust anchor: the verifier only uses it to
   * explain a checkpoint signed by another key than the one the user gave.
   */
  byte[] key() throws IOException;
}
