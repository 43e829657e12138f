package org.carbonledger.ledger;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * NoteVerifier is an Ed25519 public key of the C2SP signed-note scheme (https://c2sp.org/signed-note), with
 * its key name and key ID. Its text form, the verifier key or "vkey", is
 * {@code <name>+<8 lowercase hex key ID>+<base64(0x01 || 32-byte public key)>}, the form Go's
 * golang.org/x/mod/sumdb/note uses, so keys can be exchanged with other tlog tools.
 *
 * <p>The key ID is the first four bytes, big-endian, of SHA-256(name || 0x0A || 0x01 || public key).
 */
public final class NoteVerifier {

  /** Signature type byte of Ed25519 in signed notes. */
  public static final byte TYPE_ED25519 = 0x01;

  static final int PUBLIC_KEY_BYTES = 32;
  static final int SIGNATURE_BYTES = 64;

  private final String name;
  private final int keyId;
  private final Ed25519PublicKeyParameters publicKey;

  private NoteVerifier(String name, byte[] publicKey) {
    this.name = name;
    this.keyId = keyId(name, publicKey);
    try {
      this.publicKey = new Ed25519PublicKeyParameters(publicKey, 0);
    } catch (IllegalArgumentException e) {
      throw new LedgerException(LedgerException.Code.KEY_MALFORMED, "not a valid Ed25519 public key");
    }
  }

  /** A verifier for the given key name and 32-byte Ed25519 public key. */
  public static NoteVerifier of(String name, byte[] publicKey) {
    checkName(name);
    if (publicKey.length != PUBLIC_KEY_BYTES) {
      throw new LedgerException(LedgerException.Code.KEY_MALFORMED, "Ed25519 public key must be 32 bytes");
    }
    return new NoteVerifier(name, publicKey.clone());
  }

  /** Parses a vkey string; refuses other signature types, a wrong key ID, and any non-canonical spelling. */
  public static NoteVerifier parse(String vkey) {
    // The base64 key may itself contain "+": split off the name and key ID only, as Go's note package does.
    String[] parts = vkey.split("\\+", 3);
    if (parts.length != 3) {
      throw malformed("a verifier key is name+keyid+key");
    }
    checkName(parts[0]);
    if (!Hex.isLowerHex(parts[1], 8)) {
      throw malformed("key ID must be 8 lowercase hex digits");
    }
    byte[] typed = StrictBase64.decode(parts[2], LedgerException.Code.KEY_MALFORMED, "verifier key");
    if (typed.length == 0 || typed[0] != TYPE_ED25519) {
      throw malformed("unsupported signature type; only Ed25519 (0x01) is accepted");
    }
    if (typed.length != 1 + PUBLIC_KEY_BYTES) {
      throw malformed("Ed25519 public key must be 32 bytes");
    }
    NoteVerifier verifier = new NoteVerifier(parts[0], Arrays.copyOfRange(typed, 1, typed.length));
    if (!verifier.keyIdHex().equals(parts[1])) {
      throw malformed("key ID does not match the key name and public key");
    }
    return verifier;
  }

  /** The key name, which signature lines carry. */
  public String name() {
    return name;
  }

  /** The 32-bit key ID. */
  public int keyId() {
    return keyId;
  }

  /** The key ID as 8 lowercase hex digits. */
  public String keyIdHex() {
    return String.format(Locale.ROOT, "%08x", keyId);
  }

  /** The 32-byte Ed25519 public key (a copy). */
  public byte[] publicKey() {
    return publicKey.getEncoded();
  }

  /** The vkey string: name+keyid+base64(0x01 || public key). */
  public String vkey() {
    byte[] typed = new byte[1 + PUBLIC_KEY_BYTES];
    typed[0] = TYPE_ED25519;
    publicKey.encode(typed, 1);
    return name + "+" + keyIdHex() + "+" + StrictBase64.encode(typed);
  }

  /** True if signature is this key's valid Ed25519 signature over message. */
  boolean verify(byte[] message, byte[] signature) {
    if (signature.length != SIGNATURE_BYTES) {
      return false;
    }
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(false, publicKey);
    signer.update(message, 0, message.length);
    return signer.verifySignature(signature);
  }

  /** key ID = SHA-256(name || 0x0A || 0x01 || public key)[:4], big-endian. */
  static int keyId(String name, byte[] publicKey) {
    byte[] hash = Hashes.sha256(name.getBytes(StandardCharsets.UTF_8), new byte[] {'\n', TYPE_ED25519}, publicKey);
    return ByteBuffer.wrap(hash, 0, 4).getInt();
  }

  /** Key names MUST be non-empty and contain no Unicode space, no '+' and (being in notes) no control character. */
  static void checkName(String name) {
    if (!isValidName(name)) {
      throw malformed("key names must be non-empty, without spaces, '+' or control characters");
    }
  }

  public static boolean isValidName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    try {
      CanonicalJson.checkSurrogates(name);
    } catch (LedgerException e) {
      return false;
    }
    return name.codePoints().noneMatch(c -> c == '+' || c < 0x20 || c == 0x7f || c == 0x85
        || Character.isWhitespace(c) || Character.isSpaceChar(c));
  }

  private static LedgerException malformed(String detail) {
    return new LedgerException(LedgerException.Code.KEY_MALFORMED, detail);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof NoteVerifier v && v.name.equals(name)
        && Arrays.equals(v.publicKey.getEncoded(), publicKey.getEncoded());
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + keyId;
  }

  @Override
  public String toString() {
    return vkey();
  }
}
