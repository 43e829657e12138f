package org.carbonledger.server;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.carbonledger.ledger.Hashes;
import org.carbonledger.ledger.Hex;
import org.carbonledger.ledger.InclusionReceipt;
import org.carbonledger.ledger.LedgerEntry;
import org.carbonledger.ledger.LedgerException;
import org.carbonledger.ledger.NoteVerifier;
import org.carbonledger.verify.BoundedFile;
import org.carbonledger.verify.ReceiptCheck;
import org.carbonledger.verify.VerificationException;

/**
 * VerifyReceiptCommand checks a C2SP tlog-proof receipt offline with the log's key alone
 * ({@code verify-receipt FILE --key VKEY (--entry ENTRYFILE | --leaf-hash HEX)}): see {@link ReceiptCheck}.
 * Exit 0 when the receipt proves the entry, 1 when it does not, 2 for a usage error.
 */
public final class VerifyReceiptCommand implements Command {

  /** Largest receipt file read: the receipt limit in characters, at up to 4 UTF-8 bytes each. */
  static final int RECEIPT_FILE_BYTES_MAX = 4 * InclusionReceipt.SIZE_MAX_CHARS;

  static final List<Options.Option> OPTIONS = List.of(
      new Options.Option("key", null, "the log's verifier key, name+keyid+base64; its name is the log's origin"),
      new Options.Option("entry", null, "file with the entry's exact bytes; its leaf hash is computed and checked"),
      new Options.Option("leaf-hash", null,
          "the entry's leaf hash, 64 hex digits, when the entry file is not at hand"));

  private final PrintStream out;
  private final PrintStream err;

  /** A command that writes its report to out and its failure line to err, e.g. for a test to read. */
  public VerifyReceiptCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public String name() {
    return "verify-receipt";
  }

  @Override
  public String usage() {
    return "verify-receipt FILE --key VKEY (--entry ENTRYFILE | --leaf-hash HEX)";
  }

  @Override
  public String summary() {
    return "check a tlog-proof receipt offline: checkpoint signature and inclusion proof";
  }

  @Override
  public List<Options.Option> options() {
    return OPTIONS;
  }

  @Override
  public int run(Options options) {
    if (options.positional().size() != 1) {
      throw new ConfigException("verify-receipt needs exactly one receipt FILE, got " + options.positional().size());
    }
    NoteVerifier key = VerifyCommand.verifierKey(options);
    String entryFile = options.get("entry");
    String leafHash = options.get("leaf-hash");
    if ((entryFile == null) == (leafHash == null)) {
      throw new ConfigException("give exactly one of --entry ENTRYFILE and --leaf-hash HEX");
    }
    byte[] receipt = read(options.positional().get(0), RECEIPT_FILE_BYTES_MAX, "receipt file");
    try {
      ReceiptCheck.Verified verified = entryFile != null
          ? ReceiptCheck.forEntry(receipt, key, read(entryFile, LedgerEntry.SIZE_MAX_BYTES, "--entry file"))
          : ReceiptCheck.forLeafHash(receipt, key, parseLeafHash(leafHash));
      report(verified);
      return 0;
    } catch (VerificationException e) {
      ConsoleText.println(err, "carbon-ledger verify-receipt: FAILED: " + e.getMessage());
      return 1;
    }
  }

  private void report(ReceiptCheck.Verified verified) {
    out.println("receipt verified: entry " + verified.index() + " is in " + verified.checkpoint().origin()
        + " at tree size " + verified.checkpoint().size() + ", root " + Hex.encode(verified.checkpoint().rootHash()));
    out.println("  leaf hash " + Hex.encode(verified.leafHash()) + verified.entry()
        .map(entry -> ", entry type " + entry.type() + ", time " + entry.timeText()).orElse(""));
  }

  private static byte[] parseLeafHash(String text) {
    String hex = text.trim().toLowerCase(Locale.ROOT);
    try {
      byte[] hash = Hex.decode(hex);
      if (hash.length == Hashes.SIZE_BYTES) {
        return hash;
      }
    } catch (LedgerException e) {
      // reported below, with the expected form
    }
    throw new ConfigException("--leaf-hash must be 64 hex digits (SHA-256 of 0x00 and the entry bytes)");
  }

  /** The bytes of a file, read through a stream: a pipe or a device over the cap is refused like a file. */
  private static byte[] read(String name, int bytesMax, String what) {
    Path file = Path.of(name);
    try {
      return BoundedFile.read(file, bytesMax);
    } catch (BoundedFile.TooLargeException e) {
      throw new ConfigException(what + " " + file + " is larger than " + bytesMax + " bytes; is it the right file?");
    } catch (NoSuchFileException e) {
      throw new ConfigException(what + " " + file + " does not exist");
    } catch (IOException e) {
      throw new ConfigException("cannot read " + what + " " + file + ": " + e.getMessage());
    }
  }
}
