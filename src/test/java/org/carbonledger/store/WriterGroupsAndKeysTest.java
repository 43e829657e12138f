package org.carbonledger.store;

import static org.carbonledger.store.LogWriterTest.assertLogIsSound;
import static org.carbonledger.store.LogWriterTest.awaitWriterBlocked;
import static org.carbonledger.store.LogWriterTest.behindABlocker;
import static org.carbonledger.store.LogWriterTest.holdSequencerLock;
import static org.carbonledger.store.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.carbonledger.registry.RegistryState;
import org.carbonledger.ledger.Hashes;
import org.carbonledger.store.TestLedger.Note;
import org.carbonledger.store.TestLedger.Note.Behaviour;
import org.junit.jupiter.api.Test;

/**
 * WriterGroupsAndKeysTest checks the writer's idempotency keys and all-or-nothing groups against a real
 * PostgreSQL, with the sequencer lock held from outside so that the requests of each case share one batch:
 * two identical keyed requests make one entry, a conflicting key is refused, and a failed group leaves nothing
 * of itself (entries, projections, tree) while the rest of its batch commits on a sound chain.
 */
class WriterGroupsAndKeysTest {

  private static final String PRINCIPAL = "K0123456789abcdef";

  private static IdempotencyKey key(String key, String request) {
    return new IdempotencyKey(PRINCIPAL, key, Hashes.sha256(request.getBytes(StandardCharsets.UTF_8)));
  }

  /** Counted is a test command whose projection writes a row, so a rolled-back group can be seen to leave none. */
  private record Counted(String text, boolean reject) implements LedgerCommand {
    @Override
    public String type() {
      return "TEST_NOTE";
    }

    @Override
    public Future<Map<String, Object>> decide(SqlConnection transaction, RegistryState registry, Instant time) {
      return reject ? Future.failedFuture(new CommandRejectedException("TEST_REJECTED", text + " rejected on purpose"))
          : Future.succeededFuture(Map.of("text", text));
    }

    @Override
    public Future<Void> project(SqlConnection transaction, ProjectionBatch batch, long seq, Map<String, Object> data) {
      return transaction.preparedQuery("INSERT INTO group_test (seq, text) VALUES ($1, $2)").execute(Tuple.of(seq, text)).mapEmpty();
    }
  }

  private static long count(TestLedger log, String sql) {
    return await(log.pool.query(sql).execute()).iterator().next().getLong(0);
  }

  @Test
  void twoIdenticalKeyedCommandsInOneBatchMakeOneEntry() throws Exception {
    try (TestLedger log = TestLedger.open()) {
      List<Future<LogWriter.Appended>> queued = behindABlocker(log, () -> List.of(
          log.ledger.writer().append(new Note("once"), key("k-1", "once")),
          log.ledger.writer().append(new Note("once"), key("k-1", "once")),
          log.ledger.writer().append(new Note("other"), key("k-1", "other"))));
      Future<LogWriter.Appended> first = queued.get(0);
      Future<LogWriter.Appended> second = queued.get(1);
      Future<LogWriter.Appended> conflicting = queued.get(2);
      LogWriter.Appended original = await(first);
      LogWriter.Appended repeat = await(second);
      assertEquals(original.seq(), repeat.seq());
      assertArrayEquals(original.leafHash(), repeat.leafHash());
      CommandRejectedException conflict = assertThrows(CommandRejectedException.class, () -> await(conflicting));
      assertEquals("IDEMPOTENCY_CONFLICT", conflict.code());
      assertEquals(3, assertLogIsSound(log).size(), "entry 0, the blocker and one keyed note");
      assertEquals(1, count(log, "SELECT count(*) FROM idempotency_keys"));
      // A later batch reads the key from the table and answers the same entry, with a checkpoint covering it.
      LogWriter.Appended later = await(log.ledger.writer().append(new Note("once"), key("k-1", "once")));
      assertEquals(original.seq(), later.seq());
      assertEquals(3, later.treeSize());
      assertEquals(3, assertLogIsSound(log).size());
      assertEquals(1, log.ledger.writer().metrics().requestsRejected(), "the conflict only: answering a repeat refuses nothing");
      assertEquals(Map.of("IDEMPOTENCY_CONFLICT", 1L), log.ledger.writer().metrics().requestsRejectedByCode());
    }
  }

