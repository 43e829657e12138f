package org.carbonledger.store;

import static org.carbonledger.store.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Tuple;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.carbonledger.ledger.Checkpoint;
import org.carbonledger.ledger.ChainCheck;
import org.carbonledger.ledger.CompactRange;
import org.carbonledger.ledger.Hashes;
import org.carbonledger.store.LogReader.StoredCheckpoint;
import org.carbonledger.store.LogReader.StoredEntry;
import org.carbonledger.store.TestLedger.Note;
import org.carbonledger.store.TestLedger.Note.Behaviour;
import org.junit.jupiter.api.Test;

/**
 * LogWriterTest drives the sequencer against a real PostgreSQL: concurrent appends, group commit,
 * rejections, failed batches, two writers on one database, and back-pressure. Each test ends by checking
 * the whole stored log: an unbroken chain, and every checkpoint signed over the right root.
 */
class LogWriterTest {

  /** Checks the stored log: chain from entry 0, and each checkpoint verifies and matches the recomputed root. */
  static List<StoredEntry> assertLogIsSound(TestLedger log) {
    LogReader reader = log.ledger.reader();
    List<StoredEntry> entries = new ArrayList<>();
    for (List<StoredEntry> page = await(reader.entries(0, LogReader.ENTRY_PAGE_MAX)); !page.isEmpty();
         page = await(reader.entries(entries.size(), LogReader.ENTRY_PAGE_MAX))) {
      entries.addAll(page);
    }
    ChainCheck chain = ChainCheck.fromStart();
    entries.forEach(entry -> chain.append(entry.body()));
    List<byte[]> roots = new ArrayList<>();
    CompactRange tree = CompactRange.empty();
    roots.add(tree.root());
    for (StoredEntry entry : entries) {
      assertArrayEquals(Hashes.leafHash(entry.body()), entry.leafHash(), "leaf hash column of " + entry.seq());
      tree.append(entry.leafHash());
      roots.add(tree.root());
    }
    for (StoredCheckpoint stored : checkpoints(log)) {
      Checkpoint checkpoint = Checkpoint.open(stored.signedNote(), TestLedger.SIGNER.verifier(), TestLedger.ORIGIN);
      assertEquals(stored.treeSize(), checkpoint.size());
      assertArrayEquals(roots.get((int) stored.treeSize()), checkpoint.rootHash(), "root of checkpoint " + stored.treeSize());
    }
    assertEquals(entries.size(), await(reader.publishedSize()), "the latest checkpoint covers every entry");
    return entries;
  }

  static List<StoredCheckpoint> checkpoints(TestLedger log) {
    List<StoredCheckpoint> all = new ArrayList<>();
    await(log.pool.query("SELECT tree_size FROM checkpoints ORDER BY tree_size").execute())
        .forEach(row -> all.add(await(log.ledger.reader().checkpoint(row.getLong(0))).orElseThrow()));
    return all;
  }

  /** Holds the sequencer lock from outside, so the writer's next batch waits and later commands pile up. */
  static Connection holdSequencerLock(TestLedger log) throws Exception {
    return SequencerLock.hold(log.database);
  }

  /**
   * Queues what {@code queue} queues while the writer's first batch (one note) waits for the sequencer lock held
   * from outside, so that all of it shares the writer's next batch; returns what {@code queue} returned.
   */
  static <T> T behindABlocker(TestLedger log, Supplier<T> queue) throws Exception {
    try (Connection lock = holdSequencerLock(log)) {
      Future<LogWriter.Appended> blocker = log.ledger.writer().append(new Note("blocker"));
      awaitWriterBlocked(log);
      T queued = queue.get();
      blocker.onComplete(ignored -> { });
      return queued;
    } // closing the connection releases the lock
  }

  static void awaitWriterBlocked(TestLedger log) throws Exception {
    SequencerLock.awaitWaiter(log.database);
  }

  @Test
  void entryZeroNamesTheOriginAndKey() {
    try (TestLedger log = TestLedger.open()) {
      List<StoredEntry> entries = assertLogIsSound(log);
      assertEquals(1, entries.size());
      assertEquals("REGISTRY_CREATED", entries.get(0).type());
      String body = new String(entries.get(0).body(), java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(body.contains("\"origin\":\"" + TestLedger.ORIGIN + "\""), body);
      assertTrue(body.contains("\"verifierKey\":\"" + TestLedger.SIGNER.verifier().vkey() + "\""), body);
    }
  }

  @Test
  void concurrentAppendsFormOneUnbrokenChain() {
    try (TestLedger log = TestLedger.open()) {
      List<Future<LogWriter.Appended>> appends = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        appends.add(log.ledger.writer().append(new Note("note " + i)));
      }
      Set<Long> seqs = new HashSet<>();
      for (Future<LogWriter.Appended> append : appends) {
        LogWriter.Appended appended = await(append);
        assertTrue(seqs.add(appended.seq()), "seq " + appended.seq() + " given twice");
        assertTrue(appended.treeSize() > appended.seq(), "the checkpoint returned covers the entry");
        Checkpoint checkpoint = Checkpoint.open(appended.signedCheckpoint(), TestLedger.SIGNER.verifier(), TestLedger.ORIGIN);
        assertEquals(appended.treeSize(), checkpoint.size());
      }
      assertEquals(400, seqs.size());
      assertEquals(401, assertLogIsSound(log).size());
    }
  }

