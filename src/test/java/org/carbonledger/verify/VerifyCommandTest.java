package org.carbonledger.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.carbonledger.ledger.Hex;
import org.carbonledger.ledger.InclusionReceipt;
import org.carbonledger.registry.Decision;
import org.carbonledger.registry.EntryTypes;
import org.carbonledger.server.ConfigException;
import org.carbonledger.server.VerifyCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * VerifyCommandTest runs {@code verify} in-process against a {@link TileServer}, as the end-to-end test will:
 * the exit codes (0 verified, 1 failed, 2 usage), the summary on out, the failure line on err, the state file
 * over three runs, a state or CSV file that cannot be written, and --help and usage errors through Main.
 */
class VerifyCommandTest {

  private static TileServer server;

  @TempDir
  Path directory;

  @BeforeAll
  static void start() throws Exception {
    server = new TileServer();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource({"''", "/log", "/log/"})
  void verifiesALogAtTheServerUrl(String suffix) throws Exception {
    TestLog log = TestLog.ofSize(300);
    server.serve(log.publish());

    CommandRun run = verify("--url", server.serverUrl() + suffix, "--key", TestLog.VKEY);

    assertEquals(0, run.exitCode(), run.err());
    assertEquals("", run.err());
    String[] lines = run.out().split("\n");
    assertEquals(3, lines.length, run.out());
    assertEquals("verified " + TestLog.ORIGIN + ": size 300, root " + Hex.encode(log.root()), lines[0]);
    assertTrue(lines[1].matches("  entries 300, bundles 2, tiles 3, in [0-9.]+ s \\([0-9]+ entries/s\\)"), lines[1]);
    assertEquals("  registry: 299 accounts, 0 issuances, 0 blocks: 0 units active, 0 retired, 0 cancelled", lines[2]);
  }

  @Test
  void writesTheReplayedBalancesAndUnitsAsCsv() throws Exception {
    server.serve(TestLog.ofSize(4).publish());
    Path balances = directory.resolve("balances.csv");
    Path units = directory.resolve("units.csv");

    CommandRun run = verify("--url", server.serverUrl(), "--key", TestLog.VKEY, "--balances", balances.toString(),
        "--units", units.toString());

    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().endsWith("  balances written to " + balances + "\n  units written to " + units + "\n"), run.out());
    assertEquals(List.of(RegistryCsv.BALANCES_HEADER, "A00000001L,H00000001Q,HOLDING,ACTIVE,0,0,0",
        "A00000002J,H00000001Q,HOLDING,ACTIVE,0,0,0", "A00000003H,H00000001Q,HOLDING,ACTIVE,0,0,0"),
        Files.readAllLines(balances));
    assertEquals(List.of(RegistryCsv.UNITS_HEADER), Files.readAllLines(units));
  }

  @Test
  void writesNoCsvWhenTheLogFails() throws Exception {
    Map<String, byte[]> published = TestLog.ofSize(10).publish();
    published.remove("tile/0/000.p/10");
    server.serve(published);
    Path balances = directory.resolve("balances.csv");

    CommandRun run = verify("--url", server.serverUrl(), "--key", TestLog.VKEY, "--balances", balances.toString());

    assertEquals(1, run.exitCode());
    assertFalse(Files.exists(balances));
  }

  /**
   * A CSV file that cannot be written once the log verified exits 1, saying that the log did verify; the state
   * was saved and the CSV written before it stays. The units file's name, 250 characters, is valid but leaves no
   * room for the temporary file written first, which fails whatever the user's permissions (tests may run as root).
   */
  @Test
  void csvThatCannotBeWrittenExits1SayingTheLogVerified() throws Exception {
    TestLog log = TestLog.ofSize(4);
    server.serve(log.publish());
    Path state = directory.resolve("verify.state");
    Path balances = directory.resolve("balances.csv");
    Path units = directory.resolve("u".repeat(246) + ".csv");

    CommandRun run = verify("--url", server.serverUrl(), "--key", TestLog.VKEY, "--state", state.toString(),
        "--balances", balances.toString(), "--units", units.toString());

    assertEquals(1, run.exitCode(), run.err());
    assertTrue(run.err().matches(Pattern.quote("carbon-ledger verify: the log verified, but a CSV file could not be written: "
        + units + ".") + "[0-9]+\\.tmp: File name too long\n"), run.err());
    assertTrue(run.out().startsWith("verified " + TestLog.ORIGIN + ": size 4, root " + Hex.encode(log.root()) + "\n"),
        run.out());
    assertTrue(run.out().endsWith("  balances written to " + balances + "\n"), run.out());
    assertEquals(log.checkpoint(), Files.readString(state));
    assertEquals(4, Files.readAllLines(balances).size(), "the header and the log's three accounts");
    try (Stream<Path> files = Files.list(directory)) {
      assertEquals(Set.of(state, balances), Set.copyOf(files.toList()), "no units file, and no temporary file");
    }
  }

