package org.carbonledger.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.carbonledger.ledger.LeafRange;
import org.carbonledger.ledger.NodeId;
import org.carbonledger.ledger.SubtreeHashes;
import org.carbonledger.ledger.TreeMath;
import org.carbonledger.registry.SerialRange;
import org.carbonledger.registry.StatementMovement;
import org.carbonledger.store.LogReader.StoredCheckpoint;

/**
 * StatementReader reads an account's statement for a window of entries from the {@code movements} projection:
 * the balances before and after the window, every entry in it that touched the account, the smallest signed
 * checkpoint covering it, and each movement's inclusion proof in that checkpoint's tree. Rows at or below a
 * signed size never change, so the separate statements it runs need no transaction to agree. It never writes.
 */
public final class StatementReader {

  /**
   * Statement is account {@code accountId} over entries {@code fromSeq..toSeq}, both inclusive (empty when
   * {@code toSeq = fromSeq - 1}). {@code openingBalance} is its active units after entries {@code 0..fromSeq-1},
   * {@code closingBalance} after {@code 0..toSeq}; {@code checkpoint} is the smallest one with {@code treeSize >
   * toSeq}, and {@code inclusionProofs} holds each movement's RFC 6962 path in that tree, by seq. Read to less than
   * {@link Detail#PROOFS}, it has no proofs; to less than {@link Detail#MOVEMENTS}, no movements either.
   */
  public record Statement(String accountId, long fromSeq, long toSeq, long openingBalance, List<StatementMovement> movements,
                          long closingBalance, StoredCheckpoint checkpoint, Map<Long, List<byte[]>> inclusionProofs) {}

  /**
   * Detail is how much of a statement to read, each level adding to the one before: the balances and the covering
   * checkpoint; then the movements (at most movementsMax, or the window is refused); then each movement's
   * inclusion proof, which reads tree nodes and holds a proof's hashes per movement. A reader asks only for what it
   * will answer, so a statement asked for its balances costs two sums over the account's movements, not a read of
   * up to 10,000 movements and their proofs.
   */
  public enum Detail { BALANCES, MOVEMENTS, PROOFS }

  /** TooManyMovementsException says the window holds more movements of the account than the caller allowed. */
  public static final class TooManyMovementsException extends RuntimeException {
    public TooManyMovementsException(int movementsMax) {
      super("the window holds more than " + movementsMax + " movements of the account", null, false, false);
    }
  }

  private final Pool pool;

  public StatementReader(Pool pool) {
    this.pool = pool;
  }