  @Test
  void commandsWaitingForOneCommitShareTheNextBatch() throws Exception {
    try (TestLedger log = TestLedger.open()) {
      List<Future<LogWriter.Appended>> appends = new ArrayList<>();
      try (Connection lock = holdSequencerLock(log)) {
        appends.add(log.ledger.writer().append(new Note("first")));
        awaitWriterBlocked(log);
        for (int i = 0; i < 49; i++) {
          appends.add(log.ledger.writer().append(new Note("queued " + i)));
        }
      } // closing the connection releases the lock
      appends.forEach(TestLedger::await);
      // entry 0's checkpoint, the first batch's, and one for the 49 commands that queued behind it
      assertEquals(3, checkpoints(log).size());
      assertEquals(51, assertLogIsSound(log).size());
    }
  }

  @Test
  void aRejectedCommandFailsAloneAndWritesNothing() throws Exception {
    try (TestLedger log = TestLedger.open()) {
      List<Future<LogWriter.Appended>> queued = behindABlocker(log, () -> List.of(
          log.ledger.writer().append(new Note("before")),
          log.ledger.writer().append(new Note("rejected", Behaviour.REJECT)),
          log.ledger.writer().append(new Note("after"))));
      Future<LogWriter.Appended> before = queued.get(0);
      Future<LogWriter.Appended> rejected = queued.get(1);
      Future<LogWriter.Appended> after = queued.get(2);
      assertEquals(2, await(before).seq());
      assertEquals(3, await(after).seq(), "the rejected command took no seq");
      CommandRejectedException failure = assertThrows(CommandRejectedException.class, () -> await(rejected));
      assertEquals("TEST_REJECTED", failure.code());
      List<StoredEntry> entries = assertLogIsSound(log);
      assertEquals(4, entries.size());
      entries.forEach(entry -> assertTrue(!new String(entry.body(), java.nio.charset.StandardCharsets.UTF_8).contains("rejected")));
    }
  }

  @Test
  void anEntryOverTheSizeLimitIsRejectedWithItsCode() {
    try (TestLedger log = TestLedger.open()) {
      CommandRejectedException failure = assertThrows(CommandRejectedException.class,
          () -> await(log.ledger.writer().append(new Note("x".repeat(70_000)))));
      assertEquals("ENTRY_TOO_LARGE", failure.code());
      assertEquals(1, await(log.ledger.writer().append(new Note("small"))).seq());
      assertEquals(2, assertLogIsSound(log).size());
    }
  }

  /**
   * A group is never split across batches: one larger than batchSizeMax forms a batch alone, between the batches
   * of the commands queued around it; an empty group, or one larger than the queue, is refused outright.
   */
  @Test
  void aGroupLargerThanABatchIsWrittenAloneAndWhole() throws Exception {
    try (TestLedger log = TestLedger.open(new LogWriter.Limits(2, 10))) {
      List<Note> five = List.of(new Note("g1"), new Note("g2"), new Note("g3"), new Note("g4"), new Note("g5"));
      List<Future<?>> queued = behindABlocker(log, () -> List.of(
          log.ledger.writer().append(new Note("before")),
          log.ledger.writer().appendAll(List.copyOf(five), null),
          log.ledger.writer().append(new Note("after"))));
      assertEquals(2L, ((LogWriter.Appended) await(queued.get(0))).seq());
      @SuppressWarnings("unchecked")
      List<LogWriter.Appended> group = (List<LogWriter.Appended>) await(queued.get(1));
      assertEquals(List.of(3L, 4L, 5L, 6L, 7L), group.stream().map(LogWriter.Appended::seq).toList());
      assertEquals(8L, ((LogWriter.Appended) await(queued.get(2))).seq());
      // One checkpoint per batch: entry 0, the blocker, "before", the group alone, "after".
      assertEquals(List.of(1L, 2L, 3L, 8L, 9L), checkpoints(log).stream().map(StoredCheckpoint::treeSize).toList());

      assertInstanceOf(IllegalArgumentException.class,
          assertThrows(Exception.class, () -> await(log.ledger.writer().appendAll(List.of(), null))));
      List<LedgerCommand> eleven = new ArrayList<>();
      for (int i = 0; i < 11; i++) {
        eleven.add(new Note("too many " + i));
      }
      assertInstanceOf(IllegalArgumentException.class,
          assertThrows(Exception.class, () -> await(log.ledger.writer().appendAll(eleven, null))));
      assertEquals(9, assertLogIsSound(log).size(), "the refused groups wrote nothing");
    }
  }