  /** A state file that cannot be saved fails the run (exit 1) before any CSV file is written. */
  @Test
  void stateThatCannotBeSavedExits1AndWritesNoCsv() throws Exception {
    server.serve(TestLog.ofSize(4).publish());
    Path state = directory.resolve("s".repeat(250));
    Path balances = directory.resolve("balances.csv");

    CommandRun run = verify("--url", server.serverUrl(), "--key", TestLog.VKEY, "--state", state.toString(),
        "--balances", balances.toString());

    assertEquals(1, run.exitCode(), run.err());
    assertEquals("", run.out());
    assertTrue(run.err().startsWith("carbon-ledger verify: FAILED: state: cannot save " + state + ": ")
        && run.err().endsWith(": File name too long\n"), run.err());
    try (Stream<Path> files = Files.list(directory)) {
      assertEquals(List.of(), files.toList(), "no state, no CSV, no temporary file");
    }
  }

  /**
   * A state file that is a device reports size 0, so its cap holds on the bytes read: /dev/zero is refused at the
   * cap with exit 1, not read until memory runs out. (Linux)
   */
  @Test
  void endlessStateFileIsRefusedAtItsCap() throws Exception {
    assumeTrue(Files.isReadable(Path.of("/dev/zero")), "needs /dev/zero");
    server.serve(TestLog.ofSize(4).publish());

    CommandRun run = CommandRun.main("verify", "--url", server.serverUrl(), "--key", TestLog.VKEY, "--state",
        "/dev/zero");

    assertEquals(1, run.exitCode(), run.err());
    assertEquals("carbon-ledger verify: FAILED: state: /dev/zero: larger than 131072 bytes, so it is no checkpoint\n",
        run.err());
  }

  /**
   * What README.md tells a buyer to do against a split view: the signed checkpoint of a receipt, saved as a state
   * file, makes verify check that the log it fetches holds the receipt's tree. A receipt from a fork, signed by the
   * same key, fails the run.
   */
  @Test
  void aReceiptsCheckpointAsStateShowsWhetherTheLogHoldsIt() throws Exception {
    TestLog log = TestLog.ofSize(30);
    server.serve(log.publish());
    TestLog prefix = TestLog.of(log.entries.subList(0, 20));
    TestLog fork = TestLog.of(LogVerifierTest.tamper(prefix.entries, 7));
    Path state = directory.resolve("receipt.state");

    Files.writeString(state, checkpointOf(new InclusionReceipt(null, 7, prefix.inclusionProof(7), prefix.checkpoint())));
    CommandRun held = verify("--url", server.serverUrl(), "--key", TestLog.VKEY, "--state", state.toString());
    Files.writeString(state, checkpointOf(new InclusionReceipt(null, 7, fork.inclusionProof(7), fork.checkpoint())));
    CommandRun forked = verify("--url", server.serverUrl(), "--key", TestLog.VKEY, "--state", state.toString());

    assertEquals(0, held.exitCode(), held.err());
    assertTrue(held.out().contains("  state: consistent with the saved checkpoint at size 20; saved size 30"), held.out());
    assertEquals(1, forked.exitCode());
    assertTrue(forked.err().startsWith("carbon-ledger verify: FAILED: state: the log does not extend the saved"
        + " checkpoint: its first 20 entries give root "), forked.err());
  }

  /** The signed checkpoint of a receipt: what follows its first empty line. */
  private static String checkpointOf(InclusionReceipt receipt) {
    String text = receipt.format();
    return text.substring(text.indexOf("\n\n") + 2);
  }

  @Test
  void withoutTheRegistryReplayTheSummaryHasNoRegistryLine() throws Exception {
    server.serve(TestLog.ofSize(300).publish());

    CommandRun run = verify("--url", server.serverUrl(), "--key", TestLog.VKEY, "--registry", "false");

    assertEquals(0, run.exitCode(), run.err());
    assertEquals(2, run.out().split("\n").length, run.out());
    assertFalse(run.out().contains("registry:"), run.out());
  }

