package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.carbonledger.store.TestDatabases;
import org.carbonledger.store.TestLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * VerifyAgainstServerTest runs the offline verifier against a real server over HTTP: a sound log verifies,
 * a later run checks consistency with the saved checkpoint, and after one stored entry is changed behind the
 * database's back (a superuser with the triggers off), the verifier names that entry and fails. The log holds
 * test notes, not registry entries, so the registry is not replayed (DemoCommandTest replays one).
 */
class VerifyAgainstServerTest {

  private record Run(int exitCode, String out, String err) {}

  private static Run verify(TestServer server, String key, Path state) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    VerifyCommand command = new VerifyCommand(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    int code = command.run(new Options(command.options(), Map.of())
        .parse(List.of("--url", server.base, "--key", key, "--state", state.toString(), "--registry", "false")));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static void append(TestServer server, int count, String prefix) {
    for (int i = 0; i < count - 1; i++) {
      server.server.ledger().writer().append(new TestLedger.Note(prefix + " " + i));
    }
    TestLedger.await(server.server.ledger().writer().append(new TestLedger.Note(prefix + " last")));
  }

  @Test
  void verifiesASoundLogAndNamesATamperedEntry(@TempDir Path directory) throws Exception {
    try (TestServer server = TestServer.start()) {
      String key = server.server.ledger().verifierKey();
      Path state = directory.resolve("state");
      append(server, 299, "before");

      Run first = verify(server, key, state);
      assertEquals(0, first.exitCode(), first.err());
      assertTrue(first.out().contains("size 300"), first.out());

      append(server, 40, "after");
      Run second = verify(server, key, state);
      assertEquals(0, second.exitCode(), second.err());
      assertTrue(second.out().contains("size 340"), second.out());

      try (Connection connection = TestDatabases.jdbc(server.database); Statement statement = connection.createStatement()) {
        statement.execute("SET session_replication_role = replica"); // triggers off: only a superuser can do this
        int changed = statement.executeUpdate(
            "UPDATE entries SET body = convert_to(replace(convert_from(body, 'UTF8'), 'before 41', 'before 14'), 'UTF8') WHERE seq = 42");
        assertEquals(1, changed);
      }
      Run tampered = verify(server, key, state);
      assertEquals(1, tampered.exitCode());
      assertTrue(tampered.err().contains("leaf hash of entry 42"), tampered.err());
    }
  }

  /**
   * /log is rate-limited per client address, and a verifier fetches more tiles than a burst allows on several
   * threads: it waits out each 429 as Retry-After says, and the log verifies. Here the burst is 2 requests (8 tiles)
   * at 2 a second, and the log 1,200 entries, some 15 tiles and bundles.
   */
  @Test
  void verifiesThroughTheRateLimit(@TempDir Path directory) throws Exception {
    try (TestServer server = TestServer.start("--rate-limit", "2", "--rate-limit-burst", "2")) {
      append(server, 1199, "entry");
      Run run = verify(server, server.server.ledger().verifierKey(), directory.resolve("state"));
      assertEquals(0, run.exitCode(), run.err());
      assertTrue(run.out().contains("size 1200"), run.out());
    }
  }
}
