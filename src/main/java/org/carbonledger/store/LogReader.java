package org.carbonledger.store;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.carbonledger.ledger.BundleId;
import org.carbonledger.ledger.LeafRange;
import org.carbonledger.ledger.NodeId;
import org.carbonledger.ledger.SubtreeHashes;
import org.carbonledger.ledger.TileId;
import org.carbonledger.ledger.TreeMath;

/**
 * LogReader answers questions about the log from what is stored: entries, signed checkpoints, roots and
 * proofs for any size up to the latest checkpoint, and C2SP tiles. Each proof or root costs one query of
 * O(log n) rows. It never writes.
 */
public final class LogReader {

  /** StoredEntry is one entry as stored: its bytes exactly as hashed, and the columns derived from them. */
  public record StoredEntry(long seq, byte[] leafHash, String type, Instant time, byte[] body) {}

  /** StoredCheckpoint is a checkpoint the log signed. */
  public record StoredCheckpoint(long treeSize, byte[] rootHash, String signedNote, Instant signedAt) {}

  /** Inclusion is an entry's leaf hash, its RFC 6962 inclusion proof, and the root of the tree it is proved in. */
  public record Inclusion(byte[] leafHash, List<byte[]> path, byte[] root) {}

  /** Consistency is an RFC 6962 consistency proof with the roots of both trees. */
  public record Consistency(List<byte[]> path, byte[] oldRoot, byte[] newRoot) {}

  /** The most entries one range read returns. */
  public static final int ENTRY_PAGE_MAX = 1000;

  private static final String ENTRY_COLUMNS = "seq, leaf_hash, type, entry_time, body";
  private static final String CHECKPOINT_COLUMNS = "tree_size, root_hash, signed_note, signed_at";

  private final Pool pool;

  public LogReader(Pool pool) {
    this.pool = pool;
  }

  public Future<Optional<StoredCheckpoint>> latestCheckpoint() {
    // Prepared (planned once per connection): every proof, tile and bundle request asks for it first.
    return pool.preparedQuery("SELECT " + CHECKPOINT_COLUMNS + " FROM checkpoints ORDER BY tree_size DESC LIMIT 1").execute()
        .map(rows -> first(rows).map(LogReader::checkpoint));
  }

  /** The checkpoint signed at exactly {@code treeSize}, if the log signed one at that size. */
  public Future<Optional<StoredCheckpoint>> checkpoint(long treeSize) {
    return pool.preparedQuery("SELECT " + CHECKPOINT_COLUMNS + " FROM checkpoints WHERE tree_size = $1")
        .execute(Tuple.of(treeSize))
        .map(rows -> first(rows).map(LogReader::checkpoint));
  }

  /** The published size: the size of the latest signed checkpoint, 0 before entry 0 is written. */
  public Future<Long> publishedSize() {
    return latestCheckpoint().map(latest -> latest.map(StoredCheckpoint::treeSize).orElse(0L));
  }

  public Future<Optional<StoredEntry>> entry(long seq) {
    return pool.preparedQuery("SELECT " + ENTRY_COLUMNS + " FROM entries WHERE seq = $1").execute(Tuple.of(seq))
        .map(rows -> first(rows).map(LogReader::entry));
  }

  /** Up to {@code count} (at most {@link #ENTRY_PAGE_MAX}) entries from {@code fromSeq} on, in order. */
  public Future<List<StoredEntry>> entries(long fromSeq, int count) {
    return entries(fromSeq, count, null, null, null);
  }

  /**
   * {@code time} as a bound on entry times, which are whole microseconds: rounded up, so that an entry is at or
   * after the bound exactly when it is at or after {@code time} (PostgreSQL would round a finer time to the nearest).
   */
  public static Instant wholeMicrosAtOrAfter(Instant time) {
    Instant whole = time.truncatedTo(ChronoUnit.MICROS);
    return whole.equals(time) ? time : whole.plus(1, ChronoUnit.MICROS);
  }

  static OffsetDateTime timeBound(Instant time) {
    return wholeMicrosAtOrAfter(time).atOffset(ZoneOffset.UTC);
  }

  /**
   * Like {@link #entries(long, int)}, keeping only entries of {@code types} sequenced in [{@code from},
   * {@code to}); a null condition keeps everything.
   */
  public Future<List<StoredEntry>> entries(long fromSeq, int count, List<String> types, Instant from, Instant to) {
    int limit = Math.max(0, Math.min(count, ENTRY_PAGE_MAX));
    return pool.preparedQuery("SELECT " + ENTRY_COLUMNS + """
             FROM entries WHERE seq >= $1 AND ($3::text[] IS NULL OR type = ANY($3))
              AND ($4::timestamptz IS NULL OR entry_time >= $4) AND ($5::timestamptz IS NULL OR entry_time < $5)
            ORDER BY seq LIMIT $2""")
        .execute(Tuple.from(java.util.Arrays.asList(fromSeq, limit, types == null ? null : types.toArray(String[]::new),
            from == null ? null : timeBound(from), to == null ? null : timeBound(to))))
        .map(rows -> {
          List<StoredEntry> entries = new ArrayList<>(rows.size());
          rows.forEach(row -> entries.add(entry(row)));
          return entries;
        });
  }

