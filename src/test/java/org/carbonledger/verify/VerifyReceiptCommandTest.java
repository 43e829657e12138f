package org.carbonledger.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.carbonledger.ledger.Hashes;
import org.carbonledger.ledger.Hex;
import org.carbonledger.ledger.InclusionReceipt;
import org.carbonledger.server.ConfigException;
import org.carbonledger.server.VerifyReceiptCommand;
import org.carbonledger.verify.VerificationException.Code;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * VerifyReceiptCommandTest checks {@code verify-receipt} on a receipt for entry 7 of a 20-entry test log: the
 * valid receipt passes with the entry file or its leaf hash, and a table of corrupted receipts, one named row
 * each, fails with exit 1 and the exact failure; usage errors are ConfigExceptions (exit 2 through Main).
 */
class VerifyReceiptCommandTest {

  private static final TestLog LOG = TestLog.ofSize(20);
  private static final int INDEX = 7;
  private static final byte[] ENTRY = LOG.entries.get(INDEX);
  private static final byte[] LEAF = Hashes.leafHash(ENTRY);

  @TempDir
  Path directory;

  @Test
  void validReceiptWithTheEntryPasses() throws Exception {
    CommandRun run = receipt(receipt(), "--entry", file("entry", ENTRY));
    assertEquals(0, run.exitCode(), run.err());
    assertEquals("receipt verified: entry 7 is in " + TestLog.ORIGIN + " at tree size 20, root " + Hex.encode(LOG.root())
        + "\n  leaf hash " + Hex.encode(LEAF) + ", entry type ACCOUNT_OPENED, time 2026-01-01T00:00:07.000000Z\n", run.out());
    assertEquals("", run.err());
  }

  @Test
  void validReceiptWithTheLeafHashPasses() throws Exception {
    for (String hash : List.of(Hex.encode(LEAF), Hex.encode(LEAF).toUpperCase(Locale.ROOT))) {
      CommandRun run = receipt(receipt(), "--leaf-hash", hash);
      assertEquals(0, run.exitCode(), run.err());
      assertTrue(run.out().startsWith("receipt verified: entry 7 is in "), run.out());
    }
  }

  /** Row is one corrupted receipt: the receipt text, what is checked against it, and the failure expected. */
  record Row(String name, Supplier<String> receipt, byte[] entry, byte[] leafHash, Code code, String message) {}

