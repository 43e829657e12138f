package org.carbonledger.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
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
 * Goal: a receipt in the C2SP tlog-proof format formats, parses back exactly, and verifies offline for its
 * entry and nothing else. Method: a real five-entry log signed with the test key, a receipt per entry, then one
 * row per corruption of the receipt text and of what it is verified against.
 */
class InclusionReceiptTest {

  static final String ORIGIN = SignedNoteTest.ORIGIN;
  static final NoteSigner LOG = SignedNoteTest.LOG;
  static final List<byte[]> ENTRIES = ChainCheckTest.chain(5);
  static final Map<NodeId, byte[]> NODES = new HashMap<>();
  static final String SIGNED_CHECKPOINT;

  static {
    CompactRange range = CompactRange.empty();
    ENTRIES.forEach(e -> range.append(Hashes.leafHash(e)).forEach(n -> NODES.put(n.id(), n.hash())));
    SIGNED_CHECKPOINT = LOG.sign(new Checkpoint(ORIGIN, range.size(), range.root()).format());
  }

  static InclusionReceipt receipt(long index) {
    List<byte[]> proof = SubtreeHashes.proof(TreeMath.inclusionProofRanges(index, ENTRIES.size()), NODES::get);
    return new InclusionReceipt(null, index, proof, SIGNED_CHECKPOINT);
  }

  @Test
  void everyEntryHasAVerifyingReceipt() {
    for (int i = 0; i < ENTRIES.size(); i++) {
      InclusionReceipt parsed = InclusionReceipt.parse(receipt(i).format());
      Checkpoint checkpoint = parsed.verifyEntry(ENTRIES.get(i), ORIGIN, LOG.verifier());
      assertEquals(ENTRIES.size(), checkpoint.size());
      parsed.verify(Hashes.leafHash(ENTRIES.get(i)), ORIGIN, LOG.verifier());
    }
  }

  @Test
  void formatIsTheSpecLayout() {
    InclusionReceipt receipt = receipt(2);
    List<byte[]> proof = receipt.proof();
    String expected = "c2sp.org/tlog-proof@v1\nindex 2\n"
        + java.util.Base64.getEncoder().encodeToString(proof.get(0)) + "\n"
        + java.util.Base64.getEncoder().encodeToString(proof.get(1)) + "\n"
        + java.util.Base64.getEncoder().encodeToString(proof.get(2)) + "\n"
        + "\n" + SIGNED_CHECKPOINT;
    assertEquals(3, proof.size());
    assertEquals(expected, receipt.format());
  }

  @Test
  void extraDataRoundTripsAndIsNotInterpreted() {
    byte[] extra = "context".getBytes(StandardCharsets.UTF_8);
    InclusionReceipt receipt = new InclusionReceipt(extra, 4, receipt(4).proof(), SIGNED_CHECKPOINT);
    String text = receipt.format();
    assertTrue(text.startsWith("c2sp.org/tlog-proof@v1\nextra Y29udGV4dA==\nindex 4\n"));
    InclusionReceipt parsed = InclusionReceipt.parse(text);
    assertArrayEquals(extra, parsed.extra().orElseThrow());
    assertEquals(text, parsed.format());
    parsed.verifyEntry(ENTRIES.get(4), ORIGIN, LOG.verifier());
  }

