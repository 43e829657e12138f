package org.carbonledger.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Goal: docs/LEDGER-FORMAT.md cannot drift from the code. Method: rebuild the page's worked example (two
 * entries, their leaf hashes, the root, the signed checkpoint and a receipt) with this package and the
 * test-only key, and require each result to appear in the page verbatim; then verify the receipt as a reader
 * would.
 */
class LedgerFormatDocTest {

  static final Path DOC = Path.of("docs/LEDGER-FORMAT.md");
  static final String ORIGIN = "registry.example.org/carbon-ledger";
  static final byte[] TEST_SEED = Hashes.sha256("carbon-registry example log key".getBytes(StandardCharsets.UTF_8));

  @Test
  void workedExampleMatchesTheCode() throws IOException {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    NoteSigner log = NoteSigner.fromSeed(ORIGIN, TEST_SEED);

    Map<String, Object> data0 = new LinkedHashMap<>();
    data0.put("origin", ORIGIN);
    data0.put("verifierKey", log.verifierKey());
    byte[] entry0 = EntryCodec.encode(new LedgerEntry(0, LedgerEntry.ZERO_HASH_HEX,
        Instant.parse("2026-01-01T00:00:00Z"), "REGISTRY_CREATED", data0));
    byte[] leaf0 = Hashes.leafHash(entry0);
    byte[] entry1 = EntryCodec.encode(new LedgerEntry(1, Hex.encode(leaf0),
        Instant.parse("2026-01-01T00:00:01.5Z"), "EXAMPLE", Map.of("note", "illustration only")));
    byte[] leaf1 = Hashes.leafHash(entry1);

    CompactRange range = CompactRange.empty();
    range.append(leaf0);
    range.append(leaf1);
    byte[] root = range.root();
    Checkpoint checkpoint = new Checkpoint(ORIGIN, 2, root);
    String signed = log.sign(checkpoint.format());
    List<byte[]> proof = List.of(leaf0);
    String receipt = new InclusionReceipt(null, 1, proof, signed).format();

    List<String> mustAppear = List.of(
        log.verifierKey(),
        "# " + log.keyIdHex(),
        Hex.encode(TEST_SEED),
        new String(entry0, StandardCharsets.UTF_8),
        "Entry 0 (" + entry0.length + " bytes",
        new String(entry1, StandardCharsets.UTF_8),
        "Entry 1 (" + entry1.length + " bytes",
        "# " + Hex.encode(leaf0),
        "# " + Hex.encode(leaf1),
        "# " + Hex.encode(root),
        "# " + java.util.Base64.getEncoder().encodeToString(root),
        signed,
        receipt);
    for (String text : mustAppear) {
      assertTrue(doc.contains(text), "docs/LEDGER-FORMAT.md lacks:\n" + text);
    }
    // The Python example checks the signature of the note above it, not some other blob.
    String signature = signed.substring(signed.lastIndexOf(' ') + 1).trim();
    assertTrue(doc.contains("blob = base64.b64decode(\"" + signature + "\")"), "the Python example's signature");
    assertTrue(doc.contains("`" + Hex.encode(Hashes.emptyRoot()) + "`"), "empty root");
    assertTrue(doc.contains("(printf '\\001'; printf '%s%s' " + Hex.encode(leaf0) + " \\\n    " + Hex.encode(leaf1)),
        "node hash command");

    // A reader holding only the page can check the receipt.
    InclusionReceipt parsed = InclusionReceipt.parse(receipt);
    assertEquals(checkpoint, parsed.verifyEntry(entry1, ORIGIN, NoteVerifier.parse(log.verifierKey())));
    ChainCheck chain = ChainCheck.fromStart();
    chain.append(entry0);
    chain.append(entry1);
  }

  @Test
  void docHasTheRequiredSections() throws IOException {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    for (String heading : List.of("## 1. Entries", "## 2. Hashes", "## 3. The chain", "## 4. The tree and proofs",
        "## 5. Tiles and entry bundles", "## 6. Checkpoints, signed notes and keys", "## 7. Entry types",
        "## 8. Receipts", "## 9. Worked example")) {
      assertTrue(doc.contains(heading), heading);
    }
    assertFalse(doc.contains("TODO"), "the doc is complete");
    for (String type : List.of("ACCOUNT_OPENED", "ACCOUNT_STATUS_CHANGED", "PROJECT_REGISTERED", "AUTHORISATION_RECORDED",
        "UNITS_ISSUED", "UNITS_TRANSFERRED", "UNITS_RETIRED", "UNITS_CANCELLED", "CORRESPONDING_ADJUSTMENT_APPLIED")) {
      assertTrue(doc.contains("| `" + type + "` |"), "entry type " + type + " is listed");
    }
    assertTrue(doc.contains("65,535 bytes"));
    assertEquals(LedgerEntry.SIZE_MAX_BYTES, 65_535);
    assertTrue(doc.contains("128 KiB") && SignedNote.SIZE_MAX_BYTES == 128 * 1024);
  }
}