  static List<Row> rows() {
    List<byte[]> proof = LOG.inclusionProof(INDEX);
    String signature = "receipt checkpoint signature: ";
    return List.of(
        new Row("proof hash flipped", () -> receipt(INDEX, flipped(proof, 2), LOG.checkpoint()), ENTRY, null,
            Code.INCLUSION_PROOF_INVALID, "inclusion proof: inclusion proof does not lead to the root"),
        new Row("proof hash dropped", () -> receipt(INDEX, proof.subList(0, 4), LOG.checkpoint()), ENTRY, null,
            Code.INCLUSION_PROOF_INVALID, "inclusion proof: proof has 4 hashes, expected 5"),
        new Row("proof hash added", () -> receipt(INDEX, plus(proof, proof.get(0)), LOG.checkpoint()), ENTRY, null,
            Code.INCLUSION_PROOF_INVALID, "inclusion proof: proof has 6 hashes, expected 5"),
        new Row("index is not the entry's seq", () -> receipt(INDEX + 1, proof, LOG.checkpoint()), ENTRY, null,
            Code.RECEIPT_INDEX_NOT_ENTRY_SEQ, "entry: receipt index 8 but entry seq 7"),
        new Row("index changed, leaf hash given", () -> receipt(INDEX + 1, proof, LOG.checkpoint()), null, LEAF,
            Code.INCLUSION_PROOF_INVALID, "inclusion proof: inclusion proof does not lead to the root"),
        new Row("index beyond the tree", () -> receipt(25, proof, LOG.checkpoint()), null, LEAF,
            Code.INCLUSION_PROOF_INVALID, "inclusion proof: need 0 <= index < size, got index 25 and size 20"),
        new Row("bad checkpoint signature", () -> receipt(INDEX, proof, LogVerifierTest.flipSignature(LOG.checkpoint())),
            ENTRY, null, Code.CHECKPOINT_SIGNATURE_INVALID, signature + "signature by " + TestLog.ORIGIN + " does not verify"),
        new Row("checkpoint signed by another key",
            () -> receipt(INDEX, proof, LOG.checkpoint(TestLog.OTHER_SIGNER, TestLog.ORIGIN)), ENTRY, null,
            Code.CHECKPOINT_SIGNATURE_INVALID, signature + "no signature from a trusted key"),
        new Row("checkpoint of another origin",
            () -> receipt(INDEX, proof, LOG.checkpoint(TestLog.SIGNER, "other.example/log")), ENTRY, null,
            Code.CHECKPOINT_ORIGIN_UNEXPECTED, "receipt checkpoint origin: checkpoint origin is \"other.example/log\", "
                + "expected \"" + TestLog.ORIGIN + "\""),
        new Row("checkpoint of a larger tree", () -> receipt(INDEX, proof, TestLog.ofSize(21).checkpoint()), ENTRY, null,
            Code.INCLUSION_PROOF_INVALID, "inclusion proof: inclusion proof does not lead to the root"),
        new Row("tampered entry", VerifyReceiptCommandTest::receiptText, LogVerifierTest.tamper(LOG.entries, INDEX).get(INDEX), null,
            Code.INCLUSION_PROOF_INVALID, "inclusion proof: inclusion proof does not lead to the root"),
        new Row("non-canonical entry", VerifyReceiptCommandTest::receiptText,
            LogVerifierTest.replace(ENTRY, "{\"data\":", "{\"data\": "), null,
            Code.ENTRY_UNDECODABLE, "entry: does not decode: entry is not in RFC 8785 canonical form"),
        new Row("wrong leaf hash", VerifyReceiptCommandTest::receiptText, null,
            Hashes.leafHash(LOG.entries.get(INDEX + 1)),
            Code.INCLUSION_PROOF_INVALID, "inclusion proof: inclusion proof does not lead to the root"),
        new Row("wrong first line", () -> receiptText().replaceFirst("tlog-proof@v1", "tlog-proof@v2"), ENTRY, null,
            Code.RECEIPT_MALFORMED, "receipt malformed: first line must be c2sp.org/tlog-proof@v1"),
        new Row("proof hash not base64", () -> receiptText().replaceFirst("\nindex 7\n", "\nindex 7\n!!!!\n"), ENTRY, null,
            Code.RECEIPT_MALFORMED, "receipt malformed: proof hash is not valid base64"),
        new Row("text after the checkpoint", () -> receiptText() + "garbage\n", ENTRY, null,
            Code.CHECKPOINT_MALFORMED,
            "receipt checkpoint malformed: signature line does not start with an em dash and a space"),
        new Row("no checkpoint", () -> receiptText().substring(0, receiptText().indexOf("\n\n") + 2), ENTRY, null,
            Code.RECEIPT_MALFORMED, "receipt malformed: no signed checkpoint after the blank line"));
  }

  @TestFactory
  Stream<DynamicTest> corruptedReceiptsFail() {
    return rows().stream().map(row -> DynamicTest.dynamicTest(row.name(), () -> {
      byte[] receipt = row.receipt().get().getBytes(StandardCharsets.UTF_8);
      VerificationException e = assertThrows(VerificationException.class, () -> {
        if (row.entry() != null) {
          ReceiptCheck.forEntry(receipt, TestLog.KEY, row.entry());
        } else {
          ReceiptCheck.forLeafHash(receipt, TestLog.KEY, row.leafHash());
        }
      });
      assertEquals(row.code(), e.code(), e.getMessage());
      assertEquals(row.message(), e.getMessage());

      Path file = Files.createTempDirectory(directory, "row").resolve("receipt");
      Files.write(file, receipt);
      CommandRun run = row.entry() != null
          ? receipt(file, "--entry", file("entry", row.entry()))
          : receipt(file, "--leaf-hash", Hex.encode(row.leafHash()));
      assertEquals(1, run.exitCode());
      assertEquals("", run.out());
      assertEquals("carbon-ledger verify-receipt: FAILED: " + row.message() + "\n", run.err());
    }));
  }

