package org.carbonledger.store;

import static org.carbonledger.store.LogWriterTest.assertLogIsSound;
import static org.carbonledger.store.LogWriterTest.awaitWriterBlocked;
import static org.carbonledger.store.LogWriterTest.holdSequencerLock;
import static org.carbonledger.store.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import java.sql.Connection;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.carbonledger.registry.AccountType;
import org.carbonledger.registry.Command;
import org.carbonledger.registry.Ids;
import org.carbonledger.registry.Issue;
import org.carbonledger.registry.MitigationType;
import org.carbonledger.registry.OpenAccount;
import org.carbonledger.registry.Period;
import org.carbonledger.registry.ProjectCategory;
import org.carbonledger.registry.RegisterProject;
import org.carbonledger.registry.SerialRange;
import org.carbonledger.registry.Transfer;
import org.carbonledger.registry.UnitSelection;
import org.carbonledger.store.TestLedger.Note;
import org.carbonledger.store.TestLedger.Note.Behaviour;
import org.junit.jupiter.api.Test;

/**
 * The writer decides on a registry replayed from the log (WriterRegistry). Goal: it never decides on a stale
 * or half-undone registry: it replays entries another process wrote before deciding, and a rejected group or a
 * batch that does not commit leaves it exactly as the log is. Each case is a double spend that a stale registry
 * would accept.
 */
class WriterRegistryTest {

  static final String ISSUANCE = Ids.format(Ids.Kind.ACCOUNT, 1);
  static final String ALICE = Ids.format(Ids.Kind.ACCOUNT, 2);
  static final String BOB = Ids.format(Ids.Kind.ACCOUNT, 3);

  /** An issuance account, Alice and Bob, and 100 units (serials 1..100) in the issuance account. */
  static void setUp(TestLedger log) {
    Period whole = new Period(LocalDate.of(2020, 1, 1), LocalDate.of(2030, 12, 31));
    for (Command command : List.of(
        new OpenAccount(null, "Secretariat", "JP", "issuance", AccountType.ISSUANCE, "JCREDIT"),
        new OpenAccount(null, "Alice", "JP", "alice", AccountType.HOLDING, null),
        new OpenAccount(null, "Bob", "JP", "bob", AccountType.HOLDING, null),
        new RegisterProject("JCREDIT", "J-1", "Forest", "JP", "FO-001", ProjectCategory.FORESTRY, MitigationType.REMOVAL,
            whole, LocalDate.of(2020, 1, 1), null, List.of()),
        new Issue(Ids.format(Ids.Kind.PROJECT, 1), new Period(LocalDate.of(2022, 1, 1), LocalDate.of(2022, 12, 31)), 2022,
            100, "JCU", List.of(), null, null))) {
      await(log.ledger.writer().append(new RegistryCommand(command)));
    }
  }

  static RegistryCommand transfer(String from, String to, long start, long end) {
    return new RegistryCommand(new Transfer(from, to, new UnitSelection.Ranges(List.of(new SerialRange(start, end))), null));
  }

  private static String rejectionOf(Future<?> future) {
    return assertInstanceOf(CommandRejectedException.class, assertThrows(Exception.class, () -> await(future))).code();
  }

  /** Who holds each serial range, from the projections. */
  private static List<String> holders(TestLedger log) {
    List<String> holders = new ArrayList<>();
    await(log.pool.query("SELECT serial_start, serial_end, account_id FROM blocks ORDER BY serial_start").execute())
        .forEach(row -> holders.add(row.getLong(0) + ".." + row.getLong(1) + " " + row.getString(2)));
    return holders;
  }

  @Test
  void entriesAnotherProcessWroteAreReplayedBeforeDeciding() {
    try (TestLedger first = TestLedger.open(); TestLedger second = first.secondProcess(LogWriter.Limits.DEFAULT)) {
      setUp(first); // the second process loaded its registry before any of this
      await(second.ledger.writer().append(transfer(ISSUANCE, ALICE, 1, 100)));
      assertEquals("UNITS_NOT_HELD", rejectionOf(first.ledger.writer().append(transfer(ISSUANCE, BOB, 1, 100))),
          "the first process saw the second's transfer: the units are Alice's now");
      await(first.ledger.writer().append(transfer(ALICE, BOB, 1, 40)));
      try (TestLedger restarted = first.secondProcess(LogWriter.Limits.DEFAULT)) {
        assertEquals("UNITS_NOT_HELD", rejectionOf(restarted.ledger.writer().append(transfer(ALICE, BOB, 30, 50))),
            "a process started now loads the whole log");
        await(restarted.ledger.writer().append(transfer(ALICE, BOB, 41, 50)));
      }
      assertEquals(List.of("1..40 " + BOB, "41..50 " + BOB, "51..100 " + ALICE), holders(first));
      assertEquals(9, assertLogIsSound(first).size());
    }
  }

  @Test
  void aLogOfManyPagesIsReplayedWhole() {
    try (TestLedger log = TestLedger.open()) {
      setUp(log);
      await(log.ledger.writer().append(transfer(ISSUANCE, ALICE, 1, 100)));
      // Serial s moves Alice -> Bob -> Alice ...: who holds it at the end depends on every entry, in order.
      int moves = 2 * WriterRegistry.CATCH_UP_PAGE + 7;
      String[] holder = new String[101];
      java.util.Arrays.fill(holder, ALICE);
      List<Future<LogWriter.Appended>> appended = new ArrayList<>();
      for (int i = 0; i < moves; i++) {
        int serial = i % 100 + 1;
        String to = holder[serial].equals(ALICE) ? BOB : ALICE;
        appended.add(log.ledger.writer().append(transfer(holder[serial], to, serial, serial)));
        holder[serial] = to;
      }
      await(Future.all(appended));
      try (TestLedger restarted = log.secondProcess(LogWriter.Limits.DEFAULT)) {
        for (int serial : new int[] {1, 7, 8, 100}) {
          String other = holder[serial].equals(ALICE) ? BOB : ALICE;
          assertEquals("UNITS_NOT_HELD", rejectionOf(restarted.ledger.writer().append(transfer(other, holder[serial], serial, serial))),
              "serial " + serial + " is " + holder[serial] + "'s after " + moves + " moves");
          await(restarted.ledger.writer().append(transfer(holder[serial], other, serial, serial)));
        }
      }
      assertLogIsSound(log);
    }
  }