  /** Leaf {@code index}'s hash, its inclusion proof in the tree of {@code treeSize} and that tree's root, in one query. */
  public Future<Inclusion> inclusion(long index, long treeSize) {
    List<LeafRange> proofRanges = TreeMath.inclusionProofRanges(index, treeSize);
    NodeId leaf = new NodeId(0, index);
    Set<NodeId> wanted = TreeMath.nodesFor(proofRanges);
    wanted.addAll(TreeMath.nodesFor(List.of(new LeafRange(0, treeSize))));
    wanted.add(leaf);
    return TreeNodes.fetch(pool, wanted).map(nodes ->
        new Inclusion(nodes.get(leaf), SubtreeHashes.proof(proofRanges, nodes::get), SubtreeHashes.root(treeSize, nodes::get)));
  }

  /** The consistency proof from {@code oldSize} to {@code newSize} and the roots of both trees, in one query. */
  public Future<Consistency> consistency(long oldSize, long newSize) {
    List<LeafRange> proofRanges = TreeMath.consistencyProofRanges(oldSize, newSize);
    Set<NodeId> wanted = TreeMath.nodesFor(proofRanges);
    for (long size : new long[] {oldSize, newSize}) {
      if (size > 0) {
        wanted.addAll(TreeMath.nodesFor(List.of(new LeafRange(0, size))));
      }
    }
    return TreeNodes.fetch(pool, wanted).map(nodes -> new Consistency(SubtreeHashes.proof(proofRanges, nodes::get),
        SubtreeHashes.root(oldSize, nodes::get), SubtreeHashes.root(newSize, nodes::get)));
  }

  /**
   * A C2SP tlog-tiles hash tile: the hashes of the tile's nodes (tree level {@code 8 * level}), concatenated;
   * empty when the tree of {@code treeSize} leaves does not have all of them.
   */
  public Future<Optional<Buffer>> tile(TileId tile, long treeSize) {
    if (!tile.isCompleteIn(treeSize)) {
      return Future.succeededFuture(Optional.empty());
    }
    List<NodeId> nodes = tile.nodeIds();
    long first = nodes.get(0).index();
    long last = nodes.get(nodes.size() - 1).index();
    Future<RowSet<Row>> rows = tile.level() == 0
        ? pool.preparedQuery("SELECT leaf_hash AS value FROM entries WHERE seq BETWEEN $1 AND $2 ORDER BY seq")
            .execute(Tuple.of(first, last))
        : pool.preparedQuery("SELECT hash AS value FROM tree_nodes WHERE level = $1 AND idx BETWEEN $2 AND $3 ORDER BY idx")
            .execute(Tuple.of((short) nodes.get(0).level(), first, last));
    return rows.map(found -> concatenated(found, nodes.size(), false));
  }

  /** A C2SP entry bundle: the bundle's entries in order, each behind its length as a big-endian uint16. */
  public Future<Optional<Buffer>> entryBundle(BundleId bundle, long treeSize) {
    if (!bundle.isCompleteIn(treeSize)) {
      return Future.succeededFuture(Optional.empty());
    }
    long first = bundle.firstSeq();
    return pool.preparedQuery("SELECT body AS value FROM entries WHERE seq BETWEEN $1 AND $2 ORDER BY seq")
        .execute(Tuple.of(first, first + bundle.width() - 1))
        .map(found -> concatenated(found, bundle.width(), true));
  }

  private static Optional<Buffer> concatenated(RowSet<Row> rows, int expected, boolean lengthPrefixed) {
    if (rows.size() != expected) {
      return Optional.empty();
    }
    Buffer out = Buffer.buffer();
    for (Row row : rows) {
      Buffer value = row.getBuffer("value");
      if (lengthPrefixed) {
        out.appendUnsignedShort(value.length());
      }
      out.appendBuffer(value);
    }
    return Optional.of(out);
  }

  private static Optional<Row> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next());
  }

  /** The entry of a row with the columns of ENTRY_COLUMNS. */
  static StoredEntry entry(Row row) {
    return new StoredEntry(row.getLong("seq"), row.getBuffer("leaf_hash").getBytes(), row.getString("type"),
        row.getOffsetDateTime("entry_time").toInstant(), row.getBuffer("body").getBytes());
  }

  private static StoredCheckpoint checkpoint(Row row) {
    return new StoredCheckpoint(row.getLong("tree_size"), row.getBuffer("root_hash").getBytes(),
        row.getString("signed_note"), row.getOffsetDateTime("signed_at").toInstant());
  }

}
