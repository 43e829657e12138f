package org.carbonledger.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Goal: our signed notes are byte-compatible with C2SP signed-note and the Go reference implementation, and
 * opening a note refuses every malformed, unsigned or tampered one. Method: the spec example and the test-key
 * checkpoint of note-vectors.json (reproduced byte for byte), the Go sumdb/note example key, and one row per
 * corruption of a valid note.
 */
class SignedNoteTest {

  static final Map<String, Object> NOTES = TestVectors.load("note-vectors.json");
  static final Map<String, Object> SPEC = TestVectors.map(NOTES.get("specExample"));
  static final Map<String, Object> CHECKPOINT = TestVectors.map(NOTES.get("checkpoint"));
  static final Map<String, Object> WITNESS = TestVectors.map(CHECKPOINT.get("witness"));
  static final String ORIGIN = TestVectors.string(CHECKPOINT, "origin");
  static final NoteSigner LOG = NoteSigner.fromSeed(ORIGIN, TestVectors.hex(CHECKPOINT, "logPrivateSeedHex"));
  static final String SIGNED = TestVectors.string(CHECKPOINT, "signedCheckpoint");

  // golang.org/x/mod/sumdb/note package documentation example (data only).
  static final String GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
  static final String GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
  static final String GO_TEXT = "If you think cryptography is the answer to your problem,\n"
      + "then you don't know what your problem is.\n";
  static final String GO_NOTE = GO_TEXT + "\n\u2014 PeterNeumann "
      + "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

  @Test
  void specExampleVerifies() {
    NoteVerifier verifier = NoteVerifier.parse(TestVectors.string(SPEC, "vkey"));
    assertEquals(TestVectors.string(SPEC, "keyName"), verifier.name());
    assertEquals(TestVectors.string(SPEC, "keyIdHex"), verifier.keyIdHex());
    assertEquals(TestVectors.string(SPEC, "publicKeyHex"), Hex.encode(verifier.publicKey()));
    assertEquals(TestVectors.string(SPEC, "vkey"), verifier.vkey());
    assertEquals(true, SPEC.get("verified"));
    String note = TestVectors.string(SPEC, "signedNote");
    assertEquals(TestVectors.string(SPEC, "noteText"), SignedNote.open(note, verifier));
    String lastLine = note.substring(note.lastIndexOf("\u2014 ") + 2, note.length() - 1);
    byte[] signature = Base64.getDecoder().decode(lastLine.split(" ")[1]);
    assertEquals(TestVectors.string(SPEC, "keyIdHex"), Hex.encode(java.util.Arrays.copyOf(signature, 4)));
    assertEquals(TestVectors.string(SPEC, "signatureHex"), Hex.encode(java.util.Arrays.copyOfRange(signature, 4, 68)));
  }

  @Test
  void testKeyReproducesTheSignedCheckpointByteForByte() {
    assertEquals(TestVectors.string(CHECKPOINT, "logPublicKeyHex"), Hex.encode(LOG.verifier().publicKey()));
    assertEquals(TestVectors.string(CHECKPOINT, "logKeyIdHex"), LOG.keyIdHex());
    assertEquals(TestVectors.string(CHECKPOINT, "logVkey"), LOG.verifierKey());
    assertEquals(LOG.verifier(), NoteVerifier.parse(TestVectors.string(CHECKPOINT, "logVkey")));
    // The seed is SHA-256 of the public label, as the vector file says.
    assertEquals(TestVectors.string(CHECKPOINT, "logPrivateSeedHex"), Hex.encode(Hashes.sha256(
        TestVectors.string(CHECKPOINT, "logPrivateSeedLabel").getBytes(StandardCharsets.UTF_8))));

    Checkpoint checkpoint = new Checkpoint(ORIGIN, TestVectors.number(CHECKPOINT, "treeSize"),
        TestVectors.hex(CHECKPOINT, "rootHashHex"));
    assertEquals(TestVectors.string(CHECKPOINT, "body"), checkpoint.format());
    String signed = LOG.sign(checkpoint.format());
    assertEquals(SIGNED, signed);
    assertArrayEquals(SIGNED.getBytes(StandardCharsets.UTF_8), signed.getBytes(StandardCharsets.UTF_8));
    assertTrue(Hex.encode(signed.getBytes(StandardCharsets.UTF_8)).contains(TestVectors.string(NOTES, "emDashUtf8")));
    String blob = signed.substring(signed.lastIndexOf(' ') + 1, signed.length() - 1);
    assertEquals(TestVectors.string(CHECKPOINT, "logSignatureHex"),
        Hex.encode(java.util.Arrays.copyOfRange(Base64.getDecoder().decode(blob), 4, 68)));
    assertEquals(checkpoint.format(), SignedNote.open(SIGNED, LOG.verifier()));
  }