  @Test
  void aRejectedKeyedCommandStoresNoKeyAndItsRetryIsEvaluatedAgain() {
    try (TestLedger log = TestLedger.open()) {
      assertThrows(CommandRejectedException.class,
          () -> await(log.ledger.writer().append(new Note("no", Behaviour.REJECT), key("k-2", "no"))));
      assertEquals(0, count(log, "SELECT count(*) FROM idempotency_keys"));
      // The same key may now name another request: nothing was recorded for the rejected one.
      assertEquals(1, await(log.ledger.writer().append(new Note("yes"), key("k-2", "yes"))).seq());
    }
  }

  @Test
  void aFailedGroupInsideABatchLeavesNothingAndTheRestCommits() throws Exception {
    try (TestLedger log = TestLedger.open()) {
      await(log.pool.query("CREATE TABLE group_test (seq bigint PRIMARY KEY, text text NOT NULL)").execute());
      WriterMetrics metrics = log.ledger.writer().metrics();
      long commandsBefore = metrics.batchCommands();
      long appendedBefore = metrics.entriesAppended();
      Future<LogWriter.Appended> before;
      Future<List<LogWriter.Appended>> failed;
      Future<List<LogWriter.Appended>> settled;
      Future<LogWriter.Appended> after;
      try (Connection lock = holdSequencerLock(log)) {
        Future<LogWriter.Appended> blocker = log.ledger.writer().append(new Note("blocker"));
        awaitWriterBlocked(log);
        before = log.ledger.writer().append(new Counted("before", false));
        failed = log.ledger.writer().appendAll(List.of(new Counted("a", false), new Counted("b", true),
            new Counted("c", false), new Counted("d", true)), key("group-1", "abcd"));
        settled = log.ledger.writer().appendAll(List.of(new Counted("e", false), new Counted("f", false)), key("group-2", "ef"));
        after = log.ledger.writer().append(new Counted("after", false));
        blocker.onComplete(ignored -> { });
      }
      assertEquals(2, await(before).seq());
      GroupRejectedException rejected = assertThrows(GroupRejectedException.class, () -> await(failed));
      assertEquals(List.of(new GroupRejectedException.ItemRejection(1, "TEST_REJECTED", "b rejected on purpose"),
          new GroupRejectedException.ItemRejection(3, "TEST_REJECTED", "d rejected on purpose")), rejected.rejections());
      assertEquals(List.of(3L, 4L), await(settled).stream().map(LogWriter.Appended::seq).toList(), "contiguous, after the failed group");
      assertEquals(5, await(after).seq(), "the failed group took no seq");
      assertEquals(List.of(9L, 5L, 1L), List.of(metrics.batchCommands() - commandsBefore, metrics.entriesAppended() - appendedBefore,
          metrics.requestsRejected()), "commands of the two batches (each of a group's counts), entries, requests rejected (a group once)");
      assertEquals(Map.of("TEST_REJECTED", 1L), metrics.requestsRejectedByCode(), "a group once, under its first item's code");
      assertEquals(6, assertLogIsSound(log).size());
      assertEquals(4, count(log, "SELECT count(*) FROM group_test"), "the failed group's projections rolled back");
      assertEquals(0, count(log, "SELECT count(*) FROM group_test WHERE text IN ('a', 'c')"));
      assertEquals(1, count(log, "SELECT count(*) FROM idempotency_keys"), "only the written group's key");
      // The written group's key answers both its entries again; the failed group's key is free.
      assertEquals(List.of(3L, 4L), await(log.ledger.writer().appendAll(List.of(new Counted("e", false), new Counted("f", false)),
          key("group-2", "ef"))).stream().map(LogWriter.Appended::seq).toList());
      assertEquals(List.of(6L), await(log.ledger.writer().appendAll(List.of(new Counted("g", false)), key("group-1", "g")))
          .stream().map(LogWriter.Appended::seq).toList());
      assertEquals(7, assertLogIsSound(log).size());
    }
  }
}