  @Test
  void aLogThatDoesNotChainFailsTheReplayInsteadOfReplayingForEver() throws Exception {
    try (TestLedger log = TestLedger.open()) {
      setUp(log);
      try (Connection connection = TestDatabases.jdbc(log.database); java.sql.Statement statement = connection.createStatement()) {
        statement.execute("SET session_replication_role = replica"); // the append-only trigger off: only a superuser can
        statement.execute("UPDATE entries SET prev_hash = sha256('tampered'::bytea) WHERE seq = 3");
      }
      io.vertx.core.Vertx other = io.vertx.core.Vertx.vertx();
      io.vertx.sqlclient.Pool pool = Database.pool(other, log.database, 8);
      try {
        Exception failure = assertThrows(Exception.class,
            () -> await(Ledger.open(other, pool, TestLedger.SIGNER, TestLedger.ORIGIN, LogWriter.Limits.DEFAULT)));
        assertEquals("the log is broken: replayed again from entry 0, entry 3 does not follow entry 2", failure.getMessage());
      } finally {
        pool.close().await();
        other.close().await();
      }
    }
  }

  @Test
  void aRejectedGroupLeavesTheRegistryAsItWas() throws Exception {
    try (TestLedger log = TestLedger.open()) {
      setUp(log);
      Future<List<LogWriter.Appended>> group;
      Future<LogWriter.Appended> sameBatch;
      try (Connection lock = holdSequencerLock(log)) {
        Future<LogWriter.Appended> blocker = log.ledger.writer().append(new Note("blocker"));
        awaitWriterBlocked(log);
        group = log.ledger.writer().appendAll(List.of(transfer(ISSUANCE, ALICE, 1, 50), transfer(ISSUANCE, BOB, 1, 50)), null);
        sameBatch = log.ledger.writer().append(transfer(ISSUANCE, BOB, 91, 100));
        blocker.onComplete(ignored -> { });
      }
      GroupRejectedException rejected = assertThrows(GroupRejectedException.class, () -> await(group));
      assertEquals(List.of(1), rejected.rejections().stream().map(GroupRejectedException.ItemRejection::index).toList());
      await(sameBatch);
      await(log.ledger.writer().append(transfer(ISSUANCE, BOB, 1, 50)));
      assertEquals("UNITS_NOT_HELD", rejectionOf(log.ledger.writer().append(transfer(ALICE, BOB, 1, 1))),
          "Alice never got the units of the rejected group");
      assertEquals(List.of("1..50 " + BOB, "51..90 " + ISSUANCE, "91..100 " + BOB), holders(log));
    }
  }

  @Test
  void aBatchThatDoesNotCommitLeavesTheRegistryAsItWas() throws Exception {
    try (TestLedger log = TestLedger.open()) {
      setUp(log);
      Future<LogWriter.Appended> moved;
      Future<LogWriter.Appended> broken;
      try (Connection lock = holdSequencerLock(log)) {
        Future<LogWriter.Appended> blocker = log.ledger.writer().append(new Note("blocker"));
        awaitWriterBlocked(log);
        moved = log.ledger.writer().append(transfer(ISSUANCE, ALICE, 1, 50));
        broken = log.ledger.writer().append(new Note("breaks its batch", Behaviour.FAIL_PROJECTION));
        blocker.onComplete(ignored -> { });
      }
      LogWriterTest.assertDivisionByZero(assertThrows(Exception.class, () -> await(broken)));
      LogWriterTest.assertDivisionByZero(assertThrows(Exception.class, () -> await(moved)));
      assertEquals(1, log.ledger.writer().metrics().batchesFailed());
      await(log.ledger.writer().append(transfer(ISSUANCE, BOB, 1, 50)));
      assertEquals("UNITS_NOT_HELD", rejectionOf(log.ledger.writer().append(transfer(ALICE, BOB, 1, 1))));
      assertEquals(List.of("1..50 " + BOB, "51..100 " + ISSUANCE), holders(log));
      assertEquals(8, assertLogIsSound(log).size());
    }
  }

  @Test
  void aBalanceRowThatIsMissingFailsItsBatchAndWritesNothing() {
    try (TestLedger log = TestLedger.open()) {
      setUp(log);
      long sizeBefore = assertLogIsSound(log).size();
      // Only a hand edit (or a bug) can remove it: the writer must refuse to go on rather than lose the change.
      await(log.pool.query("DELETE FROM account_balances WHERE account_id = '" + ALICE + "'").execute());
      Exception refused = assertThrows(Exception.class, () -> await(log.ledger.writer().append(transfer(ISSUANCE, ALICE, 1, 10))));
      assertTrue(refused.getMessage().contains("no balance row for the accounts " + ALICE), refused.getMessage());
      assertEquals(sizeBefore, assertLogIsSound(log).size(), "nothing was appended");
      assertEquals(List.of("1..100 " + ISSUANCE), holders(log));
      await(log.ledger.writer().append(transfer(ISSUANCE, BOB, 1, 10)));
      assertEquals(10L, await(log.pool.query("SELECT active FROM account_balances WHERE account_id = '" + BOB + "'").execute())
          .iterator().next().getLong(0));
    }
  }
}
