package org.carbonledger.server;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.carbonledger.ledger.LedgerException;
import org.carbonledger.ledger.NoteVerifier;
import org.carbonledger.verify.HttpLogSource;
import org.carbonledger.verify.LogVerifier;
import org.carbonledger.verify.StateFile;
import org.carbonledger.verify.VerificationException;
import org.carbonledger.verify.VerifyResult;

/**
 * VerifyCommand checks a log from what its server publishes ({@code verify --url URL --key VKEY [--state FILE]}),
 * trusting only the key: see {@link LogVerifier}. Exit 0 when every check holds, with a summary on out; 1 at the
 * first failure, network errors included, with one line on err; 2 for a usage error (a ConfigException).
 */
public final class VerifyCommand implements Command {

  static final List<Options.Option> OPTIONS = List.of(
      new Options.Option("url", null, "the server's base URL, e.g. http://127.0.0.1:8080 (a trailing /log is fine)"),
      new Options.Option("key", null, "the log's verifier key, name+keyid+base64; its name is the log's origin"),
      new Options.Option("state", null,
          "file holding the checkpoint of the last good run: the log must extend it; updated on success"),
      new Options.Option("http-timeout-seconds", "30", "deadline for each whole HTTP response"));

  private final PrintStream out;
  private final PrintStream err;

  /** A command that writes its summary to out and its failure line to err, e.g. for a test to read. */
  public VerifyCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public String name() {
    return "verify";
  }

  @Override
  public String usage() {
    return "verify --url URL --key VKEY [--state FILE]";
  }

  @Override
  public String summary() {
    return "verify a log from its published checkpoint, entries and tiles (exit 0 ok, 1 failed, 2 usage)";
  }

  @Override
  public List<Options.Option> options() {
    return OPTIONS;
  }

  @Override
  public int run(Options options) {
    if (!options.positional().isEmpty()) {
      throw new ConfigException("verify takes no arguments, got '" + options.positional().get(0) + "' (see --help)");
    }
    URI logUrl;
    try {
      logUrl = HttpLogSource.logUrl(options.require("url"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--url is " + e.getMessage());
    }
    NoteVerifier key = verifierKey(options);
    Optional<StateFile> state = Optional.ofNullable(options.get("state")).map(VerifyCommand::stateFile);
    Duration timeout = Duration.ofSeconds(options.getInt("http-timeout-seconds", 1, 3600));
    try {
      VerifyResult result = new LogVerifier(new HttpLogSource(logUrl, timeout), key, state).verify();
      out.print(result.summary());
      return 0;
    } catch (VerificationException e) {
      err.println("carbon-ledger verify: FAILED: " + e.getMessage());
      return 1;
    }
  }

  /** The --key option as a verifier key; shared with verify-receipt. */
  static NoteVerifier verifierKey(Options options) {
    try {
      return NoteVerifier.parse(options.require("key").trim());
    } catch (LedgerException e) {
      throw new ConfigException("--key is not a verifier key (name+keyid+base64): " + e.detail());
    }
  }

  private static StateFile stateFile(String name) {
    StateFile state = new StateFile(Path.of(name));
    if (Files.isDirectory(state.path())) {
      throw new ConfigException("--state " + name + " is a directory; give a file in it");
    }
    if (!Files.isDirectory(state.path().getParent())) {
      throw new ConfigException("--state " + name + ": directory " + state.path().getParent() + " does not exist");
    }
    return state;
  }
}
