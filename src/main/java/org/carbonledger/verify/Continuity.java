package org.carbonledger.verify;

import org.carbonledger.ledger.Check;
import java.security.MessageDigest;
import org.carbonledger.ledger.Checkpoint;
import org.carbonledger.ledger.Hex;
import org.carbonledger.ledger.LedgerException;
import org.carbonledger.ledger.ProofVerifier;

/**
 * Continuity checks that the log's checkpoint continues the one saved by the last run: never smaller, the same
 * root at the same size, and, when it grew, an RFC 6962 consistency proof (built from the log's own tiles by
 * {@link TileProofs}) from the saved tree to the new one. {@link Replay} checks the same from the entries.
 */
final class Continuity {

  private Continuity() {}

  /** Refuses a checkpoint that moved backwards or forked at the saved size; cheap, so it runs before the download. */
  static void checkOrder(Checkpoint saved, Checkpoint checkpoint) throws VerificationException {
    if (checkpoint.size() < saved.size()) {
      throw new VerificationException(VerificationException.Code.STATE_BACKWARDS,
          "state: checkpoint moved backwards from " + saved.size() + " to " + checkpoint.size());
    }
    if (checkpoint.size() == saved.size() && !MessageDigest.isEqual(checkpoint.rootHash(), saved.rootHash())) {
      throw new VerificationException(VerificationException.Code.STATE_FORK, "state: fork at size " + saved.size()
          + ": the saved checkpoint has root " + Hex.encode(saved.rootHash()) + ", the log now has "
          + Hex.encode(checkpoint.rootHash()));
    }
  }

  /** Verifies the consistency proof from the saved checkpoint to a larger one, built from the tiles. */
  static void checkProof(TileProofs tiles, Checkpoint saved, Checkpoint checkpoint) throws VerificationException {
    Check.argument(saved.size() < checkpoint.size(), "no growth to prove");
    try {
      ProofVerifier.verifyConsistency(saved.size(), checkpoint.size(), saved.rootHash(), checkpoint.rootHash(),
          tiles.consistencyProof(saved.size()));
    } catch (LedgerException e) {
      throw new VerificationException(VerificationException.Code.STATE_PROOF_INVALID,
          "state: the consistency proof from " + saved.size() + " to " + checkpoint.size()
              + ", built from the log's tiles, does not verify: " + e.detail(), e);
    }
  }
}