  @Test
  void reportsTheFirstBadEntryAndExits1() throws Exception {
    TestLog log = TestLog.ofSize(1300);
    server.serve(LogVerifierTest.withBundlesOf(log, LogVerifierTest.tamper(log.entries, 1233)));

    CommandRun run = verify("--url", server.serverUrl(), "--key", TestLog.VKEY);

    assertEquals(1, run.exitCode());
    assertEquals("", run.out());
    assertEquals("carbon-ledger verify: FAILED: entry 1234: prev does not match the leaf hash of entry 1233\n",
        run.err());
  }

  /**
   * Text from a hostile log reaches the failure line escaped: here an account id whose carriage return and escape
   * sequence would, on a terminal, erase the FAILED line and print a fake "verified" one, with a C1 control, DEL
   * and a bidi override besides. The line stays one line of visible characters, and the exit code 1.
   */
  @Test
  void controlCharactersFromTheLogAreEscapedInTheFailureLine() throws Exception {
    String accountId = "\r\u001b[2Kverified " + TestLog.ORIGIN + ": size 2\u009b\u007f\u202e";
    server.serve(TestLog.ofRegistryEntries(List.of(new Decision.Accepted(EntryTypes.ACCOUNT_STATUS_CHANGED,
        Map.of("accountId", accountId, "reason", "r", "status", "SUSPENDED")))).publish());

    CommandRun run = CommandRun.main("verify", "--url", server.serverUrl(), "--key", TestLog.VKEY);

    assertEquals(1, run.exitCode(), run.err());
    assertEquals("", run.out());
    assertEquals("carbon-ledger verify: FAILED: entry 1: ACCOUNT_STATUS_CHANGED does not fit the registry: no account"
        + " \\u000d\\u001b[2Kverified " + TestLog.ORIGIN + ": size 2\\u009b\\u007f\\u202e\n", run.err());
  }

  /** A redirect to a file: URL fails the run like any fetch failure: exit 1 and one line naming the resource. */
  @Test
  void redirectToAFileFailsLikeAFetch() throws Exception {
    server.serve(TestLog.ofSize(4).publish());
    server.redirects.put("checkpoint", "file:///etc/hostname");

    CommandRun run = CommandRun.main("verify", "--url", server.serverUrl(), "--key", TestLog.VKEY);

    assertEquals(1, run.exitCode());
    assertEquals("carbon-ledger verify: FAILED: checkpoint: GET " + server.logUrl()
        + "/checkpoint: HTTP 302 to a URL that is not http or https: file:///etc/hostname\n", run.err());
  }

