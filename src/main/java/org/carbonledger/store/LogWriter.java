package org.carbonledger.store;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
 * whole batch rolled back and nothing of the command is in the log.
 *
 * <p>Every batch takes a PostgreSQL advisory transaction lock and re-reads the head of the log, so two
 * servers writing to one database take turns instead of forking the chain; the entries trigger and the
 * primary key refuse a fork even if that were bypassed. All writer state lives on one Vert.x context.
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
  public record Appended(long seq, byte[] leafHash, byte[] entryBytes, String type, long treeSize, String signedCheckpoint) {}

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
  private int inFlight;
  private boolean flushing;
  /** The head as of the last commit of this writer; null when it must be reloaded from the database. */
  private Head head;

  private record Pending(LedgerCommand command, Promise<Appended> promise) {}

  /** Head is what the writer keeps between batches: the right edge of the tree and the last entry. */
  private static final class Head {
    final CompactRange tree;
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
    Promise<Appended> promise = Promise.promise();
    context.runOnContext(ignored -> {
      if (queue.size() + inFlight >= limits.outstandingMax()) {
        promise.fail(new WriterOverloadedException(limits.outstandingMax()));
        return;
      }
      queue.add(new Pending(command, promise));
      flushIfIdle();
    });
    return promise.future();
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
    while (!queue.isEmpty() && batch.size() < limits.batchSizeMax()) {
      batch.add(queue.poll());
    }
    inFlight = batch.size();
    BatchResult result = new BatchResult(batch.size());
    pool.withTransaction(transaction -> lockAndLoadHead(transaction)
            .compose(loaded -> decideAll(transaction, batch, loaded, result))
            .compose(decided -> write(transaction, decided, result)))
        .onComplete(outcome -> {
          if (outcome.succeeded()) {
            head = outcome.result();
            announce(result.complete(batch, head.size()));
          } else {
            head = null;
            LOG.warning("writer.batch_failed commands=" + batch.size() + " error=\"" + outcome.cause().getMessage() + "\"");
            batch.forEach(pending -> pending.promise().tryFail(outcome.cause()));
          }
          inFlight = 0;
          flushing = false;
          flushIfIdle();
        });
  }

  /** Takes the sequencer lock for this transaction and makes sure {@link #head} is the database's head. */
  private Future<Head> lockAndLoadHead(SqlConnection transaction) {
    return transaction.query("SELECT pg_advisory_xact_lock(" + SEQUENCER_LOCK_KEY + ")").execute()
        .compose(locked -> transaction.query("SELECT seq, leaf_hash, entry_time FROM entries ORDER BY seq DESC LIMIT 1").execute())
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

  /** BatchResult collects what each command of a batch came to, in batch order. */
  private static final class BatchResult {
    final Object[] outcomes;
    final List<Tuple> entryRows = new ArrayList<>();
    final List<Tuple> nodeRows = new ArrayList<>();
    String signedCheckpoint;

    BatchResult(int size) {
      outcomes = new Object[size];
    }

    /** Completes every caller of the batch and returns the accepted entries, in seq order. */
    List<Appended> complete(List<Pending> batch, long treeSize) {
      List<Appended> accepted = new ArrayList<>(entryRows.size());
      for (int i = 0; i < batch.size(); i++) {
        Object outcome = outcomes[i];
        if (outcome instanceof Appended appended) {
          Appended committed = new Appended(appended.seq(), appended.leafHash(), appended.entryBytes(),
              appended.type(), treeSize, signedCheckpoint);
          accepted.add(committed);
          batch.get(i).promise().complete(committed);
        } else {
          batch.get(i).promise().fail((Throwable) outcome);
        }
      }
      return List.copyOf(accepted);
    }
  }

  private Future<Head> decideAll(SqlConnection transaction, List<Pending> batch, Head loaded, BatchResult result) {
    // One time for the whole batch, never before the last entry's: entry times do not go backwards.
    Instant now = clock.instant();
    Instant time = now.isAfter(loaded.lastTime) ? now : loaded.lastTime;
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < batch.size(); i++) {
      int index = i;
      LedgerCommand command = batch.get(i).command();
      chain = chain.compose(previous -> command.decide(transaction)
          .transform(decided -> {
            if (decided.failed()) {
              if (decided.cause() instanceof CommandRejectedException rejected) {
                result.outcomes[index] = rejected;
                return Future.succeededFuture();
              }
              return Future.failedFuture(decided.cause());
            }
            return sequence(transaction, command, decided.result(), loaded, time, index, result);
          }));
    }
    return chain.map(done -> loaded);
  }

  /** Gives an accepted command its seq, encodes and hashes its entry, and runs its projection. */
  private Future<Void> sequence(SqlConnection transaction, LedgerCommand command, Map<String, Object> data,
                                Head loaded, Instant time, int index, BatchResult result) {
    long seq = loaded.size();
    String prev = loaded.lastLeafHash == null ? LedgerEntry.ZERO_HASH_HEX : Hex.encode(loaded.lastLeafHash);
    byte[] bytes;
    try {
      bytes = EntryCodec.encode(new LedgerEntry(seq, prev, time, command.type(), data));
    } catch (EntryTooLargeException e) {
      result.outcomes[index] = new CommandRejectedException("ENTRY_TOO_LARGE", e.getMessage());
      return Future.succeededFuture();
    }
    byte[] leafHash = Hashes.leafHash(bytes);
    for (TreeNode node : loaded.tree.append(leafHash)) {
      if (node.id().level() > 0) {
        result.nodeRows.add(Tuple.of((short) node.id().level(), node.id().index(), Buffer.buffer(node.hash())));
      }
    }
    result.entryRows.add(Tuple.of(seq, Buffer.buffer(leafHash), Buffer.buffer(Hex.decode(prev)),
        command.type(), time.atOffset(ZoneOffset.UTC), Buffer.buffer(bytes)));
    result.outcomes[index] = new Appended(seq, leafHash, bytes, command.type(), 0, null);
    loaded.lastLeafHash = leafHash;
    loaded.lastTime = time;
    return command.project(transaction, seq, data);
  }

  /** Inserts the batch's entries and subtree hashes and its signed checkpoint. */
  private Future<Head> write(SqlConnection transaction, Head loaded, BatchResult result) {
    if (result.entryRows.isEmpty()) {
      return Future.succeededFuture(loaded);
    }
    Checkpoint checkpoint = new Checkpoint(origin, loaded.size(), loaded.tree.root());
    result.signedCheckpoint = signer.sign(checkpoint.format());
    return transaction.preparedQuery(
            "INSERT INTO entries (seq, leaf_hash, prev_hash, type, entry_time, body) VALUES ($1, $2, $3, $4, $5, $6)")
        .executeBatch(result.entryRows)
        .compose(inserted -> result.nodeRows.isEmpty() ? Future.succeededFuture()
            : transaction.preparedQuery("INSERT INTO tree_nodes (level, idx, hash) VALUES ($1, $2, $3)").executeBatch(result.nodeRows))
        .compose(inserted -> transaction.preparedQuery(
                "INSERT INTO checkpoints (tree_size, root_hash, signed_note) VALUES ($1, $2, $3)")
            .execute(Tuple.of(loaded.size(), Buffer.buffer(loaded.tree.root()), result.signedCheckpoint)))
        .map(inserted -> loaded);
  }
}
