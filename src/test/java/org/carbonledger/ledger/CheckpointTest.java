package org.carbonledger.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Goal: checkpoints format as C2SP tlog-checkpoint text and parse back only from that exact spelling; a signed
 * checkpoint opens only with the right key and origin. Method: the note-vectors checkpoint, extension lines,
 * and one reject row per grammar rule.
 */
class CheckpointTest {

  static final String ORIGIN = SignedNoteTest.ORIGIN;
  static final String BODY = TestVectors.string(SignedNoteTest.CHECKPOINT, "body");
  static final byte[] ROOT = TestVectors.hex(SignedNoteTest.CHECKPOINT, "rootHashHex");

  @Test
  void parsesTheVectorBody() {
    Checkpoint checkpoint = Checkpoint.parse(BODY);
    assertEquals(new Checkpoint(ORIGIN, 8, ROOT), checkpoint);
    assertEquals(ORIGIN, checkpoint.origin());
    assertEquals(8, checkpoint.size());
    assertArrayEquals(ROOT, checkpoint.rootHash());
    assertEquals(List.of(), checkpoint.extensions());
    assertEquals(BODY, checkpoint.format());
  }

  @Test
  void extensionLinesRoundTrip() {
    Checkpoint checkpoint = new Checkpoint(ORIGIN, 0, Hashes.emptyRoot(), List.of("ext one", "ext-two"));
    String text = checkpoint.format();
    assertEquals(ORIGIN + "\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\next one\next-two\n", text);
    assertEquals(checkpoint, Checkpoint.parse(text));
  }

  @Test
  void largestSizeRoundTrips() {
    Checkpoint checkpoint = new Checkpoint(ORIGIN, Long.MAX_VALUE, ROOT);
    assertEquals(checkpoint, Checkpoint.parse(checkpoint.format()));
  }

  @ParameterizedTest(name = "{index}: \"{0}\"")
  @ValueSource(strings = {
    "",
    "registry.example.org/carbon-ledger\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=",   // no final newline
    "registry.example.org/carbon-ledger\n8\n",                                            // no root line
    "\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",                                 // empty origin
    "o\n08\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",                              // leading zero
    "o\n+8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
    "o\n-1\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
    "o\n 8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
    "o\n8.0\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
    "o\n9223372036854775808\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",           // 2^63
    "o\n\u0668\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",                          // Arabic-Indic 8
    "o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg\n",                                // no padding
    "o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyh=\n",                               // non-zero spare bits
    "o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz-Nw7_RgQyg=\n",                               // URL alphabet
    "o\n8\nAAAA\n",                                                                       // 3-byte root
    "o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n\n",                             // empty extension
    "o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\nx\r\n",                          // CR in extension
    "o\r\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
  })
  void parseRejects(String text) {
    assertEquals(LedgerException.Code.CHECKPOINT_MALFORMED,
        assertThrows(LedgerException.class, () -> Checkpoint.parse(text)).code());
  }

  /** A size too large for 63 bits is out of range, however many digits it has, not a misspelling. */
  @ParameterizedTest
  @ValueSource(strings = {"9223372036854775808", "18446744073709551616", "1000000000000000000000000000000"})
  void sizeBeyond63BitsIsOutOfRange(String size) {
    LedgerException e = assertThrows(LedgerException.class,
        () -> Checkpoint.parse("o\n" + size + "\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n"));
    assertEquals(LedgerException.Code.CHECKPOINT_MALFORMED, e.code());
    assertEquals("tree size is out of range: more than 2^63-1", e.detail());
  }

  @Test
  void constructorRefusesWhatCannotBeFormatted() {
    assertThrows(IllegalArgumentException.class, () -> new Checkpoint("", 1, ROOT));
    assertThrows(IllegalArgumentException.class, () -> new Checkpoint("a\nb", 1, ROOT));
    assertThrows(IllegalArgumentException.class, () -> new Checkpoint("o", -1, ROOT));
    assertThrows(IllegalArgumentException.class, () -> new Checkpoint("o", 1, new byte[31]));
    assertThrows(IllegalArgumentException.class, () -> new Checkpoint("o", 1, ROOT, List.of("")));
    assertThrows(IllegalArgumentException.class, () -> new Checkpoint("\ud800", 1, ROOT));
  }

  @Test
  void openChecksKeyAndOrigin() {
    NoteSigner log = SignedNoteTest.LOG;
    assertEquals(Checkpoint.parse(BODY), Checkpoint.open(SignedNoteTest.SIGNED, log.verifier(), ORIGIN));
    assertEquals(LedgerException.Code.CHECKPOINT_ORIGIN_UNEXPECTED, assertThrows(LedgerException.class,
        () -> Checkpoint.open(SignedNoteTest.SIGNED, log.verifier(), "other.example/log")).code());
    NoteVerifier stranger = NoteSigner.fromSeed(ORIGIN, new byte[32]).verifier();
    assertEquals(LedgerException.Code.NOTE_NOT_SIGNED_BY_KNOWN_KEY, assertThrows(LedgerException.class,
        () -> Checkpoint.open(SignedNoteTest.SIGNED, stranger, ORIGIN)).code());
    String signedGarbage = log.sign("not a checkpoint\n");
    assertEquals(LedgerException.Code.CHECKPOINT_MALFORMED, assertThrows(LedgerException.class,
        () -> Checkpoint.open(signedGarbage, log.verifier(), ORIGIN)).code());
  }

  @Test
  void rootHashIsCopied() {
    byte[] root = ROOT.clone();
    Checkpoint checkpoint = new Checkpoint(ORIGIN, 8, root);
    root[0] ^= 1;
    checkpoint.rootHash()[0] ^= 1;
    assertArrayEquals(ROOT, checkpoint.rootHash());
  }
}