  @Test
  void receiptNotUtf8Fails() throws Exception {
    CommandRun run = receipt(file("receipt", new byte[] {(byte) 0xc3, '\n'}), "--leaf-hash", Hex.encode(LEAF));
    assertEquals(1, run.exitCode());
    assertEquals("carbon-ledger verify-receipt: FAILED: receipt malformed: not valid UTF-8\n", run.err());
  }

  /**
   * A log's key can sign a checkpoint whose origin holds DEL, C1 controls and bidi overrides; the failure line
   * that quotes the origin shows them escaped, as one line of visible text.
   */
  @Test
  void controlCharactersInTheReceiptAreEscapedInTheFailureLine() throws Exception {
    String origin = "other.example/log\u007f\u009b2K\u202e";
    String text = receipt(INDEX, LOG.inclusionProof(INDEX), LOG.checkpoint(TestLog.SIGNER, origin));

    CommandRun run = receipt(file("receipt", text.getBytes(StandardCharsets.UTF_8)), "--leaf-hash", Hex.encode(LEAF));

    assertEquals(1, run.exitCode());
    assertEquals("carbon-ledger verify-receipt: FAILED: receipt checkpoint origin: checkpoint origin is"
        + " \"other.example/log\\u007f\\u009b2K\\u202e\", expected \"" + TestLog.ORIGIN + "\"\n", run.err());
  }

  /**
   * A receipt or entry file that is a device or a pipe reports size 0, so its cap holds on the bytes read: an
   * endless one is refused at the cap, as a usage error (exit 2), not read until memory runs out. (Linux)
   */
  @Test
  void endlessReceiptOrEntryFileIsRefusedAtItsCap() throws Exception {
    assumeTrue(Files.isReadable(Path.of("/dev/zero")), "needs /dev/zero");
    Path yes = fifo("yes");
    Thread writer = writeToFifo(yes, "y\n".repeat(4096).getBytes(StandardCharsets.UTF_8), true);

    CommandRun endless = CommandRun.main("verify-receipt", yes.toString(), "--key", TestLog.VKEY, "--leaf-hash",
        Hex.encode(LEAF));
    ConfigException zeros = assertThrows(ConfigException.class, () -> CommandRun.direct(VerifyReceiptCommand::new,
        receipt().toString(), "--key", TestLog.VKEY, "--entry", "/dev/zero"));

    assertEquals(2, endless.exitCode(), endless.err());
    assertEquals("carbon-ledger verify-receipt: receipt file " + yes + " is larger than "
        + 4 * InclusionReceipt.SIZE_MAX_CHARS + " bytes; is it the right file?\n", endless.err());
    assertEquals("--entry file /dev/zero is larger than 65535 bytes; is it the right file?", zeros.getMessage());
    writer.join(10_000);
    assertFalse(writer.isAlive(), "the writer ends once the reader closed the pipe");
  }