  @Test
  void aSingleEntryLogHasAnEmptyProof() {
    byte[] entry = ENTRIES.get(0);
    String checkpoint = LOG.sign(new Checkpoint(ORIGIN, 1, Hashes.leafHash(entry)).format());
    String text = new InclusionReceipt(null, 0, List.of(), checkpoint).format();
    assertEquals("c2sp.org/tlog-proof@v1\nindex 0\n\n" + checkpoint, text);
    InclusionReceipt.parse(text).verifyEntry(entry, ORIGIN, LOG.verifier());
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        row("wrong header", t -> t.replace("tlog-proof@v1", "tlog-proof@v2")),
        row("header with trailing space", t -> t.replace("@v1\n", "@v1 \n")),
        row("garbage before", t -> "x" + t),
        row("index with leading zero", t -> t.replace("index 2\n", "index 02\n")),
        row("index negative", t -> t.replace("index 2\n", "index -2\n")),
        row("index missing", t -> t.replace("index 2\n", "")),
        row("index twice", t -> t.replace("index 2\n", "index 2\nindex 2\n")),
        row("index beyond 63 bits", t -> t.replace("index 2\n", "index 9223372036854775808\n")),
        row("extra after index", t -> t.replace("index 2\n", "index 2\nextra AA==\n")),
        row("empty extra", t -> t.replace("index 2\n", "extra \nindex 2\n")),
        row("extra not base64", t -> t.replace("index 2\n", "extra !!\nindex 2\n")),
        row("proof hash not base64", t -> t.replace("index 2\n", "index 2\n!!!!\n")),
        row("proof hash of 31 bytes", t -> t.replace("index 2\n",
            "index 2\n" + java.util.Base64.getEncoder().encodeToString(new byte[31]) + "\n")),
        row("proof hash without padding", t -> t.replace("=\n", "\n")),
        row("no blank line", t -> t.substring(0, t.indexOf("\n\n")) + "\n"),
        row("no checkpoint", t -> t.substring(0, t.indexOf("\n\n") + 2)),
        row("CRLF", t -> t.replace("\n", "\r\n")),
        row("64 proof hashes", t -> t.replace("index 2\n", "index 2\n"
            + (java.util.Base64.getEncoder().encodeToString(new byte[32]) + "\n").repeat(64))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void parseRejects(String name, UnaryOperator<String> change) {
    String text = change.apply(receipt(2).format());
    assertEquals(LedgerException.Code.RECEIPT_MALFORMED,
        assertThrows(LedgerException.class, () -> InclusionReceipt.parse(text)).code());
  }

  /** An index too large for 63 bits is out of range, however many digits it has, not a misspelling. */
  @ParameterizedTest
  @ValueSource(strings = {"9223372036854775808", "18446744073709551616"})
  void indexBeyond63BitsIsOutOfRange(String index) {
    String text = receipt(2).format().replace("index 2\n", "index " + index + "\n");
    LedgerException e = assertThrows(LedgerException.class, () -> InclusionReceipt.parse(text));
    assertEquals(LedgerException.Code.RECEIPT_MALFORMED, e.code());
    assertEquals("index is out of range: more than 2^63-1", e.detail());
  }

  static Stream<Arguments> wrongClaims() {
    String otherCheckpoint = LOG.sign(new Checkpoint(ORIGIN, 6, Hashes.emptyRoot()).format());
    NoteVerifier stranger = NoteSigner.fromSeed(ORIGIN, new byte[32]).verifier();
    InclusionReceipt good = receipt(2);
    byte[] entry = ENTRIES.get(2);
    byte[] leaf = Hashes.leafHash(entry);
    return Stream.of(
        claim("another entry", good, r -> r.verifyEntry(ENTRIES.get(3), ORIGIN, LOG.verifier()),
            LedgerException.Code.RECEIPT_INDEX_NOT_ENTRY_SEQ),
        claim("index + 1", withIndex(good, 3), r -> r.verify(leaf, ORIGIN, LOG.verifier()),
            LedgerException.Code.PROOF_ROOT_MISMATCH),
        claim("index - 1", withIndex(good, 1), r -> r.verify(leaf, ORIGIN, LOG.verifier()),
            LedgerException.Code.PROOF_ROOT_MISMATCH),
        claim("index beyond the checkpoint", withIndex(good, 5), r -> r.verify(leaf, ORIGIN, LOG.verifier()),
            LedgerException.Code.PROOF_INDEX_OUT_OF_RANGE),
        claim("proof hash dropped", dropLast(good), r -> r.verifyEntry(entry, ORIGIN, LOG.verifier()),
            LedgerException.Code.PROOF_LENGTH_WRONG),
        claim("proof hash flipped", flipFirst(good), r -> r.verifyEntry(entry, ORIGIN, LOG.verifier()),
            LedgerException.Code.PROOF_ROOT_MISMATCH),
        claim("checkpoint of another tree", new InclusionReceipt(null, 2, good.proof(), otherCheckpoint),
            r -> r.verifyEntry(entry, ORIGIN, LOG.verifier()), LedgerException.Code.PROOF_ROOT_MISMATCH),
        claim("checkpoint tampered", new InclusionReceipt(null, 2, good.proof(),
            good.signedCheckpoint().replace("\n5\n", "\n6\n")),
            r -> r.verifyEntry(entry, ORIGIN, LOG.verifier()), LedgerException.Code.NOTE_SIGNATURE_INVALID),
        claim("another log's key", good, r -> r.verifyEntry(entry, ORIGIN, stranger),
            LedgerException.Code.NOTE_NOT_SIGNED_BY_KNOWN_KEY),
        claim("another origin", good, r -> r.verifyEntry(entry, "other.example/log", LOG.verifier()),
            LedgerException.Code.CHECKPOINT_ORIGIN_UNEXPECTED),
        claim("entry bytes altered", good, r -> r.verifyEntry(
            (" " + new String(entry, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8),
            ORIGIN, LOG.verifier()), LedgerException.Code.ENTRY_NOT_CANONICAL),
        claim("leaf hash of another entry", good,
            r -> r.verify(Hashes.leafHash(ENTRIES.get(3)), ORIGIN, LOG.verifier()),
            LedgerException.Code.PROOF_ROOT_MISMATCH));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wrongClaims")
  void verifyRejects(String name, InclusionReceipt receipt, java.util.function.Consumer<InclusionReceipt> verify,
      LedgerException.Code code) {
    InclusionReceipt parsed = InclusionReceipt.parse(receipt.format());
    LedgerException e = assertThrows(LedgerException.class, () -> verify.accept(parsed));
    assertEquals(code, e.code(), e.getMessage());
  }

  @Test
  void constructorRefusesWhatCannotBeFormatted() {
    assertThrows(IllegalArgumentException.class, () -> new InclusionReceipt(new byte[0], 0, List.of(), "n"));
    assertThrows(IllegalArgumentException.class, () -> new InclusionReceipt(null, -1, List.of(), "n"));
    assertThrows(IllegalArgumentException.class, () -> new InclusionReceipt(null, 0, List.of(new byte[31]), "n"));
    assertThrows(IllegalArgumentException.class, () -> new InclusionReceipt(null, 0, List.of(), ""));
  }

  private static Arguments row(String name, UnaryOperator<String> change) {
    return Arguments.of(name, change);
  }

  private static Arguments claim(String name, InclusionReceipt receipt,
      java.util.function.Consumer<InclusionReceipt> verify, LedgerException.Code code) {
    return Arguments.of(name, receipt, verify, code);
  }

  private static InclusionReceipt withIndex(InclusionReceipt r, long index) {
    return new InclusionReceipt(null, index, r.proof(), r.signedCheckpoint());
  }

  private static InclusionReceipt dropLast(InclusionReceipt r) {
    List<byte[]> proof = new ArrayList<>(r.proof());
    proof.remove(proof.size() - 1);
    return new InclusionReceipt(null, r.index(), proof, r.signedCheckpoint());
  }

  private static InclusionReceipt flipFirst(InclusionReceipt r) {
    List<byte[]> proof = new ArrayList<>(r.proof());
    proof.set(0, Corruptions.flip(proof.get(0), 100));
    return new InclusionReceipt(null, r.index(), proof, r.signedCheckpoint());
  }
}
