package org.carbonledger.verify;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.carbonledger.ledger.Checkpoint;
import org.carbonledger.ledger.LedgerException;
import org.carbonledger.ledger.NoteVerifier;

/**
 * Checkpoints opens a signed checkpoint note (C2SP signed-note and tlog-checkpoint) with the verifier key the
 * user gave, whose name is the log's origin, and reports a failure as a VerificationException whose message
 * starts with what was opened ({@code checkpoint}, {@code state: FILE}, {@code receipt checkpoint}).
 */
final class Checkpoints {

  private Checkpoints() {}

  /** The note as text; strict UTF-8, because a replacement character would change what the signature covers. */
  static String text(byte[] note, String what) throws VerificationException {
    try {
      return strictUtf8(note);
    } catch (CharacterCodingException e) {
      throw new VerificationException(VerificationException.Code.CHECKPOINT_MALFORMED,
          what + " malformed: not valid UTF-8");
    }
  }

  /** Decodes UTF-8, refusing malformed input instead of replacing it. */
  static String strictUtf8(byte[] bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes)).toString();
  }

  static Checkpoint open(byte[] note, NoteVerifier key, String what) throws VerificationException {
    return open(text(note, what), key, what);
  }

  static Checkpoint open(String note, NoteVerifier key, String what) throws VerificationException {
    try {
      return Checkpoint.open(note, key, key.name());
    } catch (LedgerException e) {
      throw failure(e, what);
    }
  }

  /** Maps a failure of Checkpoint.open: a NOTE_* or CHECKPOINT_* code. */
  static VerificationException failure(LedgerException e, String what) {
    switch (e.code()) {
      case NOTE_SIGNATURE_INVALID:
      case NOTE_NOT_SIGNED_BY_KNOWN_KEY:
        return new VerificationException(VerificationException.Code.CHECKPOINT_SIGNATURE_INVALID,
            what + " signature: " + e.detail(), e);
      case CHECKPOINT_ORIGIN_UNEXPECTED:
        return new VerificationException(VerificationException.Code.CHECKPOINT_ORIGIN_UNEXPECTED,
            what + " origin: " + e.detail(), e);
      default:
        return new VerificationException(VerificationException.Code.CHECKPOINT_MALFORMED,
            what + " malformed: " + e.detail(), e);
    }
  }
}
