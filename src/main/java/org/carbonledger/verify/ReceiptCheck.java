package org.carbonledger.verify;

import org.carbonledger.ledger.Check;
import java.nio.charset.CharacterCodingException;
import java.util.Optional;
import org.carbonledger.ledger.Checkpoint;
import org.carbonledger.ledger.EntryCodec;
import org.carbonledger.ledger.Hashes;
import org.carbonledger.ledger.InclusionReceipt;
import org.carbonledger.ledger.LedgerEntry;
import org.carbonledger.ledger.LedgerException;
import org.carbonledger.ledger.NoteVerifier;

/**
 * ReceiptCheck verifies a receipt in the C2SP tlog-proof format (https://c2sp.org/tlog-proof) offline, with the
 * log's verifier key alone: the receipt parses, its checkpoint is signed by the key and names the key's origin,
 * and its inclusion proof places the entry (or a leaf hash the caller computed) at the receipt's index under
 * the checkpoint's root. It proves the entry is in the log as of that checkpoint, nothing about later ones.
 */
public final class ReceiptCheck {

  /**
   * Verified is what a valid receipt proves.
   *
   * @param index      the entry's index in the log
   * @param leafHash   the leaf hash that was proven
   * @param checkpoint the signed checkpoint the proof leads to
   * @param entry      the decoded entry, when the entry bytes were given
   */
  public record Verified(long index, byte[] leafHash, Checkpoint checkpoint, Optional<LedgerEntry> entry) {}

  private ReceiptCheck() {}

  /** Verifies a receipt for an entry's bytes: they must decode, have the receipt's index as seq, and be included. */
  public static Verified forEntry(byte[] receipt, NoteVerifier key, byte[] entryBytes) throws VerificationException {
    InclusionReceipt parsed = parse(receipt);
    try {
      Checkpoint checkpoint = parsed.verifyEntry(entryBytes, key.name(), key);
      return new Verified(parsed.index(), Hashes.leafHash(entryBytes), checkpoint,
          Optional.of(EntryCodec.decode(entryBytes)));
    } catch (LedgerException e) {
      throw failure(e);
    }
  }

  /** Verifies a receipt for a 32-byte leaf hash, SHA-256(0x00 || entry bytes). */
  public static Verified forLeafHash(byte[] receipt, NoteVerifier key, byte[] leafHash) throws VerificationException {
    Check.argument(leafHash.length == Hashes.SIZE_BYTES, "a leaf hash is 32 bytes");
    InclusionReceipt parsed = parse(receipt);
    try {
      return new Verified(parsed.index(), leafHash.clone(), parsed.verify(leafHash, key.name(), key), Optional.empty());
    } catch (LedgerException e) {
      throw failure(e);
    }
  }

  private static InclusionReceipt parse(byte[] receipt) throws VerificationException {
    try {
      return InclusionReceipt.parse(Checkpoints.strictUtf8(receipt));
    } catch (CharacterCodingException e) {
      throw new VerificationException(VerificationException.Code.RECEIPT_MALFORMED,
          "receipt malformed: not valid UTF-8");
    } catch (LedgerException e) {
      throw new VerificationException(VerificationException.Code.RECEIPT_MALFORMED,
          "receipt malformed: " + e.detail(), e);
    }
  }

  private static VerificationException failure(LedgerException e) {
    switch (e.code()) {
      case RECEIPT_INDEX_NOT_ENTRY_SEQ:
        return new VerificationException(VerificationException.Code.RECEIPT_INDEX_NOT_ENTRY_SEQ,
            "entry: " + e.detail(), e);
      case PROOF_INDEX_OUT_OF_RANGE:
      case PROOF_SIZES_OUT_OF_ORDER:
      case PROOF_HASH_LENGTH_WRONG:
      case PROOF_LENGTH_WRONG:
      case PROOF_ROOT_MISMATCH:
        return new VerificationException(VerificationException.Code.INCLUSION_PROOF_INVALID,
            "inclusion proof: " + e.detail(), e);
      case NOTE_TOO_LARGE:
      case NOTE_MALFORMED:
      case NOTE_NOT_SIGNED_BY_KNOWN_KEY:
      case NOTE_SIGNATURE_INVALID:
      case CHECKPOINT_MALFORMED:
      case CHECKPOINT_ORIGIN_UNEXPECTED:
        return Checkpoints.failure(e, "receipt checkpoint");
      default:
        // Everything else the ledger reports here is about the entry bytes: JSON, canonical form, fields.
        return new VerificationException(VerificationException.Code.ENTRY_UNDECODABLE,
            "entry: does not decode: " + e.detail(), e);
    }
  }
}