  @Test
  void checkpointRootIsTheEightLeafRootOfTheMerkleVectors() {
    Map<String, Object> merkle = TestVectors.load("merkle-vectors.json");
    Map<String, Object> size8 = TestVectors.maps(merkle.get("roots")).get(8);
    assertEquals(TestVectors.string(size8, "hash"), TestVectors.string(CHECKPOINT, "rootHashHex"));
  }

  @Test
  void cosignedCheckpointOpensWithTheLogKeyAndIgnoresTheWitness() {
    String cosigned = TestVectors.string(CHECKPOINT, "cosignedCheckpoint");
    assertEquals(TestVectors.string(CHECKPOINT, "body"), SignedNote.open(cosigned, LOG.verifier()));
    // The witness line names a type-0x04 (cosignature) key ID. An Ed25519 (0x01) verifier with the witness's
    // name and public key has another key ID, so the line is an unknown signature and is ignored.
    NoteVerifier sameNameAndKey = NoteVerifier.of(TestVectors.string(WITNESS, "name"),
        TestVectors.hex(WITNESS, "publicKeyHex"));
    assertFalse(sameNameAndKey.keyIdHex().equals(TestVectors.string(WITNESS, "keyIdHex")));
    assertEquals(LedgerException.Code.NOTE_NOT_SIGNED_BY_KNOWN_KEY,
        assertThrows(LedgerException.class, () -> SignedNote.open(cosigned, sameNameAndKey)).code());
    assertEquals(TestVectors.string(CHECKPOINT, "body"),
        SignedNote.open(cosigned, List.of(sameNameAndKey, LOG.verifier())));
    // Cosignature keys are not Ed25519 note keys: parsing the witness vkey is refused, not misread.
    assertEquals(LedgerException.Code.KEY_MALFORMED, assertThrows(LedgerException.class,
        () -> NoteVerifier.parse(TestVectors.string(WITNESS, "vkey"))).code());
  }

  @Test
  void goReferenceExampleSignsAndVerifiesIdentically() {
    NoteSigner signer = NoteSigner.parse(GO_SKEY);
    assertEquals("PeterNeumann", signer.name());
    assertEquals(GO_VKEY, signer.verifierKey());
    assertEquals(GO_NOTE, signer.sign(GO_TEXT));
    assertEquals(GO_TEXT, SignedNote.open(GO_NOTE, NoteVerifier.parse(GO_VKEY)));
    byte[] seed = java.util.Arrays.copyOfRange(Base64.getDecoder().decode(GO_SKEY.split("\\+", 5)[4]), 1, 33);
    assertEquals(GO_SKEY, NoteSigner.encodePrivateKey("PeterNeumann", seed));
  }

