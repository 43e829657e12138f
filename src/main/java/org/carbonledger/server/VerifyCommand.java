package org.carbonledger.server;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.carbonledger.ledger.LedgerException;
import org.carbonledger.ledger.NoteVerifier;
import org.carbonledger.verify.HttpLogSource;
import org.carbonledger.verify.LogVerifier;
import org.carbonledger.verify.RegistryCsv;
import org.carbonledger.verify.StateFile;
import org.carbonledger.verify.VerificationException;
import org.carbonledger.verify.VerifyResult;

/**
 * VerifyCommand checks a log from what its server publishes ({@code verify --url URL --key VKEY [--state FILE]
 * [--balances FILE] [--units FILE] [--registry false]}),
 * trusting only the key: see {@link LogVerifier}; it replays the registry too unless {@code --registry false},
 * and can write the replayed balances and units as CSV ({@link RegistryCsv}). Exit 0 when every check holds, with
 * a summary on out; 1 at the first failure, network errors included, with one line on err; 2 for a usage error
 * (a ConfigException). The CSV files are written after the log verified and its state file was saved: a CSV that
 * cannot be written exits 1 too, saying that the log did verify.
 */
public final class VerifyCommand implements Command {

  static final List<Options.Option> OPTIONS = List.of(
      new Options.Option("url", null, "the server's base URL, e.g. http://127.0.0.1:8080 (a trailing /log is fine)"),
      new Options.Option("key", null, "the log's verifier key, name+keyid+base64; its name is the log's origin"),
      new Options.Option("state", null,
          "file holding the checkpoint of the last good run: the log must extend it; updated on success"),
      new Options.Option("http-timeout-seconds", "30", "deadline for each whole HTTP response"),
      new Options.Option("registry", "true",
          "also replay the entries into the registry: each must fit it (no double issuance or use), and the summary"
              + " gives its totals"),
      new Options.Option("balances", null, "with --registry: write every account's units by state to this CSV file"),
      new Options.Option("units", null, "with --registry: write every block of serials with its state to this CSV file"));

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
    return "verify --url URL --key VKEY [--state FILE] [--balances FILE] [--units FILE] [--registry false]";
  }

  @Override
  public String summary() {
    return "verify a log from its published checkpoint, entries and tiles, and replay its registry (exit 0 ok, 1 failed, 2 usage)";
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
      throw new ConfigException("--url " + e.getMessage());
    }
    NoteVerifier key = verifierKey(options);
    Optional<StateFile> state = Optional.ofNullable(options.get("state")).map(VerifyCommand::stateFile);
    Duration timeout = Duration.ofSeconds(options.getInt("http-timeout-seconds", 1, 3600));
    boolean registry = options.getBoolean("registry");
    Optional<Path> balances = Optional.ofNullable(options.get("balances")).map(name -> outputFile("balances", name, registry));
    Optional<Path> units = Optional.ofNullable(options.get("units")).map(name -> outputFile("units", name, registry));
    List<Path> files = new ArrayList<>();
    state.ifPresent(file -> files.add(file.path()));
    balances.ifPresent(files::add);
    units.ifPresent(files::add);
    if (Set.copyOf(files).size() < files.size()) {
      throw new ConfigException("--state, --balances and --units must name different files");
    }
    VerifyResult result;
    try {
      result = new LogVerifier(new HttpLogSource(logUrl, timeout), key, state, registry).verify();
    } catch (VerificationException e) {
      ConsoleText.println(err, "carbon-ledger verify: FAILED: " + e.getMessage());
      return 1;
    }
    out.print(result.summary());
    try {
      if (balances.isPresent()) {
        write(balances.get(), writer -> RegistryCsv.writeBalances(result.registry().orElseThrow(), writer));
        out.println("  balances written to " + balances.get());
      }
      if (units.isPresent()) {
        write(units.get(), writer -> RegistryCsv.writeUnits(result.registry().orElseThrow(), writer));
        out.println("  units written to " + units.get());
      }
    } catch (IOException e) {
      ConsoleText.println(err, "carbon-ledger verify: the log verified, but a CSV file could not be written: "
          + e.getMessage());
      return 1;
    }
    return 0;
  }

  /** CsvWrite writes one CSV file. */
  private interface CsvWrite {
    void to(Writer writer) throws IOException;
  }

  /** Writes a file through a temporary one beside it, so that a failed run never leaves half a file. */
  private static void write(Path file, CsvWrite csv) throws IOException {
    Path temporary = Files.createTempFile(file.getParent(), file.getFileName() + ".", ".tmp");
    try {
      try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
        csv.to(writer);
      }
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /** A CSV file of the replayed registry; refused before any work if there can be none. */
  private static Path outputFile(String option, String name, boolean registry) {
    if (!registry) {
      throw new ConfigException("--" + option + " needs the registry replay; drop --registry false");
    }
    return fileInExistingDirectory(option, name);
  }

  /** The file named by an option, refused before any work if it is a directory or its directory is missing. */
  private static Path fileInExistingDirectory(String option, String name) {
    Path file = Path.of(name).toAbsolutePath().normalize();
    if (Files.isDirectory(file)) {
      throw new ConfigException("--" + option + " " + name + " is a directory; give a file in it");
    }
    if (!Files.isDirectory(file.getParent())) {
      throw new ConfigException("--" + option + " " + name + ": directory " + file.getParent() + " does not exist");
    }
    return file;
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
    return new StateFile(fileInExistingDirectory("state", name));
  }
}
