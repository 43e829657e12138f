package org.carbonledger.store;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.carbonledger.ledger.Checkpoint;
import org.carbonledger.ledger.CompactRange;
import org.carbonledger.ledger.EntryCodec;
import org.carbonledger.ledger.EntryTooLargeException;
import org.carbonledger.ledger.Hashes;
import org.carbonledger.ledger.Hex;
import org.carbonledger.ledger.LedgerEntry;
import org.carbonledger.ledger.NodeId;
import org.carbonledger.ledger.NoteSigner;
import org.carbonledger.ledger.TreeMath;
import org.carbonledger.ledger.TreeNode;

/**
 * LogWriter is the sequencer: the one place that appends entries. Commands join a bounded queue; the writer
 * takes up to {@code batchSizeMax} of them and, in one transaction, runs each command's rules, appends the
 * accepted entries, stores the subtree hashes that completed, and signs a checkpoint of the new size. It
 * commits once, then completes every caller of the batch. While one batch commits the next one gathers,
 * so under load many commands share one fsync (group commit).
 *
 * <p>Callers MAY assume: a returned future succeeds only after its entry and a checkpoint covering it are
 * durably committed; a rejected command wrote nothing; a failed future for any other reason means the
 * whole batch rolled back and nothing of the command is in the log, except when the connection to PostgreSQL
 * is lost after the batch's COMMIT went out: then the outcome is unknown, and a retry under the same
 * idempotency key answers with the entry if it was committed.
 *
 * <p>Every batch takes a PostgreSQL advisory transaction lock and re-reads the head of the log, so two
 * servers writing to one database take turns instead of forking the chain; the entries trigger and the
 * primary key refuse a fork even if that were bypassed. All writer state lives on one Vert.x context.
 *
 * <p>A request may carry an {@link IdempotencyKey}: the batch reads the stored keys it names in one query under
 * the lock, answers a repeat with the original entries, and inserts new keys with the entries, in the same
 * transaction. A group ({@link #appendAll}) runs under a savepoint inside the batch and is written whole or not
 * at all; a failed group restores the in-memory tree and the batch's pending rows to where they stood before it.
 */
public final class LogWriter {

  /** Limits of the writer: the most commands per transaction and the most waiting before refusing. */
  public record Limits(int batchSizeMax, int outstandingMax) {
    public static final Limits DEFAULT = new Limits(500, 10_000);

    public Limits {
      if (batchSizeMax < 1 || outstandingMax < batchSizeMax) {
        throw new IllegalArgumentException("need 1 <= batchSizeMax <= outstandingMax, got " + batchSizeMax + ", " + outstandingMax);
      }
    }
  }

  /** Appended is the durable result of one accepted command. */
  public record Appended(long seq, byte[] leafHash, byte[] entryBytes, String type, long treeSize, String signedCheckpoint) {

    Appended coveredBy(long treeSize, String signedCheckpoint) {
      return new Appended(seq, leafHash, entryBytes, type, treeSize, signedCheckpoint);
    }
  }

  /** Any constant; every process that writes this database uses the same one. */
  static final long SEQUENCER_LOCK_KEY = 0x43415242304e4c47L;

  private static final Logger LOG = Logger.getLogger(LogWriter.class.getName());

  private final Pool pool;
  private final Context context;
  private final NoteSigner signer;
  private final String origin;
  private final Clock clock;
  private final Limits limits;

  private final List<Consumer<List<Appended>>> committedListeners = new CopyOnWriteArrayList<>();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  /** Commands in {@link #queue} (a group counts each of its commands). */
  private int queuedCommands;
  /** Commands in the batch being written. */
  private int inFlight;
  private boolean flushing;
  /** The head as of the last commit of this writer; null when it must be reloaded from the database. */
  private Head head;
  /** The registry the commands are decided on, replayed from the log. */
  private final WriterRegistry registry = new WriterRegistry();
  private final WriterMetrics metrics = new WriterMetrics();