  static Stream<Arguments> tampered() {
    String body = TestVectors.string(CHECKPOINT, "body");
    String sigLine = SIGNED.substring(body.length() + 1);
    String blob = sigLine.substring(sigLine.lastIndexOf(' ') + 1, sigLine.length() - 1);
    byte[] raw = Base64.getDecoder().decode(blob);
    return Stream.of(
        row("garbage before", n -> "x" + n, LedgerException.Code.NOTE_SIGNATURE_INVALID),
        row("garbage after", n -> n + "x", LedgerException.Code.NOTE_MALFORMED),
        row("extra newline after", n -> n + "\n", LedgerException.Code.NOTE_MALFORMED),
        row("text only", n -> body, LedgerException.Code.NOTE_MALFORMED),
        row("text and blank line, no signature", n -> body + "\n", LedgerException.Code.NOTE_MALFORMED),
        row("signature line without blank line", n -> body + sigLine, LedgerException.Code.NOTE_MALFORMED),
        row("size changed", n -> n.replace("\n8\n", "\n9\n"), LedgerException.Code.NOTE_SIGNATURE_INVALID),
        row("root changed", n -> n.replace("XcnaeacGWamt", "XcnaeacGWamu"), LedgerException.Code.NOTE_SIGNATURE_INVALID),
        row("signature bit flipped", n -> n.replace(blob, withByte(raw, 40)), LedgerException.Code.NOTE_SIGNATURE_INVALID),
        row("signature truncated to 63 bytes", n -> n.replace(blob, b64(java.util.Arrays.copyOf(raw, 67))),
            LedgerException.Code.NOTE_SIGNATURE_INVALID),
        row("key ID changed", n -> n.replace(blob, withByte(raw, 0)), LedgerException.Code.NOTE_NOT_SIGNED_BY_KNOWN_KEY),
        row("key name changed", n -> n.replace("\u2014 " + ORIGIN, "\u2014 " + ORIGIN + "x"),
            LedgerException.Code.NOTE_NOT_SIGNED_BY_KNOWN_KEY),
        row("hyphen instead of em dash", n -> n.replace("\u2014 ", "- "), LedgerException.Code.NOTE_MALFORMED),
        row("en dash instead of em dash", n -> n.replace("\u2014 ", "\u2013 "), LedgerException.Code.NOTE_MALFORMED),
        row("no space after dash", n -> n.replace("\u2014 ", "\u2014"), LedgerException.Code.NOTE_MALFORMED),
        row("two spaces before signature", n -> n.replace(" " + blob, "  " + blob), LedgerException.Code.NOTE_MALFORMED),
        row("padding removed", n -> n.replace(blob, blob.replace("=", "")), LedgerException.Code.NOTE_MALFORMED),
        row("not base64", n -> n.replace(blob, "!!!!"), LedgerException.Code.NOTE_MALFORMED),
        row("signature of 4 bytes", n -> n.replace(blob, b64(java.util.Arrays.copyOf(raw, 4))), LedgerException.Code.NOTE_MALFORMED),
        row("CRLF line ends", n -> n.replace("\n", "\r\n"), LedgerException.Code.NOTE_MALFORMED),
        row("tab in text", n -> n.replace("\n8\n", "\n8\t\n"), LedgerException.Code.NOTE_MALFORMED),
        row("empty key name", n -> n.replace("\u2014 " + ORIGIN, "\u2014 "), LedgerException.Code.NOTE_MALFORMED),
        row("key name with plus", n -> n.replace("\u2014 " + ORIGIN, "\u2014 a+b"), LedgerException.Code.NOTE_MALFORMED),
        row("101 unknown signatures", n -> n + ("\u2014 other.example AAAAAAE=\n").repeat(100),
            LedgerException.Code.NOTE_MALFORMED),
        row("malformed unknown signature", n -> n + "\u2014 other.example zz\n", LedgerException.Code.NOTE_MALFORMED),
        row("larger than the limit", n -> "a".repeat(SignedNote.SIZE_MAX_BYTES) + n, LedgerException.Code.NOTE_TOO_LARGE),
        row("lone surrogate", n -> "\ud800" + n, LedgerException.Code.NOTE_MALFORMED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tampered")
  void openRejects(String name, UnaryOperator<String> change, LedgerException.Code code) {
    String note = change.apply(SIGNED);
    assertFalse(note.equals(SIGNED));
    LedgerException e = assertThrows(LedgerException.class, () -> SignedNote.open(note, LOG.verifier()));
    assertEquals(code, e.code(), e.getMessage());
  }

  @Test
  void openRejectsInvalidUtf8AndUnknownKeys() {
    byte[] bytes = SIGNED.getBytes(StandardCharsets.UTF_8);
    byte[] broken = bytes.clone();
    broken[3] = (byte) 0xff;
    assertEquals(LedgerException.Code.NOTE_MALFORMED, assertThrows(LedgerException.class,
        () -> SignedNote.open(broken, List.of(LOG.verifier()))).code());
    NoteVerifier other = NoteSigner.fromSeed(ORIGIN, new byte[32]).verifier();
    assertEquals(LedgerException.Code.NOTE_NOT_SIGNED_BY_KNOWN_KEY, assertThrows(LedgerException.class,
        () -> SignedNote.open(SIGNED, other)).code());
    assertEquals(LedgerException.Code.NOTE_NOT_SIGNED_BY_KNOWN_KEY, assertThrows(LedgerException.class,
        () -> SignedNote.open(bytes, List.of())).code());
  }

  @Test
  void openAcceptsExtraUnknownAndRepeatedSignatures() {
    String body = TestVectors.string(CHECKPOINT, "body");
    String withUnknown = SIGNED + "\u2014 other.example AAAAAAE=\n";
    assertEquals(body, SignedNote.open(withUnknown, LOG.verifier()));
    String sigLine = SIGNED.substring(body.length() + 1);
    assertEquals(body, SignedNote.open(SIGNED + sigLine, LOG.verifier()));
    String withUnknownFirst = body + "\n\u2014 other.example AAAAAAE=\n" + sigLine;
    assertEquals(body, SignedNote.open(withUnknownFirst, LOG.verifier()));
    String blankLinesInText = "a\n\nb\n";
    assertEquals(blankLinesInText, SignedNote.open(LOG.sign(blankLinesInText), LOG.verifier()));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"", "no newline", "a\r\n", "tab\there\n", "\ud800\n"})
  void signRejectsBadText(String text) {
    assertEquals(LedgerException.Code.NOTE_MALFORMED,
        assertThrows(LedgerException.class, () -> LOG.sign(text)).code());
  }

  @Test
  void signRefusesNotesOverTheLimit() {
    assertEquals(LedgerException.Code.NOTE_TOO_LARGE, assertThrows(LedgerException.class,
        () -> LOG.sign("a".repeat(SignedNote.SIZE_MAX_BYTES) + "\n")).code());
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {
    "",
    "PeterNeumann+c74f20a3",
    "Peter+Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    "PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T",
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWAA==",
    "PeterNeumann+c74f20a3+Apc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    "+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
  })
  void verifierKeyRejects(String vkey) {
    assertEquals(LedgerException.Code.KEY_MALFORMED,
        assertThrows(LedgerException.class, () -> NoteVerifier.parse(vkey)).code());
  }

  @Test
  void privateKeyNeverAppearsInTextOrErrors() {
    byte[] seed = TestVectors.hex(CHECKPOINT, "logPrivateSeedHex");
    String skey = NoteSigner.encodePrivateKey(ORIGIN, seed);
    String secretBase64 = skey.substring(skey.lastIndexOf('+') + 1);
    List<String> secrets = List.of(Hex.encode(seed), Base64.getEncoder().encodeToString(seed), secretBase64,
        secretBase64.substring(4, 20));
    NoteSigner signer = NoteSigner.parse(skey);
    assertEquals(LOG.verifierKey(), signer.verifierKey());
    assertEquals("NoteSigner[" + LOG.verifierKey() + "]", signer.toString());

    String wrongKeyId = skey.replace("+" + LOG.keyIdHex() + "+", "+00000000+");
    String wrongType = skey.replace(secretBase64, b64(withFirstByte(Base64.getDecoder().decode(secretBase64), 4)));
    String badBase64 = skey.substring(0, skey.length() - 1);
    List<String> messages = new java.util.ArrayList<>(List.of(signer.toString(), String.valueOf(signer)));
    for (String bad : List.of(wrongKeyId, wrongType, badBase64, skey.replace("PRIVATE+KEY+", "PRIVATE+"))) {
      LedgerException e = assertThrows(LedgerException.class, () -> NoteSigner.parse(bad));
      assertEquals(LedgerException.Code.KEY_MALFORMED, e.code());
      messages.add(e.getMessage());
      messages.add(e.toString());
    }
    messages.add(assertThrows(LedgerException.class, () -> NoteSigner.fromSeed(ORIGIN, new byte[31])).getMessage());
    for (String message : messages) {
      for (String secret : secrets) {
        assertFalse(message.contains(secret), "leaked key material in: " + message);
      }
    }
  }

  @Test
  void keyNamesFollowTheSpec() {
    assertTrue(NoteVerifier.isValidName("example.com/log"));
    assertTrue(NoteVerifier.isValidName("\u00e9t\u00e9"));
    assertFalse(NoteVerifier.isValidName(""));
    assertFalse(NoteVerifier.isValidName("a b"));
    assertFalse(NoteVerifier.isValidName("a\u00a0b"));
    assertFalse(NoteVerifier.isValidName("a\u2003b"));
    assertFalse(NoteVerifier.isValidName("a+b"));
    assertFalse(NoteVerifier.isValidName("a\nb"));
    assertThrows(LedgerException.class, () -> NoteSigner.fromSeed("bad name", new byte[32]));
  }

  private static Arguments row(String name, UnaryOperator<String> change, LedgerException.Code code) {
    return Arguments.of(name, change, code);
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static String withByte(byte[] raw, int at) {
    byte[] out = raw.clone();
    out[at] ^= 1;
    return b64(out);
  }

  private static byte[] withFirstByte(byte[] raw, int value) {
    byte[] out = raw.clone();
    out[0] = (byte) value;
    return out;
  }

  @Test
  void keysWhoseBase64HoldsAPlusSignParse() {
    // Base64 uses '+': only the first two '+' separate name, key ID and key (as in Go's note package).
    String vkey = TestVectors.string(CHECKPOINT, "logVkey");
    assertTrue(vkey.split("\\+").length > 3, "the vector's key has a '+' in its base64");
    assertEquals(vkey, NoteVerifier.parse(vkey).vkey());
    NoteSigner signer = NoteSigner.fromSeed(TestVectors.string(CHECKPOINT, "origin"), TestVectors.hex(CHECKPOINT, "logPrivateSeedHex"));
    String privateKey = NoteSigner.encodePrivateKey(signer.name(), TestVectors.hex(CHECKPOINT, "logPrivateSeedHex"));
    assertEquals(vkey, NoteSigner.parse(privateKey).verifier().vkey());
  }
}