  @Test
  void aFailedBatchRollsBackWholeAndTheWriterCarriesOn() throws Exception {
    try (TestLedger log = TestLedger.open()) {
      List<Future<LogWriter.Appended>> queued = behindABlocker(log, () -> List.of(
          log.ledger.writer().append(new Note("innocent")),
          log.ledger.writer().append(new Note("breaks its batch", Behaviour.FAIL_PROJECTION))));
      Future<LogWriter.Appended> sameBatch = queued.get(0);
      Future<LogWriter.Appended> broken = queued.get(1);
      assertDivisionByZero(assertThrows(Exception.class, () -> await(broken)));
      assertDivisionByZero(assertThrows(Exception.class, () -> await(sameBatch)));
      assertEquals(List.of(), transactionsLeftOpen(log), "the failed batch's connection went back to the pool rolled back");
      assertEquals(2, assertLogIsSound(log).size(), "entry 0 and the blocker only");
      assertEquals(2, await(log.ledger.writer().append(new Note("next"))).seq());
      assertEquals(3, assertLogIsSound(log).size());
    }
  }

  @Test
  void aStatementFailingBehindTheSentCommitCommitsNothingOfItsBatch() throws Exception {
    try (TestLedger log = TestLedger.open()) {
      // The checkpoint insert goes out with the batch's other inserts and its COMMIT, which does not wait for it.
      execute(log, """
          CREATE FUNCTION refuse_checkpoint_4() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF NEW.tree_size = 4 THEN RAISE EXCEPTION 'checkpoint 4 refused by the test'; END IF;
            RETURN NEW;
          END $$;
          CREATE TRIGGER refuse_checkpoint_4 BEFORE INSERT ON checkpoints FOR EACH ROW EXECUTE FUNCTION refuse_checkpoint_4()""");
      List<Future<LogWriter.Appended>> queued = behindABlocker(log, () -> List.of(
          log.ledger.writer().append(new Note("first")),
          log.ledger.writer().append(new Note("second"))));
      Future<LogWriter.Appended> first = queued.get(0);
      Future<LogWriter.Appended> second = queued.get(1);
      Exception failure = assertThrows(Exception.class, () -> await(second));
      assertTrue(failure.getMessage().contains("checkpoint 4 refused by the test"), failure.getMessage());
      assertThrows(Exception.class, () -> await(first));
      assertEquals(List.of(), transactionsLeftOpen(log));
      assertEquals(2, assertLogIsSound(log).size(), "no entry of the refused batch was committed");
      execute(log, "DROP TRIGGER refuse_checkpoint_4 ON checkpoints");
      assertEquals(2, await(log.ledger.writer().append(new Note("next"))).seq(), "the writer reloaded its head and went on");
      assertEquals(3, assertLogIsSound(log).size());
    }
  }