  /** A receipt within its cap is read whole from a pipe, as {@code verify-receipt <(cat receipt)} would. */
  @Test
  void receiptFromAPipePasses() throws Exception {
    assumeTrue(Files.isReadable(Path.of("/dev/zero")), "needs Linux");
    Path pipe = fifo("receipt");
    writeToFifo(pipe, receiptText().getBytes(StandardCharsets.UTF_8), false);

    CommandRun run = receipt(pipe, "--entry", file("entry", ENTRY));

    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().startsWith("receipt verified: entry 7 is in "), run.out());
  }

  @Test
  void usageErrorsAreConfigExceptions() throws Exception {
    String receipt = receipt().toString();
    String entry = file("entry", ENTRY).toString();
    String missing = directory.resolve("missing").toString();
    List<List<String>> cases = List.of(
        List.of("verify-receipt needs exactly one receipt FILE, got 0", "--key", TestLog.VKEY, "--entry", entry),
        List.of("verify-receipt needs exactly one receipt FILE, got 2", receipt, receipt, "--key", TestLog.VKEY,
            "--entry", entry),
        List.of("--key is required (or set CARBONLEDGER_KEY)", receipt, "--entry", entry),
        List.of("give exactly one of --entry ENTRYFILE and --leaf-hash HEX", receipt, "--key", TestLog.VKEY),
        List.of("give exactly one of --entry ENTRYFILE and --leaf-hash HEX", receipt, "--key", TestLog.VKEY,
            "--entry", entry, "--leaf-hash", Hex.encode(LEAF)),
        List.of("--leaf-hash must be 64 hex digits (SHA-256 of 0x00 and the entry bytes)", receipt, "--key",
            TestLog.VKEY, "--leaf-hash", "abc"),
        List.of("receipt file " + missing + " does not exist", missing, "--key", TestLog.VKEY, "--entry", entry),
        List.of("--entry file " + missing + " does not exist", receipt, "--key", TestLog.VKEY, "--entry", missing));
    for (List<String> c : cases) {
      ConfigException e = assertThrows(ConfigException.class,
          () -> CommandRun.direct(VerifyReceiptCommand::new, c.subList(1, c.size()).toArray(String[]::new)), c.get(0));
      assertEquals(c.get(0), e.getMessage());
    }
    CommandRun run = CommandRun.main("verify-receipt", receipt, "--key", TestLog.VKEY);
    assertEquals(2, run.exitCode());
    assertEquals("carbon-ledger verify-receipt: give exactly one of --entry ENTRYFILE and --leaf-hash HEX\n", run.err());
  }

  @Test
  void helpListsTheOptions() throws Exception {
    CommandRun run = CommandRun.main("verify-receipt", "--help");
    assertEquals(0, run.exitCode());
    assertTrue(run.out().startsWith(
        "usage: carbon-ledger verify-receipt FILE --key VKEY (--entry ENTRYFILE | --leaf-hash HEX)\n"), run.out());
  }

  // ---- helpers ----

  private Path receipt() throws Exception {
    return file("receipt", receiptText().getBytes(StandardCharsets.UTF_8));
  }

  private static String receiptText() {
    return receipt(INDEX, LOG.inclusionProof(INDEX), LOG.checkpoint());
  }

  private static String receipt(long index, List<byte[]> proof, String checkpoint) {
    return new InclusionReceipt(null, index, proof, checkpoint).format();
  }

  private static List<byte[]> flipped(List<byte[]> proof, int at) {
    List<byte[]> out = new ArrayList<>(proof);
    out.set(at, LogVerifierTest.flip(proof.get(at), 0));
    return out;
  }

  private static List<byte[]> plus(List<byte[]> proof, byte[] hash) {
    List<byte[]> out = new ArrayList<>(proof);
    out.add(hash);
    return out;
  }

  private Path fifo(String name) throws Exception {
    Path fifo = directory.resolve(name);
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertEquals(0, mkfifo.waitFor(), "mkfifo");
    return fifo;
  }

  /** A daemon thread that writes bytes into fifo once, or again and again until its reader closes it. */
  private static Thread writeToFifo(Path fifo, byte[] bytes, boolean endless) {
    Thread writer = new Thread(() -> {
      try (OutputStream out = Files.newOutputStream(fifo)) {
        do {
          out.write(bytes);
        } while (endless);
      } catch (IOException e) {
        // the reader closed the pipe: the end of an endless writer
      }
    }, "fifo-writer");
    writer.setDaemon(true);
    writer.start();
    return writer;
  }

  private Path file(String name, byte[] bytes) throws Exception {
    Path file = Files.createTempFile(directory, name, "");
    Files.write(file, bytes);
    return file;
  }

  private CommandRun receipt(Path receipt, String... arguments) throws Exception {
    List<String> all = new ArrayList<>(List.of(receipt.toString(), "--key", TestLog.VKEY));
    all.addAll(List.of(arguments));
    return CommandRun.direct(VerifyReceiptCommand::new, all.toArray(String[]::new));
  }

  private CommandRun receipt(Path receipt, String option, Path file) throws Exception {
    return receipt(receipt, option, file.toString());
  }
}
