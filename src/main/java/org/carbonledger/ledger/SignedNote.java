package org.carbonledger.ledger;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * SignedNote opens C2SP signed notes (https://c2sp.org/signed-note): it checks the grammar, verifies the
 * signatures of the keys the caller trusts, and returns the note text. Signing is {@link NoteSigner#sign}.
 *
 * <p>Rules, from the spec unless marked ours: the note is valid UTF-8 without control characters other than
 * newline; the text ends with a newline and is separated from the signature lines by the last blank line; each
 * signature line is {@code — <name> <base64(4-byte key ID || signature)>}; signatures from unknown keys are
 * ignored but must still be well-formed (ours); a signature from a known key that fails rejects the whole note
 * (the spec's SHOULD); at least one known key must have signed. Limits (ours, above the spec's minimum of 16
 * signatures): {@link #SIZE_MAX_BYTES} and {@link #SIGNATURES_MAX}.
 */
public final class SignedNote {

  /** Largest note accepted, in bytes: room for 16 post-quantum signatures of about 5 kB each. */
  public static final int SIZE_MAX_BYTES = 128 * 1024;

  /** Most signature lines accepted in one note. */
  public static final int SIGNATURES_MAX = 100;

  static final String SIGNATURE_PREFIX = "\u2014 ";

  private SignedNote() {}

  /** Opens a note given as text; see {@link #open(byte[], Collection)}. */
  public static String open(String note, Collection<NoteVerifier> known) {
    try {
      CanonicalJson.checkSurrogates(note);
    } catch (LedgerException e) {
      throw malformed("note text has an unpaired surrogate");
    }
    return open(note.getBytes(StandardCharsets.UTF_8), known);
  }

  /** Opens a note signed by one trusted key. */
  public static String open(String note, NoteVerifier known) {
    return open(note, List.of(known));
  }

  /**
   * Verifies a signed note against the trusted keys and returns its text (ending with a newline).
   *
   * @throws LedgerException NOTE_TOO_LARGE, NOTE_MALFORMED, NOTE_SIGNATURE_INVALID or
   *     NOTE_NOT_SIGNED_BY_KNOWN_KEY
   */
  public static String open(byte[] note, Collection<NoteVerifier> known) {
    checkSize(note.length);
    String all = decodeUtf8(note);
    checkCharacters(all);
    int split = all.lastIndexOf("\n\n");
    if (split < 0) {
      throw malformed("no blank line before the signatures");
    }
    String text = all.substring(0, split + 1);
    String signatures = all.substring(split + 2);
    if (signatures.isEmpty() || !signatures.endsWith("\n")) {
      throw malformed("signature block is empty or does not end with a newline");
    }
    byte[] message = text.getBytes(StandardCharsets.UTF_8);
    List<String> lines = Arrays.asList(signatures.substring(0, signatures.length() - 1).split("\n", -1));
    if (lines.size() > SIGNATURES_MAX) {
      throw malformed("more than " + SIGNATURES_MAX + " signatures");
    }
    Set<NoteVerifier> verified = new HashSet<>();
    for (String line : lines) {
      NoteVerifier verifier = checkLine(line, message, known);
      if (verifier != null) {
        verified.add(verifier);
      }
    }
    if (verified.isEmpty()) {
      throw new LedgerException(LedgerException.Code.NOTE_NOT_SIGNED_BY_KNOWN_KEY,
          "no signature from a trusted key");
    }
    return text;
  }

  /** Parses one signature line; returns the known key that verified it, or null for an unknown key. */
  private static NoteVerifier checkLine(String line, byte[] message, Collection<NoteVerifier> known) {
    if (!line.startsWith(SIGNATURE_PREFIX)) {
      throw malformed("signature line does not start with an em dash and a space");
    }
    String rest = line.substring(SIGNATURE_PREFIX.length());
    int space = rest.indexOf(' ');
    if (space < 0 || !NoteVerifier.isValidName(rest.substring(0, space))) {
      throw malformed("signature line has no valid key name");
    }
    String name = rest.substring(0, space);
    byte[] signature = StrictBase64.decode(rest.substring(space + 1), LedgerException.Code.NOTE_MALFORMED,
        "signature");
    if (signature.length < 5) {
      throw malformed("signature shorter than a key ID and one byte");
    }
    int keyId = ByteBuffer.wrap(signature, 0, 4).getInt();
    for (NoteVerifier verifier : known) {
      if (verifier.name().equals(name) && verifier.keyId() == keyId) {
        if (!verifier.verify(message, Arrays.copyOfRange(signature, 4, signature.length))) {
          throw new LedgerException(LedgerException.Code.NOTE_SIGNATURE_INVALID,
              "signature by " + name + " does not verify");
        }
        return verifier;
      }
    }
    return null;
  }

  /** Rules for text to be signed: non-empty, ends with a newline, no other control characters. */
  static void checkText(String text) {
    if (text.isEmpty() || !text.endsWith("\n")) {
      throw malformed("note text must end with a newline");
    }
    try {
      CanonicalJson.checkSurrogates(text);
    } catch (LedgerException e) {
      throw malformed("note text has an unpaired surrogate");
    }
    checkCharacters(text);
  }

  static void checkSize(long sizeBytes) {
    if (sizeBytes > SIZE_MAX_BYTES) {
      throw new LedgerException(LedgerException.Code.NOTE_TOO_LARGE,
          "note is " + sizeBytes + " bytes, more than " + SIZE_MAX_BYTES);
    }
  }

  private static void checkCharacters(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 && c != '\n') {
        throw malformed("control character at char " + i);
      }
    }
  }

  private static String decodeUtf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw malformed("note is not valid UTF-8");
    }
  }

  private static LedgerException malformed(String detail) {
    return new LedgerException(LedgerException.Code.NOTE_MALFORMED, detail);
  }
}