  @Test
  void networkErrorExits1WithOneLine() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    CommandRun run = verify("--url", "http://127.0.0.1:" + port, "--key", TestLog.VKEY);
    assertEquals(1, run.exitCode());
    assertEquals("carbon-ledger verify: FAILED: checkpoint: GET http://127.0.0.1:" + port
        + "/log/checkpoint: cannot connect\n", run.err());
  }

  @Test
  void stateFileAdvancesOverThreeRunsAndRefusesToGoBack() throws Exception {
    TestLog log = TestLog.ofSize(700);
    Path state = directory.resolve("verify.state");
    long previous = -1;
    for (int size : new int[] {100, 300, 700}) {
      TestLog prefix = TestLog.of(log.entries.subList(0, size));
      server.serve(prefix.publish());
      CommandRun run = verify("--url", server.serverUrl(), "--key", TestLog.VKEY, "--state", state.toString());
      assertEquals(0, run.exitCode(), run.err());
      String stateLine = previous < 0 ? "  state: no saved checkpoint yet" : "  state: consistent with the saved checkpoint at size " + previous;
      assertTrue(run.out().endsWith(stateLine + "; saved size " + size + " to " + state + "\n"), run.out());
      assertEquals(prefix.checkpoint(), Files.readString(state));
      previous = size;
    }
    server.serve(TestLog.of(log.entries.subList(0, 300)).publish());
    CommandRun back = verify("--url", server.serverUrl(), "--key", TestLog.VKEY, "--state", state.toString());
    assertEquals(1, back.exitCode());
    assertEquals("carbon-ledger verify: FAILED: state: checkpoint moved backwards from 700 to 300\n", back.err());
    assertEquals(log.checkpoint(), Files.readString(state));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {
      "no url          | --key KEY                              | --url is required (or set CARBONLEDGER_URL)",
      "no key          | --url http://127.0.0.1:1               | --key is required (or set CARBONLEDGER_KEY)",
      "bad url         | --url ftp://x --key KEY                | --url is not an http:// or https:// URL with a host: ftp://x",
      "url with query  | --url http://127.0.0.1:1/?x=1 --key KEY | --url must not have a query or fragment: http://127.0.0.1:1/?x=1",
      "url, password   | --url http://user:s3cret@127.0.0.1:1 --key KEY | --url must not have a user name or password (user@host): the verifier sends no credentials",
      "bad key         | --url http://127.0.0.1:1 --key nokey   | --key is not a verifier key (name+keyid+base64): a verifier key is name+keyid+key",
      "an argument     | extra --url http://127.0.0.1:1 --key KEY | verify takes no arguments, got 'extra' (see --help)",
      "state dir       | --url http://127.0.0.1:1 --key KEY --state /nonexistent/dir/state | --state /nonexistent/dir/state: directory /nonexistent/dir does not exist",
      "zero timeout    | --url http://127.0.0.1:1 --key KEY --http-timeout-seconds 0 | --http-timeout-seconds must be between 1 and 3600, got 0",
      "unknown option  | --url http://127.0.0.1:1 --key KEY --size 3 | unknown option --size (see --help)",
      "csv, no replay  | --url http://127.0.0.1:1 --key KEY --registry false --units u.csv | --units needs the registry replay; drop --registry false",
      "csv dir missing | --url http://127.0.0.1:1 --key KEY --balances /nonexistent/dir/b.csv | --balances /nonexistent/dir/b.csv: directory /nonexistent/dir does not exist",
      "csv is a dir    | --url http://127.0.0.1:1 --key KEY --balances /tmp | --balances /tmp is a directory; give a file in it",
      "bad replay flag | --url http://127.0.0.1:1 --key KEY --registry maybe | --registry must be true or false, got 'maybe'",
      "csv over state  | --url http://127.0.0.1:1 --key KEY --state /tmp/v.state --balances /tmp/v.state | --state, --balances and --units must name different files",
      "one csv twice   | --url http://127.0.0.1:1 --key KEY --balances /tmp/v.csv --units /tmp/v.csv | --state, --balances and --units must name different files",
      "one file by two names | --url http://127.0.0.1:1 --key KEY --state v.state --balances ./v.state | --state, --balances and --units must name different files",
  })
  void usageErrorsAreConfigExceptions(String name, String arguments, String message) {
    String[] args = arguments.trim().replace("KEY", TestLog.VKEY).split(" +");
    ConfigException e = assertThrows(ConfigException.class, () -> verify(args));
    assertEquals(message, e.getMessage());
  }

  @Test
  void usageErrorExits2ThroughMain() throws Exception {
    CommandRun run = CommandRun.main("verify", "--key", TestLog.VKEY);
    assertEquals(2, run.exitCode());
    assertEquals("carbon-ledger verify: --url is required (or set CARBONLEDGER_URL)\n", run.err());
  }

  @Test
  void urlWithAPasswordExits2WithoutShowingIt() {
    CommandRun run = CommandRun.main("verify", "--url", "http://user:s3cret@127.0.0.1:1", "--key", TestLog.VKEY);
    assertEquals(2, run.exitCode());
    assertEquals("carbon-ledger verify: --url must not have a user name or password (user@host): the verifier sends"
        + " no credentials\n", run.err());
  }

  @Test
  void helpListsTheOptions() throws Exception {
    CommandRun run = CommandRun.main("verify", "--help");
    assertEquals(0, run.exitCode());
    assertTrue(run.out().startsWith("usage: carbon-ledger verify --url URL --key VKEY [--state FILE] [--balances FILE] [--units FILE] [--registry false]\n"),
        run.out());
    for (String option : List.of("--url", "--key", "--state", "--http-timeout-seconds", "--registry", "--balances", "--units")) {
      assertTrue(run.out().contains("  " + option + " VALUE"), option);
    }
    CommandRun all = CommandRun.main("--help");
    assertTrue(all.out().contains("  verify ") && all.out().contains("  verify-receipt "), all.out());
  }

  @Test
  void failureExits1ThroughMain() throws Exception {
    Map<String, byte[]> published = TestLog.ofSize(10).publish();
    published.remove("tile/0/000.p/10");
    server.serve(published);
    CommandRun run = CommandRun.main("verify", "--url", server.serverUrl(), "--key", TestLog.VKEY);
    assertEquals(1, run.exitCode());
    assertEquals("carbon-ledger verify: FAILED: tile 0/000.p/10: GET " + server.logUrl() + "/tile/0/000.p/10: HTTP 404\n",
        run.err());
  }

  private static CommandRun verify(String... arguments) throws Exception {
    return CommandRun.direct(VerifyCommand::new, arguments);
  }
}
