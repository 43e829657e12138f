package org.carbonledger.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.carbonledger.ledger.Hex;
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
 * over three runs, and --help and usage errors through Main.
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
    assertEquals(2, lines.length, run.out());
    assertEquals("verified " + TestLog.ORIGIN + ": size 300, root " + Hex.encode(log.root()), lines[0]);
    assertTrue(lines[1].matches("  entries 300, bundles 2, tiles 3, in [0-9.]+ s \\([0-9]+ entries/s\\)"), lines[1]);
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
      "bad key         | --url http://127.0.0.1:1 --key nokey   | --key is not a verifier key (name+keyid+base64): a verifier key is name+keyid+key",
      "an argument     | extra --url http://127.0.0.1:1 --key KEY | verify takes no arguments, got 'extra' (see --help)",
      "state dir       | --url http://127.0.0.1:1 --key KEY --state /nonexistent/dir/state | --state /nonexistent/dir/state: directory /nonexistent/dir does not exist",
      "zero timeout    | --url http://127.0.0.1:1 --key KEY --http-timeout-seconds 0 | --http-timeout-seconds must be between 1 and 3600, got 0",
      "unknown option  | --url http://127.0.0.1:1 --key KEY --size 3 | unknown option --size (see --help)",
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
  void helpListsTheOptions() throws Exception {
    CommandRun run = CommandRun.main("verify", "--help");
    assertEquals(0, run.exitCode());
    assertTrue(run.out().startsWith("usage: carbon-ledger verify --url URL --key VKEY [--state FILE]\n"), run.out());
    for (String option : List.of("--url", "--key", "--state", "--http-timeout-seconds")) {
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
