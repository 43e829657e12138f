package org.carbonledger.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.carbonledger.ledger.EntryCodec;
import org.carbonledger.ledger.Hashes;
import org.carbonledger.ledger.LedgerEntry;
import org.carbonledger.registry.EntryTypes;
import org.carbonledger.registry.RegistryState;

/**
 * WriterRegistry is the registry the writer decides on: a {@link RegistryState} replayed from the log's first
 * {@link #size} entries. The log is the only source: the state is never read from the projections, so a
 * command is decided on exactly what the log says, and another process's entries are replayed, not trusted
 * from its tables.
 *
 * <p>The writer catches it up under the sequencer lock, before deciding a batch, with the entries committed
 * since (by this process or another); it applies the batch's own entries as it sequences them, under a
 * {@link RegistryState#mark} that it rolls back if the batch does not commit; after a commit, {@link #committed}
 * moves {@link #size} past them. So between batches the state is always the log's up to {@link #size}.
 */
final class WriterRegistry {

  /** Entries read per round trip while catching up (at most 64 KiB each, so at most 32 MiB held at once). */
  static final int CATCH_UP_PAGE = 500;

  private static final Set<String> REGISTRY_TYPES = Set.copyOf(EntryTypes.ALL);
  /** What entry 0's prev_hash is: no entry before it, all zeros. */
  private static final byte[] NO_ENTRY = new byte[Hashes.SIZE_BYTES];

  private RegistryState state = new RegistryState();
  /** How many entries of the log {@link #state} holds. */
  private long size;
  /** The leaf hash of entry {@code size - 1}: what the next entry's prev_hash must be. */
  private byte[] lastLeafHash = NO_ENTRY;
  /** How many times the replay started again from entry 0; read from other threads. */
  private volatile long restarts;

  RegistryState state() {
    return state;
  }

  long size() {
    return size;
  }

  /**
   * Applies the entries from {@link #size} up to {@code headSize} (exclusive), read through {@code sql}: the
   * batch's transaction under the sequencer lock, or the pool before the first batch. If the entry at
   * {@link #size} does not follow the last one replayed (the database holds another log), it starts again from
   * entry 0, once: a log that does not chain from entry 0 either is broken, and the future fails.
   */
  Future<Void> catchUp(SqlClient sql, long headSize) {
    Promise<Void> caughtUp = Promise.promise();
    nextPage(sql, headSize, false, caughtUp);
    return caughtUp.future();
  }

  /**
   * Reads and applies one page, then asks for the next from the query's callback: however many pages, the
   * stack stays flat and one promise completes at the end (a chain of composed futures would nest per page).
   */
  private void nextPage(SqlClient sql, long headSize, boolean restarted, Promise<Void> caughtUp) {
    if (size >= headSize) {
      if (size == headSize) {
        caughtUp.complete();
      } else {
        restartOrFail(sql, headSize, restarted, caughtUp, "the log has " + headSize + " entries, fewer than the " + size + " replayed");
      }
      return;
    }
    sql.preparedQuery("SELECT seq, leaf_hash, prev_hash, type, body FROM entries WHERE seq >= $1 AND seq < $2 ORDER BY seq LIMIT $3")
        .execute(Tuple.of(size, headSize, CATCH_UP_PAGE))
        .onComplete(read -> {
          if (read.failed()) {
            caughtUp.fail(read.cause());
            return;
          }
          RowSet<Row> rows = read.result();
          if (rows.size() == 0) {
            caughtUp.fail(new IllegalStateException("the log has no entry " + size + " though its head is at " + headSize));
            return;
          }
          try {
            for (Row row : rows) {
              if (row.getLong("seq") != size || !Arrays.equals(row.getBuffer("prev_hash").getBytes(), lastLeafHash)) {
                restartOrFail(sql, headSize, restarted, caughtUp, "entry " + row.getLong("seq") + " does not follow entry " + (size - 1));
                return;
              }
              apply(row.getString("type"), row.getBuffer("body").getBytes());
              size++;
              lastLeafHash = row.getBuffer("leaf_hash").getBytes();
            }
          } catch (RuntimeException e) {
            caughtUp.fail(e);
            return;
          }
          nextPage(sql, headSize, restarted, caughtUp);
        });
  }

  private void restartOrFail(SqlClient sql, long headSize, boolean restarted, Promise<Void> caughtUp, String why) {
    if (restarted) {
      caughtUp.fail(new IllegalStateException("the log is broken: replayed again from entry 0, " + why));
      return;
    }
    restarts++;
    state = new RegistryState();
    size = 0;
    lastLeafHash = NO_ENTRY;
    nextPage(sql, headSize, true, caughtUp);
  }

  /**
   * How many times the replay had to start again because the database's log is not the one replayed (a
   * restored backup, a replica that lost commits): what was learnt from the old log may name other things now.
   */
  long restarts() {
    return restarts;
  }

  private void apply(String type, byte[] body) {
    if (REGISTRY_TYPES.contains(type)) {
      LedgerEntry entry = EntryCodec.decode(body);
      state.apply(entry.type(), entry.data());
    }
  }

  /** Applies an entry the writer is sequencing (inside the batch's mark); other entry types change nothing. */
  void applySequenced(String type, Map<String, Object> data) {
    if (REGISTRY_TYPES.contains(type)) {
      state.apply(type, data);
    }
  }

  /** The batch that ended with entry {@code newSize - 1}, of leaf hash {@code newLastLeafHash}, committed. */
  void committed(long newSize, byte[] newLastLeafHash) {
    size = newSize;
    lastLeafHash = newLastLeafHash == null ? NO_ENTRY : newLastLeafHash;
  }
}
