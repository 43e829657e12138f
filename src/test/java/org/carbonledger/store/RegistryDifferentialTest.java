package org.carbonledger.store;

import static org.carbonledger.store.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.carbonledger.registry.Block;
import org.carbonledger.registry.Cancel;
import org.carbonledger.registry.CancellationReason;
import org.carbonledger.registry.Command;
import org.carbonledger.registry.Decision;
import org.carbonledger.registry.FirstTransferState;
import org.carbonledger.registry.Ids;
import org.carbonledger.registry.Issue;
import org.carbonledger.registry.Period;
import org.carbonledger.registry.RandomCommands;
import org.carbonledger.registry.RegistryState;
import org.carbonledger.registry.Retire;
import org.carbonledger.registry.RetirementPurpose;
import org.carbonledger.registry.Transfer;
import org.carbonledger.registry.UnitSelection;
import org.junit.jupiter.api.Test;

/**
 * RegistryDifferentialTest runs long random command sequences through the real write path (the writer's
 * replayed registry, the rules, the SQL projector) and, beside it, through a pure in-memory
 * {@link RegistryState}, the reference. For every command the outcome (entry data or reject code) must be the
 * same; a rejected command must leave the log and every projection as they were. At the end the projections must hold what the reference holds, and replaying the log into an empty
 * database must rebuild them exactly.
 */
class RegistryDifferentialTest {

  private static final int COMMANDS = 400;

  @Test
  void theStoreAgreesWithTheReferenceAndReplaysExactly() throws Exception {
    for (long seed : new long[] {1, 2}) {
      try (TestLedger log = TestLedger.open()) {
        RegistryState reference = new RegistryState();
        Random random = new Random(seed);
        int accepted = 0;
        List<Command> commands = new ArrayList<>(RandomCommands.setup());
        for (int i = 0; i < COMMANDS; i++) {
          Command command = i < commands.size() ? commands.get(i) : RandomCommands.from(reference, choices(random));
          String before = fingerprint(log.pool);
          Decision expected = reference.execute(command);
          if (assertSameOutcome(expected, log.ledger.writer().append(new RegistryCommand(command)), command)) {
            accepted++;
          } else {
            assertEquals(before, fingerprint(log.pool), "a rejected " + command.kind() + " changed the store");
          }
        }
        assertTrue(accepted > COMMANDS / 5, "the sequence got far: " + accepted + " accepted");
        assertProjectionsHold(log, reference);
        assertReplayRebuildsTheProjections(log);
        LogWriterTest.assertLogIsSound(log);
      }
    }
  }

  /**
   * The same, with the commands queued all at once behind the held sequencer lock, so that they share batches:
   * the blocks split, moved and split again within one batch reach the tables as their net change.
   */
  @Test
  void commandsSharingBatchesLeaveTheSameProjections() throws Exception {
    for (long seed : new long[] {3, 4}) {
      try (TestLedger log = TestLedger.open()) {
        RegistryState reference = new RegistryState();
        Random random = new Random(seed);
        List<Command> commands = new ArrayList<>(RandomCommands.setup());
        List<Decision> expected = new ArrayList<>();
        for (int i = 0; i < 3 * COMMANDS; i++) {
          if (i >= commands.size()) {
            commands.add(RandomCommands.from(reference, choices(random)));
          }
          expected.add(reference.execute(commands.get(i)));
        }
        List<Future<LogWriter.Appended>> appended = LogWriterTest.behindABlocker(log, () ->
            commands.stream().map(command -> log.ledger.writer().append(new RegistryCommand(command))).toList());
        int accepted = 0;
        for (int i = 0; i < commands.size(); i++) {
          if (assertSameOutcome(expected.get(i), appended.get(i), commands.get(i))) {
            accepted++;
          }
        }
        assertTrue(accepted > COMMANDS / 2, "the sequence got far: " + accepted + " accepted");
        assertTrue(batchesOfMoreThanOneCommand(log) > 0, "commands shared batches");
        assertProjectionsHold(log, reference);
        assertReplayRebuildsTheProjections(log);
        LogWriterTest.assertLogIsSound(log);
      }
    }
  }