  /** The failure is the one FAIL_PROJECTION caused (SQLSTATE 22012), not some other fault of the batch. */
  static void assertDivisionByZero(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof PgException pg && "22012".equals(pg.getSqlState())) {
        return;
      }
    }
    throw new AssertionError("expected the batch to fail with division by zero", failure);
  }

  /** Sessions of the test's database still inside a transaction while no request runs. */
  static List<String> transactionsLeftOpen(TestLedger log) {
    List<String> open = new ArrayList<>();
    await(log.pool.query(
            "SELECT state FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'")
        .execute()).forEach(row -> open.add(row.getString(0)));
    return open;
  }

  static void execute(TestLedger log, String sql) throws Exception {
    try (Connection connection = TestDatabases.jdbc(log.database); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  @Test
  void twoServersWritingOneDatabaseNeverForkTheChain() {
    try (TestLedger first = TestLedger.open(); TestLedger second = first.secondProcess(LogWriter.Limits.DEFAULT)) {
      List<Future<LogWriter.Appended>> appends = new ArrayList<>();
      for (int i = 0; i < 150; i++) {
        appends.add(first.ledger.writer().append(new Note("first " + i)));
        appends.add(second.ledger.writer().append(new Note("second " + i)));
      }
      Set<Long> seqs = new HashSet<>();
      appends.forEach(append -> assertTrue(seqs.add(await(append).seq())));
      assertEquals(301, assertLogIsSound(first).size());
      assertEquals(1, await(first.pool.query("SELECT count(*) FROM entries WHERE type = 'REGISTRY_CREATED'").execute())
          .iterator().next().getLong(0));
    }
  }

  @Test
  void aFullQueueRefusesFastInsteadOfGrowing() throws Exception {
    try (TestLedger log = TestLedger.open(new LogWriter.Limits(1, 2))) {
      Future<LogWriter.Appended> first;
      Future<LogWriter.Appended> second;
      try (Connection lock = holdSequencerLock(log)) {
        first = log.ledger.writer().append(new Note("in flight"));
        awaitWriterBlocked(log);
        second = log.ledger.writer().append(new Note("queued"));
        Future<LogWriter.Appended> third = log.ledger.writer().append(new Note("refused"));
        assertInstanceOf(WriterOverloadedException.class, assertThrows(Exception.class, () -> await(third)));
        WriterMetrics metrics = log.ledger.writer().metrics();
        assertEquals(List.of(1L, 1L, 1L), List.of(metrics.inFlightCommands(), metrics.queuedCommands(), metrics.requestsRefusedOverloaded()),
            "in flight, queued, refused");
      }
      await(first);
      await(second);
      assertEquals(3, assertLogIsSound(log).size());
    }
  }

  @Test
  void aRestartedWriterContinuesTheChainFromTheDatabase() {
    try (TestLedger log = TestLedger.open()) {
      for (int i = 0; i < 300; i++) {
        await(log.ledger.writer().append(new Note("before restart " + i)));
      }
      try (TestLedger restarted = log.secondProcess(LogWriter.Limits.DEFAULT)) {
        assertEquals(301, await(restarted.ledger.writer().append(new Note("after restart"))).seq());
      }
      assertEquals(302, assertLogIsSound(log).size());
    }
  }

  /**
   * A second writer whose clock is an hour behind sequences its entry at the head's time, not before it: entry
   * times never go backwards (statements and feeds select by time, and verifiers check it).
   */
  @Test
  void aWriterWhoseClockIsBehindNeverSequencesAnEntryBeforeTheHead() {
    try (TestLedger log = TestLedger.open()) {
      await(log.ledger.writer().append(new Note("on time")));
      Instant headTime = await(log.ledger.reader().entry(1)).orElseThrow().time();
      LogWriter behind = new LogWriter(log.vertx, log.pool, TestLedger.SIGNER, TestLedger.ORIGIN,
          Clock.fixed(headTime.minusSeconds(3600), ZoneOffset.UTC), LogWriter.Limits.DEFAULT);
      await(behind.append(new Note("from a clock an hour behind")));
      await(behind.append(new Note("again")));
      List<StoredEntry> entries = assertLogIsSound(log);
      assertEquals(List.of(headTime, headTime), List.of(entries.get(2).time(), entries.get(3).time()));
    }
  }

  /**
   * A checkpoint is signed at its batch's time, never before an entry it covers, even when the batch's transaction
   * waited a while for the sequencer lock (PostgreSQL's now() would be the transaction's start, before the wait).
   */
  @Test
  void aCheckpointIsNeverSignedBeforeTheEntriesItCovers() throws Exception {
    try (TestLedger log = TestLedger.open()) {
      Future<LogWriter.Appended> waited;
      try (Connection lock = holdSequencerLock(log)) {
        waited = log.ledger.writer().append(new Note("waited for the lock"));
        awaitWriterBlocked(log);
        Thread.sleep(300);
      }
      long seq = await(waited).seq();
      Instant entryTime = await(log.ledger.reader().entry(seq)).orElseThrow().time();
      Instant signedAt = await(log.pool.preparedQuery("SELECT signed_at FROM checkpoints WHERE tree_size = $1")
          .execute(Tuple.of(seq + 1))).iterator().next().getOffsetDateTime(0).toInstant();
      assertEquals(entryTime, signedAt, "signed at the batch's time");
    }
  }

  @Test
  void aServerWithAnotherOriginOrKeyRefusesTheLog() {
    try (TestLedger log = TestLedger.open()) {
      Throwable wrongOrigin = assertThrows(Exception.class, () -> await(Ledger.open(log.vertx, log.pool,
          org.carbonledger.ledger.NoteSigner.fromSeed("other.example/log", new byte[32]), "other.example/log", LogWriter.Limits.DEFAULT)));
      assertInstanceOf(Ledger.LogIdentityException.class, wrongOrigin);
      assertTrue(wrongOrigin.getMessage().contains("origin '" + TestLedger.ORIGIN + "'"), wrongOrigin.getMessage());
      Throwable wrongKey = assertThrows(Exception.class, () -> await(Ledger.open(log.vertx, log.pool,
          org.carbonledger.ledger.NoteSigner.fromSeed(TestLedger.ORIGIN, new byte[32]), TestLedger.ORIGIN, LogWriter.Limits.DEFAULT)));
      assertInstanceOf(Ledger.LogIdentityException.class, wrongKey);
      assertEquals(1, assertLogIsSound(log).size());
    }
  }
}