  /**
   * The first seq whose entry time is at or after {@code time}, or null when no entry is. Entry times never go
   * backwards (LogWriter), so every later entry is at or after it too.
   */
  public Future<Long> firstSeqAtOrAfter(Instant time) {
    return pool.preparedQuery("""
            SELECT min(seq) FROM entries
             WHERE entry_time = (SELECT min(entry_time) FROM entries WHERE entry_time >= $1)""")
        .execute(Tuple.of(LogReader.timeBound(time)))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /**
   * The statement of {@code accountId} over {@code fromSeq..toSeq} to {@code detail}; the caller MUST have checked that
   * a signed checkpoint covers {@code toSeq}. Below MOVEMENTS its movements are empty, below PROOFS its proofs; from
   * MOVEMENTS it fails with {@link TooManyMovementsException} past {@code movementsMax}.
   */
  public Future<Statement> statement(String accountId, long fromSeq, long toSeq, int movementsMax, Detail detail) {
    Future<List<StatementMovement>> listed = detail == Detail.BALANCES
        ? Future.succeededFuture(List.of()) : movements(accountId, fromSeq, toSeq, movementsMax);
    return Future.all(balances(accountId, fromSeq, toSeq), listed, covering(toSeq))
        .compose(all -> {
          long[] balances = all.resultAt(0);
          List<StatementMovement> movements = all.resultAt(1);
          StoredCheckpoint checkpoint = all.resultAt(2);
          // Pair assertion: the balances are summed separately from the rows; a difference is a broken projection.
          if (detail != Detail.BALANCES && StatementMovement.apply(balances[0], movements) != balances[1]) {
            throw new IllegalStateException("statement of " + accountId + " over " + fromSeq + ".." + toSeq
                + ": opening " + balances[0] + " plus the movements is not the closing " + balances[1]);
          }
          Future<Map<Long, List<byte[]>>> proofs = detail == Detail.PROOFS
              ? inclusionProofs(movements, checkpoint.treeSize()) : Future.succeededFuture(Map.of());
          return proofs.map(proven -> new Statement(accountId, fromSeq, toSeq, balances[0], movements, balances[1], checkpoint,
              proven));
        });
  }

  /** Active units of the account after entries {@code 0..fromSeq-1} and after {@code 0..toSeq}. */
  private Future<long[]> balances(String accountId, long fromSeq, long toSeq) {
    // A movement adds its units where they become active (issued or transferred in) and takes them away from the
    // account they leave (transferred out, retired, cancelled): the same rule the blocks projection applies.
    return pool.preparedQuery("""
            SELECT coalesce(sum(delta) FILTER (WHERE seq < $2), 0)::bigint, coalesce(sum(delta), 0)::bigint
              FROM (SELECT seq, (serial_end - serial_start + 1)
                               * ((CASE WHEN to_account = $1 AND kind IN ('ISSUED', 'TRANSFERRED') THEN 1 ELSE 0 END)
                                  - (CASE WHEN from_account = $1 THEN 1 ELSE 0 END)) AS delta
                      FROM movements WHERE (from_account = $1 OR to_account = $1) AND seq <= $3) m""")
        .execute(Tuple.of(accountId, fromSeq, toSeq))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new long[] {row.getLong(0), row.getLong(1)};
        });
  }

  /** One movement per entry of the window that touched the account, in seq order, at most {@code movementsMax}. */
  private Future<List<StatementMovement>> movements(String accountId, long fromSeq, long toSeq, int movementsMax) {
    return pool.preparedQuery("""
            SELECT m.seq, e.entry_time, e.leaf_hash, m.kind, m.from_account, m.to_account, t.reference,
                   array_agg(m.serial_start ORDER BY m.position) AS starts, array_agg(m.serial_end ORDER BY m.position) AS ends
              FROM movements m JOIN entries e ON e.seq = m.seq LEFT JOIN transfers t ON t.seq = m.seq
             WHERE (m.from_account = $1 OR m.to_account = $1) AND m.seq BETWEEN $2 AND $3
             GROUP BY m.seq, e.entry_time, e.leaf_hash, m.kind, m.from_account, m.to_account, t.reference
             ORDER BY m.seq LIMIT $4""")
        // One row more than allowed tells that the window is too big without counting it first.
        .execute(Tuple.of(accountId, fromSeq, toSeq, movementsMax + 1))
        .map(rows -> {
          if (rows.size() > movementsMax) {
            throw new TooManyMovementsException(movementsMax);
          }
          List<StatementMovement> movements = new ArrayList<>(rows.size());
          rows.forEach(row -> movements.add(movement(accountId, row)));
          return movements;
        });
  }

  private static StatementMovement movement(String accountId, Row row) {
    String from = row.getString("from_account");
    String to = row.getString("to_account");
    StatementMovement.Kind kind = StatementMovement.Kind.of(row.getString("kind"), accountId.equals(to));
    Long[] starts = row.getArrayOfLongs("starts");
    Long[] ends = row.getArrayOfLongs("ends");
    List<SerialRange> ranges = new ArrayList<>(starts.length);
    long units = 0;
    for (int i = 0; i < starts.length; i++) {
      ranges.add(new SerialRange(starts[i], ends[i]));
      units += ends[i] - starts[i] + 1;
    }
    String counterpart = switch (kind) {
      case TRANSFERRED_IN -> from;
      case TRANSFERRED_OUT -> to;
      default -> null;
    };
    return new StatementMovement(row.getLong("seq"), row.getOffsetDateTime("entry_time").toInstant(), kind, counterpart,
        kind.sign() * units, ranges, row.getString("reference"), row.getBuffer("leaf_hash").getBytes());
  }

  /** The smallest signed checkpoint whose tree holds entry {@code toSeq} (for an empty window at 0, the first). */
  private Future<StoredCheckpoint> covering(long toSeq) {
    return pool.preparedQuery("""
            SELECT tree_size, root_hash, signed_note, signed_at FROM checkpoints
             WHERE tree_size > $1 ORDER BY tree_size LIMIT 1""")
        .execute(Tuple.of(toSeq))
        .map(rows -> {
          if (rows.size() == 0) {
            throw new IllegalStateException("no signed checkpoint covers entry " + toSeq + "; the caller checks this first");
          }
          Row row = rows.iterator().next();
          return new StoredCheckpoint(row.getLong(0), row.getBuffer(1).getBytes(), row.getString(2),
              row.getOffsetDateTime(3).toInstant());
        });
  }

  /** Every movement's inclusion proof in the tree of {@code treeSize}, from one read of all the nodes they need. */
  private Future<Map<Long, List<byte[]>>> inclusionProofs(List<StatementMovement> movements, long treeSize) {
    Map<Long, List<LeafRange>> ranges = new HashMap<>();
    Set<NodeId> nodes = new LinkedHashSet<>();
    for (StatementMovement movement : movements) {
      List<LeafRange> proofRanges = TreeMath.inclusionProofRanges(movement.seq(), treeSize);
      ranges.put(movement.seq(), proofRanges);
      nodes.addAll(TreeMath.nodesFor(proofRanges));
    }
    return TreeNodes.fetch(pool, nodes).map(hashes -> {
      Map<Long, List<byte[]>> proofs = new HashMap<>();
      ranges.forEach((seq, proofRanges) -> proofs.put(seq, SubtreeHashes.proof(proofRanges, hashes::get)));
      return proofs;
    });
  }
}