  /**
   * One Article 6 story the random sequences rarely tell: units authorised with the first transfer at use or
   * cancellation are retired for their host's own NDC and invalidated (no use abroad: still pending), then exported.
   */
  @Test
  void theFirstTransferFollowsOnlyAUseAbroad() throws Exception {
    String bank = Ids.format(Ids.Kind.ACCOUNT, 5);
    List<Command> story = List.of(
        new Issue(Ids.format(Ids.Kind.PROJECT, 2), new Period(LocalDate.of(2022, 1, 1), LocalDate.of(2022, 12, 31)), 2022, 100,
            "VCU", List.of(), Ids.format(Ids.Kind.AUTHORISATION, 2), null),
        new Transfer(Ids.format(Ids.Kind.ACCOUNT, 2), bank, new UnitSelection.ByQuantity(100, null, null, null), null),
        new Retire(bank, new UnitSelection.ByQuantity(10, null, null, null), RetirementPurpose.NDC, "Indonesia", null, null,
            2024, null, "ID", null),
        new Cancel(bank, new UnitSelection.ByQuantity(1, null, null, null), CancellationReason.INVALIDATION, null, null, null));
    try (TestLedger log = TestLedger.open()) {
      RegistryState reference = new RegistryState();
      for (Command command : concat(RandomCommands.setup(), story)) {
        assertTrue(assertSameOutcome(reference.execute(command), log.ledger.writer().append(new RegistryCommand(command)), command),
            "accepted: " + command);
      }
      String issuance = Ids.format(Ids.Kind.ISSUANCE, 1);
      assertEquals(FirstTransferState.PENDING, reference.issuance(issuance).orElseThrow().firstTransfer());
      assertProjectionsHold(log, reference);
      Command export = new Cancel(bank, new UnitSelection.ByQuantity(1, null, null, null), CancellationReason.EXPORT, "Verra",
          "VCS-EXPORT-1", null);
      assertTrue(assertSameOutcome(reference.execute(export), log.ledger.writer().append(new RegistryCommand(export)), export));
      assertEquals(FirstTransferState.DONE, reference.issuance(issuance).orElseThrow().firstTransfer());
      assertProjectionsHold(log, reference);
    }
  }

  /**
   * The writer decides an issuance on the day of its entry's time: a monitoring period that has not ended by then is
   * refused, and the same command is accepted by a writer whose clock is past its end.
   */
  @Test
  void anIssuanceIsDecidedOnTheDayOfItsEntry() throws Exception {
    try (TestLedger log = TestLedger.open()) {
      for (Command command : RandomCommands.setup()) {
        await(log.ledger.writer().append(new RegistryCommand(command)));
      }
      LocalDate nextYear = LocalDate.now(ZoneOffset.UTC).plusYears(1);
      Command future = new Issue(Ids.format(Ids.Kind.PROJECT, 1), new Period(nextYear.withDayOfYear(1), nextYear), nextYear.getYear(),
          10, "JCU", List.of(), null, null);
      CommandRejectedException refused = assertInstanceOf(CommandRejectedException.class, org.junit.jupiter.api.Assertions
          .assertThrows(Exception.class, () -> await(log.ledger.writer().append(new RegistryCommand(future)))));
      assertEquals("MONITORING_PERIOD_NOT_ENDED", refused.code());
      LogWriter later = new LogWriter(log.vertx, log.pool, TestLedger.SIGNER, TestLedger.ORIGIN,
          Clock.fixed(nextYear.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(), ZoneOffset.UTC), LogWriter.Limits.DEFAULT);
      long seq = await(later.append(new RegistryCommand(future))).seq();
      assertEquals(nextYear.plusDays(1), LocalDate.ofInstant(await(log.ledger.reader().entry(seq)).orElseThrow().time(), ZoneOffset.UTC));
    }
  }

  private static List<Command> concat(List<Command> first, List<Command> then) {
    List<Command> all = new ArrayList<>(first);
    all.addAll(then);
    return all;
  }