  /**
   * Pending is one request waiting for the writer: one command, or an all-or-nothing group ({@code atomic}),
   * with its idempotency key or null. Its promise gets the entries written (or replayed), in order.
   */
  private record Pending(List<LedgerCommand> commands, boolean atomic, IdempotencyKey key, Promise<List<Appended>> promise) {}

  /** Head is what the writer keeps between batches: the right edge of the tree and the last entry. */
  private static final class Head {
    CompactRange tree;
    byte[] lastLeafHash;
    Instant lastTime;

    Head(CompactRange tree, byte[] lastLeafHash, Instant lastTime) {
      this.tree = tree;
      this.lastLeafHash = lastLeafHash;
      this.lastTime = lastTime;
    }

    long size() {
      return tree.size();
    }
  }

  public LogWriter(Vertx vertx, Pool pool, NoteSigner signer, String origin, Clock clock, Limits limits) {
    this.pool = pool;
    this.context = vertx.getOrCreateContext();
    this.signer = signer;
    this.origin = origin;
    this.clock = clock;
    this.limits = limits;
  }

  /** Queues a command; see the class comment for what the returned future means. */
  public Future<Appended> append(LedgerCommand command) {
    return append(command, null);
  }

  /**
   * Queues a command under an idempotency key (null for none). When the key's scope already names a committed
   * request with the same fingerprint, the future carries that request's entry and nothing is appended; with
   * another fingerprint it fails with CommandRejectedException IDEMPOTENCY_CONFLICT. Otherwise the command runs
   * as with {@link #append(LedgerCommand)}, and an accepted one's key is stored in the transaction of its entry.
   * A rejected command stores no key, so its retry is evaluated again.
   */
  public Future<Appended> append(LedgerCommand command, IdempotencyKey key) {
    return enqueue(List.of(command), false, key).map(appended -> appended.get(0));
  }

  /**
   * Queues an all-or-nothing group. Its commands run in order in one batch, each seeing the effects of those
   * before it; each accepted one is its own entry, and the group's seqs are contiguous. If any command is
   * rejected, none of the group is written (its projections roll back to a savepoint) and the future fails with
   * GroupRejectedException naming every rejected command; the rest of the batch is unaffected. The key works as
   * for {@link #append(LedgerCommand, IdempotencyKey)} and names all the group's entries.
   */
  public Future<List<Appended>> appendAll(List<LedgerCommand> commands, IdempotencyKey key) {
    if (commands.isEmpty() || commands.size() > limits.outstandingMax()) {
      return Future.failedFuture(new IllegalArgumentException(
          "a group has 1 to " + limits.outstandingMax() + " commands, got " + commands.size()));
    }
    return enqueue(List.copyOf(commands), true, key);
  }

  private Future<List<Appended>> enqueue(List<LedgerCommand> commands, boolean atomic, IdempotencyKey key) {
    Promise<List<Appended>> promise = Promise.promise();
    context.runOnContext(ignored -> {
      if (queuedCommands + inFlight + commands.size() > limits.outstandingMax()) {
        metrics.refusedOverloaded();
        promise.fail(new WriterOverloadedException(limits.outstandingMax()));
        return;
      }
      queue.add(new Pending(commands, atomic, key, promise));
      queuedCommands += commands.size();
      metrics.waiting(queuedCommands, inFlight);
      flushIfIdle();
    });
    return promise.future();
  }

  /** What this writer has done and holds, for an operator's metrics. */
  public WriterMetrics metrics() {
    return metrics;
  }

  /**
   * Adds a listener that hears of every commit of this writer: after each successful commit it is called on
   * the writer's context with the batch's accepted entries, in seq order (never an empty list). It is called
   * after the batch's callers are completed, so an acknowledgement never waits for a listener and never
   * fails because of one.
   *
   * <p>A listener MUST return quickly and MUST NOT block: it runs on the writer's event loop, so it should
   * hand the entries to another context. It MUST NOT change them. One that throws is logged and the writer
   * goes on. Entries that another process writes to the same database are not announced here.
   */
  public void onCommitted(Consumer<List<Appended>> listener) {
    committedListeners.add(listener);
  }

