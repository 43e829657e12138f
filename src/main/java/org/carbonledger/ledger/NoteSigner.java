package org.carbonledger.ledger;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * NoteSigner is the log's Ed25519 signing key for C2SP signed notes. It is made from a 32-byte seed the caller
 * supplies (this package has no randomness), and Ed25519 is deterministic, so the same seed and text always
 * give the same signed note byte for byte.
 *
 * <p>The seed never leaves this object: {@link #toString()} shows only the public vkey, and no exception
 * message includes key material. The private key text form is Go's
 * {@code PRIVATE+KEY+<name>+<keyid>+<base64(0x01 || seed)>} (golang.org/x/mod/sumdb/note), written only by the
 * explicit {@link #encodePrivateKey} for the store to persist a key it generated.
 */
public final class NoteSigner {

  static final int SEED_BYTES = 32;
  private static final String PRIVATE_PREFIX = "PRIVATE+KEY+";

  private final Ed25519PrivateKeyParameters privateKey;
  private final NoteVerifier verifier;

  private NoteSigner(String name, byte[] seed) {
    this.privateKey = new Ed25519PrivateKeyParameters(seed, 0);
    this.verifier = NoteVerifier.of(name, privateKey.generatePublicKey().getEncoded());
  }

  /** A signer for the key name from a 32-byte Ed25519 seed (RFC 8032 private key). */
  public static NoteSigner fromSeed(String name, byte[] seed) {
    NoteVerifier.checkName(name);
    if (seed.length != SEED_BYTES) {
      throw new LedgerException(LedgerException.Code.KEY_MALFORMED, "Ed25519 seed must be 32 bytes");
    }
    return new NoteSigner(name, seed);
  }

  /** Parses a {@code PRIVATE+KEY+name+keyid+base64(0x01 || seed)} string. */
  public static NoteSigner parse(String privateKey) {
    if (!privateKey.startsWith(PRIVATE_PREFIX)) {
      throw malformed("a private key starts with PRIVATE+KEY+");
    }
    // The base64 key may itself contain "+": split off the name and key ID only, as Go's note package does.
    String[] parts = privateKey.substring(PRIVATE_PREFIX.length()).split("\\+", 3);
    if (parts.length != 3) {
      throw malformed("a private key is PRIVATE+KEY+name+keyid+key");
    }
    byte[] typed = StrictBase64.decode(parts[2], LedgerException.Code.KEY_MALFORMED, "private key");
    if (typed.length != 1 + SEED_BYTES || typed[0] != NoteVerifier.TYPE_ED25519) {
      throw malformed("private key must be type 0x01 followed by a 32-byte Ed25519 seed");
    }
    NoteSigner signer = fromSeed(parts[0], Arrays.copyOfRange(typed, 1, typed.length));
    Arrays.fill(typed, (byte) 0);
    if (!signer.verifier.keyIdHex().equals(parts[1])) {
      throw malformed("key ID does not match the key name and key");
    }
    return signer;
  }

  /** Writes the private key string for a name and seed; the result is secret and MUST NOT be logged. */
  public static String encodePrivateKey(String name, byte[] seed) {
    NoteSigner signer = fromSeed(name, seed);
    byte[] typed = new byte[1 + SEED_BYTES];
    typed[0] = NoteVerifier.TYPE_ED25519;
    System.arraycopy(seed, 0, typed, 1, SEED_BYTES);
    String text = PRIVATE_PREFIX + name + "+" + signer.verifier.keyIdHex() + "+" + StrictBase64.encode(typed);
    Arrays.fill(typed, (byte) 0);
    return text;
  }

  /** The key name. */
  public String name() {
    return verifier.name();
  }

  /** The key ID as 8 lowercase hex digits. */
  public String keyIdHex() {
    return verifier.keyIdHex();
  }

  /** The public verifier key string (vkey), safe to publish. */
  public String verifierKey() {
    return verifier.vkey();
  }

  /** The matching public verifier. */
  public NoteVerifier verifier() {
    return verifier;
  }

  /**
   * Signs note text and returns the whole signed note: the text, a blank line, and the line
   * {@code — <name> base64(keyid || signature)}. The text MUST be non-empty valid UTF-16, end with a newline
   * and contain no control character other than newline.
   */
  public String sign(String text) {
    SignedNote.checkText(text);
    byte[] message = text.getBytes(StandardCharsets.UTF_8);
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, privateKey);
    signer.update(message, 0, message.length);
    byte[] signature = signer.generateSignature();
    byte[] line = ByteBuffer.allocate(4 + signature.length).putInt(verifier.keyId()).put(signature).array();
    String note = text + "\n" + SignedNote.SIGNATURE_PREFIX + name() + " " + StrictBase64.encode(line) + "\n";
    SignedNote.checkSize(note.getBytes(StandardCharsets.UTF_8).length);
    return note;
  }

  private static LedgerException malformed(String detail) {
    return new LedgerException(LedgerException.Code.KEY_MALFORMED, detail);
  }

  /** Shows the public key only. */
  @Override
  public String toString() {
    return "NoteSigner[" + verifier.vkey() + "]";
  }
}