  /** Awaits the writer's answer and checks it is the reference's: the same entry data, or the same reject code. */
  private static boolean assertSameOutcome(Decision expected, Future<LogWriter.Appended> appended, Command command) {
    if (expected instanceof Decision.Accepted entry) {
      LogWriter.Appended result = await(appended);
      assertEquals(entry.data(), org.carbonledger.ledger.EntryCodec.decode(result.entryBytes()).data(), "entry data of " + command);
      return true;
    }
    CommandRejectedException failure = assertInstanceOf(CommandRejectedException.class,
        org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> await(appended)));
    assertEquals(((Decision.Rejected) expected).code().name(), failure.code(), "reject code of " + command);
    return false;
  }

  /** Checkpoints that cover more than one new entry: one per batch that committed several. */
  private static long batchesOfMoreThanOneCommand(TestLedger log) {
    return await(log.pool.query("SELECT count(*) FROM (SELECT tree_size - lag(tree_size) OVER (ORDER BY tree_size) AS added "
        + "FROM checkpoints) c WHERE added > 1").execute()).iterator().next().getLong(0);
  }

  private static List<Integer> choices(Random random) {
    List<Integer> choices = new ArrayList<>();
    for (int i = 0; i < RandomCommands.CHOICES; i++) {
      choices.add(random.nextInt(Integer.MAX_VALUE));
    }
    return choices;
  }

  /** Balances and blocks in the projections equal the reference's. */
  private static void assertProjectionsHold(TestLedger log, RegistryState reference) {
    List<Block> blocks = new ArrayList<>();
    await(log.pool.query("SELECT * FROM blocks ORDER BY serial_start").execute()).forEach(row -> blocks.add(DomainRows.block(row)));
    assertEquals(reference.blocks(), blocks, "blocks");
    Map<String, Long> expected = new HashMap<>(reference.balances());
    expected.values().removeIf(balance -> balance == 0);
    assertEquals(expected, nonZero(log, "SELECT account_id, sum(serial_end - serial_start + 1) FROM blocks WHERE state = 'ACTIVE' GROUP BY account_id"),
        "balances summed over blocks");
    assertEquals(expected, nonZero(log, "SELECT account_id, active FROM account_balances"), "balances kept in account_balances");
    long accounts = await(log.pool.query("SELECT count(*) FROM accounts").execute()).iterator().next().getLong(0);
    long balanceRows = await(log.pool.query("SELECT count(*) FROM account_balances").execute()).iterator().next().getLong(0);
    assertEquals(accounts, balanceRows, "every account has its balance row");
    Map<String, String> articleSix = new HashMap<>();
    reference.issuances().forEach(issuance -> articleSix.put(issuance.issuanceId(),
        issuance.firstTransfer() + " " + issuance.correspondingAdjustment()));
    Map<String, String> projected = new HashMap<>();
    await(log.pool.query("SELECT issuance_id, first_transfer || ' ' || corresponding_adjustment FROM issuances").execute())
        .forEach(row -> projected.put(row.getString(0), row.getString(1)));
    assertEquals(articleSix, projected, "each issuance's first transfer and corresponding adjustment");
  }

  private static Map<String, Long> nonZero(TestLedger log, String query) {
    Map<String, Long> balances = new HashMap<>();
    await(log.pool.query(query).execute()).forEach(row -> {
      if (row.getLong(1) != 0) {
        balances.put(row.getString(0), row.getLong(1));
      }
    });
    return balances;
  }

  /** Replaying the entries into an empty database rebuilds every projection table exactly. */
  private static void assertReplayRebuildsTheProjections(TestLedger log) throws Exception {
    PgConnectOptions fresh = TestDatabases.create();
    Pool target = Database.pool(log.vertx, fresh, 4);
    try {
      await(Database.prepare(target, fresh));
      await(ProjectionRebuild.replay(log.ledger.reader(), target));
      for (String[] table : ProjectionRebuild.TABLES) {
        assertEquals(dump(log.database, table), dump(fresh, table), "table " + table[0] + " after replay");
      }
    } finally {
      target.close().await();
    }
  }

  /** A digest of every projection table and of the log: an equal digest means an unchanged store. */
  static String fingerprint(Pool pool) {
    StringBuilder sql = new StringBuilder("SELECT concat_ws(',', (SELECT count(*) FROM entries)");
    for (String[] table : ProjectionRebuild.TABLES) {
      sql.append(", (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY ").append(table[1].replaceAll("(\\w+)", "t.$1"))
          .append("), '')) FROM ").append(table[0]).append(" t)");
    }
    return await(pool.query(sql.append(")").toString()).execute()).iterator().next().getString(0);
  }

  private static String dump(PgConnectOptions database, String[] table) throws Exception {
    StringBuilder text = new StringBuilder(table[0]).append('\n');
    try (Connection connection = TestDatabases.jdbc(database); Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("SELECT * FROM " + table[0] + " ORDER BY " + table[1])) {
      ResultSetMetaData columns = rows.getMetaData();
      while (rows.next()) {
        for (int i = 1; i <= columns.getColumnCount(); i++) {
          text.append(rows.getString(i)).append('|');
        }
        text.append('\n');
      }
    }
    return text.toString();
  }
}