  private void announce(List<Appended> accepted) {
    if (accepted.isEmpty()) {
      return;
    }
    for (Consumer<List<Appended>> listener : committedListeners) {
      try {
        listener.accept(accepted);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "writer.listener_failed entries=" + accepted.size() + " error=\"" + e.getMessage() + "\"", e);
      }
    }
  }

  private void flushIfIdle() {
    if (flushing || queue.isEmpty()) {
      return;
    }
    flushing = true;
    List<Pending> batch = new ArrayList<>(Math.min(queue.size(), limits.batchSizeMax()));
    int commandCount = 0;
    // A group is never split: it joins a batch whole, or forms one alone when it is larger than batchSizeMax.
    while (!queue.isEmpty() && (batch.isEmpty() || commandCount + queue.peek().commands().size() <= limits.batchSizeMax())) {
      Pending next = queue.poll();
      batch.add(next);
      commandCount += next.commands().size();
    }
    queuedCommands -= commandCount;
    inFlight = commandCount;
    metrics.waiting(queuedCommands, inFlight);
    int batchCommands = commandCount;
    long started = System.nanoTime();
    BatchResult result = new BatchResult(batch.size());
    pool.getConnection().compose(transaction -> endingTransaction(transaction, runGuarded(transaction, batch, result), result))
        .onComplete(outcome -> {
          // The batch has ended: no longer in flight, before its callers hear of it.
          inFlight = 0;
          metrics.waiting(queuedCommands, inFlight);
          if (outcome.succeeded()) {
            head = outcome.result();
            registry.committed(head.size(), head.lastLeafHash);
            registry.state().release();
            metrics.batchCommitted(batchCommands, result.fresh.size(), result.rejectionsByCode(), System.nanoTime() - started);
            announce(result.complete(batch, head.size()));
          } else {
            metrics.batchFailed(System.nanoTime() - started);
            head = null;
            if (result.registryMark >= 0) {
              registry.state().rollbackTo(result.registryMark);
            }
            registry.state().release();
            LOG.warning("writer.batch_failed commands=" + batch.size() + " error=\"" + outcome.cause().getMessage() + "\"");
            batch.forEach(pending -> pending.promise().tryFail(outcome.cause()));
          }
          flushing = false;
          flushIfIdle();
        });
  }

  /**
   * Runs one batch as one transaction on {@code transaction}, a connection of its own. BEGIN goes out with the
   * lock and COMMIT right behind the batch's inserts, without waiting for their answers: PostgreSQL runs a
   * connection's statements in the order sent, and turns the COMMIT of a transaction that a failed statement
   * aborted into a rollback. So a batch costs two round trips to the database instead of four; the returned
   * future succeeds only if every statement, the COMMIT included, did.
   */
  private Future<Head> runBatch(SqlConnection transaction, List<Pending> batch, BatchResult result) {
    Future<Head> loaded = lockAndLoadHead(transaction);
    // Sent right behind the lock, so read while holding it, in the same round trip.
    Future<Map<IdempotencyKey.Scope, IdempotencyRows.Recorded>> storedKeys = IdempotencyRows.fetch(transaction, scopes(batch));
    return loaded.compose(head -> storedKeys.compose(stored -> {
          result.storedKeys = stored;
          return decideAll(transaction, batch, head, result);
        }))
        .compose(decided -> write(transaction, decided, result));
  }

  /** runBatch, with a throw turned into a failed batch, so that its connection is still rolled back and returned. */
  private Future<Head> runGuarded(SqlConnection transaction, List<Pending> batch, BatchResult result) {
    try {
      return runBatch(transaction, batch, result);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * Returns the connection to the pool once the batch's transaction has ended: committed, turned into a rollback
   * by its COMMIT, or rolled back here when the batch failed before sending its COMMIT (a pooled connection
   * must never be handed out inside a transaction).
   */
  private static Future<Head> endingTransaction(SqlConnection transaction, Future<Head> batch, BatchResult result) {
    return batch.transform(outcome -> {
      Future<?> ended = result.commitSent != null ? result.commitSent : transaction.query("ROLLBACK").execute();
      return ended.transform(ignored -> transaction.close()).transform(ignored -> batch);
    });
  }

  /**
   * Changes whenever the writer found that the database's log is not the one it had replayed (it then replays
   * it from entry 0). Anything cached from the registry's tables before may name other things now.
   */
  public long registryGeneration() {
    return registry.restarts();
  }

  /**
   * Replays the log into the writer's registry before the first batch, outside any transaction, so that the
   * first batch (under the sequencer lock) only has the entries since to catch up. Commands queued meanwhile wait.
   */
  public Future<Void> loadRegistry() {
    Promise<Void> loaded = Promise.promise();
    context.runOnContext(ignored -> {
      if (flushing) {
        loaded.complete(); // a batch is running: it catches up under the lock itself
        return;
      }
      flushing = true;
      long started = System.nanoTime();
      pool.query("SELECT coalesce(max(seq) + 1, 0) FROM entries").execute()
          .compose(rows -> registry.catchUp(pool, rows.iterator().next().getLong(0)))
          .onComplete(outcome -> {
            if (outcome.succeeded()) {
              LOG.info("writer.registry_loaded entries=" + registry.size() + " ms=" + (System.nanoTime() - started) / 1_000_000);
            }
            flushing = false;
            flushIfIdle();
            loaded.handle(outcome);
          });
    });
    return loaded.future();
  }

  /**
   * Begins the transaction, takes the sequencer lock for it, makes sure {@link #head} is the database's head,
   * and catches the registry up to it.
   */
  private Future<Head> lockAndLoadHead(SqlConnection transaction) {
    return lockAndReadHead(transaction).compose(loaded -> registry.catchUp(transaction, loaded.size()).map(loaded));
  }

  private Future<Head> lockAndReadHead(SqlConnection transaction) {
    // The lock is taken inside the transaction and the head read after it is held (statements run in the order
    // sent), all in one round trip. Nothing is written unless all three succeeded: without the BEGIN, the lock
    // would end with its own statement and every insert would commit alone.
    // Prepared, so PostgreSQL plans them once per connection, not once per batch.
    Future<?> begun = transaction.query("BEGIN").execute();
    Future<?> locked = transaction.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(SEQUENCER_LOCK_KEY));
    Future<RowSet<Row>> newest = transaction.preparedQuery("SELECT seq, leaf_hash, entry_time FROM entries ORDER BY seq DESC LIMIT 1").execute();
    return Future.all(begun, locked, newest).map(all -> newest.result())
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(new Head(CompactRange.empty(), null, Instant.EPOCH));
          }
          Row last = rows.iterator().next();
          long size = last.getLong("seq") + 1;
          byte[] lastHash = last.getBuffer("leaf_hash").getBytes();
          if (head != null && head.size() == size && Arrays.equals(head.lastLeafHash, lastHash)) {
            return Future.succeededFuture(head);
          }
          Instant lastTime = last.getOffsetDateTime("entry_time").toInstant();
          List<NodeId> edge = TreeMath.completeSubtrees(0, size);
          return TreeNodes.fetch(transaction, edge).map(hashes -> {
            List<byte[]> ordered = new ArrayList<>(edge.size());
            edge.forEach(node -> ordered.add(hashes.get(node)));
            return new Head(CompactRange.restore(size, ordered), lastHash, lastTime);
          });
        });
  }

  /** EntryRow is one row of the entries table, as the batch will insert it. */
  private record EntryRow(long seq, byte[] leafHash, byte[] prevHash, String type, OffsetDateTime time, byte[] body) {}

  /** The savepoint a group runs under inside its batch's transaction. */
  private static final String GROUP_SAVEPOINT = "ledger_group";

  /**
   * BatchResult collects what each request of a batch came to, in batch order: a {@code List<Appended>} (its
   * entries, new or replayed) or the Throwable it failed with; and the rows the batch will insert.
   */
  private static final class BatchResult {
    final Object[] outcomes;
    /** The entries this batch appends, in seq order. */
    final List<Appended> fresh = new ArrayList<>();
    final List<EntryRow> entryRows = new ArrayList<>();
    /** The subtree hashes of height >= 1 that the batch's entries completed. */
    final List<TreeNode> nodeRows = new ArrayList<>();
    final List<Tuple> keyRows = new ArrayList<>();
    /** The batch's changes to blocks, movements and transfers, sent with its entries. */
    final ProjectionBatch projection = new ProjectionBatch();
    /** Keys stored by earlier batches, as fetched for this one (under the lock); then the keys this batch adds. */
    Map<IdempotencyKey.Scope, IdempotencyRows.Recorded> storedKeys = Map.of();
    /** The registry's mark before the batch's first command, or -1 before it is taken. */
    int registryMark = -1;
    final Map<IdempotencyKey.Scope, IdempotencyRows.Recorded> batchKeys = new HashMap<>();
    boolean replayed;
    String signedCheckpoint;
    /** The batch's COMMIT, once sent. */
    Future<?> commitSent;

    BatchResult(int size) {
      outcomes = new Object[size];
    }

    IdempotencyRows.Recorded recorded(IdempotencyKey.Scope scope) {
      IdempotencyRows.Recorded recorded = batchKeys.get(scope);
      return recorded != null ? recorded : storedKeys.get(scope);
    }

    /** Records that {@code key}'s request wrote {@code appended}: later requests of the batch see it at once. */
    void record(IdempotencyKey key, List<Appended> appended) {
      batchKeys.put(key.scope(), new IdempotencyRows.Recorded(key.requestHash(), appended));
      keyRows.add(IdempotencyRows.row(key, appended));
    }

    /** Mark is the writer's state before a group: what {@link #reset} restores when the group fails. */
    record Mark(int fresh, int entryRows, int nodeRows, ProjectionBatch.Mark projection, long treeSize, List<byte[]> treeHashes,
                byte[] lastLeafHash, Instant lastTime) {}

    Mark mark(Head loaded) {
      return new Mark(fresh.size(), entryRows.size(), nodeRows.size(), projection.mark(), loaded.size(), loaded.tree.hashes(),
          loaded.lastLeafHash, loaded.lastTime);
    }

    void reset(Mark mark, Head loaded) {
      projection.reset(mark.projection());
      fresh.subList(mark.fresh(), fresh.size()).clear();
      entryRows.subList(mark.entryRows(), entryRows.size()).clear();
      nodeRows.subList(mark.nodeRows(), nodeRows.size()).clear();
      loaded.tree = CompactRange.restore(mark.treeSize(), mark.treeHashes());
      loaded.lastLeafHash = mark.lastLeafHash();
      loaded.lastTime = mark.lastTime();
    }

    /** How many requests of the batch a rule refused, by code (a group counts once, under its first item's). */
    Map<String, Integer> rejectionsByCode() {
      Map<String, Integer> rejected = new HashMap<>();
      for (Object outcome : outcomes) {
        if (outcome instanceof CommandRejectedException command) {
          rejected.merge(command.code(), 1, Integer::sum);
        } else if (outcome instanceof GroupRejectedException group) {
          rejected.merge(group.rejections().get(0).code(), 1, Integer::sum);
        }
      }
      return rejected;
    }

    /** Completes every caller of the batch and returns the entries it appended, in seq order. */
    List<Appended> complete(List<Pending> batch, long treeSize) {
      Map<Long, Appended> committed = new HashMap<>();
      List<Appended> accepted = new ArrayList<>(fresh.size());
      for (Appended appended : fresh) {
        Appended covered = appended.coveredBy(treeSize, signedCheckpoint);
        committed.put(covered.seq(), covered);
        accepted.add(covered);
      }
      for (int i = 0; i < batch.size(); i++) {
        if (outcomes[i] instanceof List<?> entries) {
          List<Appended> answer = new ArrayList<>(entries.size());
          for (Object entry : entries) {
            Appended appended = (Appended) entry;
            answer.add(committed.getOrDefault(appended.seq(), appended.coveredBy(treeSize, signedCheckpoint)));
          }
          batch.get(i).promise().complete(List.copyOf(answer));
        } else {
          batch.get(i).promise().fail((Throwable) outcomes[i]);
        }
      }
      return List.copyOf(accepted);
    }
  }

  /** The idempotency scopes of a batch's keyed requests. */
  private static Set<IdempotencyKey.Scope> scopes(List<Pending> batch) {
    Set<IdempotencyKey.Scope> scopes = new HashSet<>();
    batch.stream().filter(pending -> pending.key() != null).forEach(pending -> scopes.add(pending.key().scope()));
    return scopes;
  }

  private Future<Head> decideAll(SqlConnection transaction, List<Pending> batch, Head loaded, BatchResult result) {
    // One time for the whole batch, never before the last entry's: entry times do not go backwards. Truncated here
    // to the microseconds the entry and the database keep, so both are written from the same instant.
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    Instant time = now.isAfter(loaded.lastTime) ? now : loaded.lastTime;
    result.registryMark = registry.state().mark();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < batch.size(); i++) {
      int index = i;
      Pending pending = batch.get(i);
      chain = chain.compose(previous -> decidePending(transaction, pending, loaded, time, result)
          .map(outcome -> {
            result.outcomes[index] = outcome;
            return null;
          }));
    }
    return chain.map(done -> loaded);
  }

  /** What one request comes to: its entries (new, or replayed for a known key) or its rejection. */
  private Future<Object> decidePending(SqlConnection transaction, Pending pending, Head loaded, Instant time, BatchResult result) {
    IdempotencyKey key = pending.key();
    IdempotencyRows.Recorded recorded = key == null ? null : result.recorded(key.scope());
    if (recorded != null) {
      result.replayed = true;
      return Future.succeededFuture(recorded.answer(key));
    }
    Future<Object> decided = pending.atomic()
        ? decideGroup(transaction, pending.commands(), loaded, time, result)
        : decideOne(transaction, pending.commands().get(0), loaded, time, result)
            .map(outcome -> outcome instanceof Appended appended ? List.of(appended) : outcome);
    return decided.map(outcome -> {
      if (key != null && outcome instanceof List<?> entries) {
        result.record(key, entries.stream().map(Appended.class::cast).toList());
      }
      return outcome;
    });
  }

  /**
   * Runs a group under a savepoint: every command is decided (each seeing those accepted before it) so that
   * every failing one is named; if any failed, the projections roll back to the savepoint, and the batch's
   * rows, the in-memory head and the registry are restored to where they stood before the group.
   */
  private Future<Object> decideGroup(SqlConnection transaction, List<LedgerCommand> commands, Head loaded, Instant time,
                                     BatchResult result) {
    BatchResult.Mark mark = result.mark(loaded);
    int registryMark = registry.state().mark();
    Object[] outcomes = new Object[commands.size()];
    Future<Void> chain = transaction.query("SAVEPOINT " + GROUP_SAVEPOINT).execute().mapEmpty();
    for (int i = 0; i < commands.size(); i++) {
      int index = i;
      chain = chain.compose(previous -> decideOne(transaction, commands.get(index), loaded, time, result)
          .map(outcome -> {
            outcomes[index] = outcome;
            return null;
          }));
    }
    return chain.compose(done -> {
      List<GroupRejectedException.ItemRejection> rejections = new ArrayList<>();
      List<Appended> appended = new ArrayList<>(outcomes.length);
      for (int i = 0; i < outcomes.length; i++) {
        if (outcomes[i] instanceof CommandRejectedException rejected) {
          rejections.add(new GroupRejectedException.ItemRejection(i, rejected.code(), rejected.getMessage()));
        } else {
          appended.add((Appended) outcomes[i]);
        }
      }
      if (rejections.isEmpty()) {
        return transaction.query("RELEASE SAVEPOINT " + GROUP_SAVEPOINT).execute().map(released -> (Object) List.copyOf(appended));
      }
      return transaction.query("ROLLBACK TO SAVEPOINT " + GROUP_SAVEPOINT).execute().map(rolledBack -> {
        result.reset(mark, loaded);
        registry.state().rollbackTo(registryMark);
        return (Object) new GroupRejectedException(rejections);
      });
    });
  }

  /** Decides one command: its Appended, or the CommandRejectedException of the rule it broke. */
  private Future<Object> decideOne(SqlConnection transaction, LedgerCommand command, Head loaded, Instant time, BatchResult result) {
    return command.decide(transaction, registry.state(), time).transform(decided -> {
      if (decided.failed()) {
        return decided.cause() instanceof CommandRejectedException rejected
            ? Future.succeededFuture(rejected) : Future.failedFuture(decided.cause());
      }
      return sequence(transaction, command, decided.result(), loaded, time, result);
    });
  }

  /** Gives an accepted command its seq, encodes and hashes its entry, and runs its projection. */
  private Future<Object> sequence(SqlConnection transaction, LedgerCommand command, Map<String, Object> data,
                                  Head loaded, Instant time, BatchResult result) {
    long seq = loaded.size();
    String prev = loaded.lastLeafHash == null ? LedgerEntry.ZERO_HASH_HEX : Hex.encode(loaded.lastLeafHash);
    byte[] bytes;
    try {
      bytes = EntryCodec.encode(new LedgerEntry(seq, prev, time, command.type(), data));
    } catch (EntryTooLargeException e) {
      return Future.succeededFuture(new CommandRejectedException(org.carbonledger.registry.RejectCode.ENTRY_TOO_LARGE.name(), e.getMessage()));
    }
    byte[] leafHash = Hashes.leafHash(bytes);
    for (TreeNode node : loaded.tree.append(leafHash)) {
      if (node.id().level() > 0) {
        result.nodeRows.add(node);
      }
    }
    result.entryRows.add(new EntryRow(seq, leafHash, Hex.decode(prev), command.type(), time.atOffset(ZoneOffset.UTC), bytes));
    Appended appended = new Appended(seq, leafHash, bytes, command.type(), 0, null);
    result.fresh.add(appended);
    loaded.lastLeafHash = leafHash;
    loaded.lastTime = time;
    try {
      registry.applySequenced(command.type(), data);
    } catch (IllegalStateException e) {
      // The rules accepted what the replay refuses: a bug, never the caller's fault. The batch rolls back.
      return Future.failedFuture(new IllegalStateException("entry " + seq + " does not fit the registry: " + e.getMessage(), e));
    }
    return command.project(transaction, result.projection, seq, data).map(projected -> appended);
  }

  /**
   * Inserts the batch's entries, subtree hashes, signed checkpoint and idempotency keys, sends its projection
   * batch, and commits.
   */
  private Future<Head> write(SqlConnection transaction, Head loaded, BatchResult result) {
    if (result.entryRows.isEmpty()) {
      // Only replays (or nothing) to answer: the latest checkpoint already covers their entries.
      if (!result.replayed) {
        return commit(transaction, result).map(committed -> loaded);
      }
      Future<RowSet<Row>> covering =
          transaction.preparedQuery("SELECT signed_note FROM checkpoints WHERE tree_size = $1").execute(Tuple.of(loaded.size()));
      return Future.all(covering, commit(transaction, result)).map(both -> {
        RowSet<Row> rows = covering.result();
        result.signedCheckpoint = rows.size() == 0 ? null : rows.iterator().next().getString("signed_note");
        return loaded;
      });
    }
    Checkpoint checkpoint = new Checkpoint(origin, loaded.size(), loaded.tree.root());
    result.signedCheckpoint = signer.sign(checkpoint.format());
    // Sent together with the COMMIT: PostgreSQL runs a connection's statements in the order sent, so this is one
    // round trip, and if one fails the transaction is aborted and every later one fails with it.
    // One statement per table rather than one per row: PostgreSQL starts its executor once, not per entry. The
    // entries go in seq order, the order the chain trigger checks them in.
    List<Future<?>> inserts = new ArrayList<>(5);
    List<EntryRow> entries = result.entryRows;
    inserts.add(transaction.preparedQuery("""
            INSERT INTO entries (seq, leaf_hash, prev_hash, type, entry_time, body)
            SELECT * FROM unnest($1::bigint[], $2::bytea[], $3::bytea[], $4::text[], $5::timestamptz[], $6::bytea[])
                       AS e(seq, leaf_hash, prev_hash, type, entry_time, body)
             ORDER BY seq""")
        .execute(Tuple.of(
            entries.stream().map(EntryRow::seq).toArray(Long[]::new),
            entries.stream().map(row -> Buffer.buffer(row.leafHash())).toArray(Buffer[]::new),
            entries.stream().map(row -> Buffer.buffer(row.prevHash())).toArray(Buffer[]::new),
            entries.stream().map(EntryRow::type).toArray(String[]::new),
            entries.stream().map(EntryRow::time).toArray(OffsetDateTime[]::new),
            entries.stream().map(row -> Buffer.buffer(row.body())).toArray(Buffer[]::new))));
    List<TreeNode> nodes = result.nodeRows;
    if (!nodes.isEmpty()) {
      inserts.add(transaction.preparedQuery("""
              INSERT INTO tree_nodes (level, idx, hash)
              SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])""")
          .execute(Tuple.of(
              nodes.stream().map(node -> (short) node.id().level()).toArray(Short[]::new),
              nodes.stream().map(node -> node.id().index()).toArray(Long[]::new),
              nodes.stream().map(node -> Buffer.buffer(node.hash())).toArray(Buffer[]::new))));
    }
    // Signed at the batch's time, the time of its entries: never before an entry it covers, from one clock (the
    // database's now() is its transaction's start, taken before the lock wait).
    OffsetDateTime signedAt = result.entryRows.get(result.entryRows.size() - 1).time();
    inserts.add(transaction.preparedQuery("INSERT INTO checkpoints (tree_size, root_hash, signed_note, signed_at) VALUES ($1, $2, $3, $4)")
        .execute(Tuple.of(loaded.size(), Buffer.buffer(loaded.tree.root()), result.signedCheckpoint, signedAt)));
    inserts.add(IdempotencyRows.insert(transaction, result.keyRows));
    inserts.add(result.projection.send(transaction));
    if (inserts.stream().noneMatch(Future::failed)) { // a statement the client refused never reached PostgreSQL
      inserts.add(commit(transaction, result));
    }
    return Future.all(inserts).map(inserted -> loaded);
  }

  /**
   * Sends COMMIT behind the statements already sent, without waiting for them. If one of them failed, PostgreSQL
   * answers this COMMIT by rolling back; the batch then fails with that statement's error. So whatever a batch
   * must check of its inserts' results has to fail in the database (ProjectionBatch's balance update does): a
   * check made here once a statement answered would come after the commit. For the same reason every statement
   * of the batch must reach PostgreSQL. The client refuses, without sending it, one whose parameters do not fit
   * the statement's types: at once for a statement the connection has prepared before (then no COMMIT is sent,
   * see write), but only once its preparation answers on a connection's first use of it, behind which this
   * COMMIT waits and then goes out. The parameters have the same Java types in every batch, so such a refusal
   * is a bug that every test of the writer meets, never something the data can cause.
   */
  private static Future<?> commit(SqlConnection transaction, BatchResult result) {
    result.commitSent = transaction.query("COMMIT").execute();
    return result.commitSent;
  }
}
