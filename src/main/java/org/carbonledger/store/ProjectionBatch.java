package org.carbonledger.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.carbonledger.registry.Block;
import org.carbonledger.registry.BlockState;

/**
 * ProjectionBatch gathers the row changes of the busiest projection tables (blocks, movements, transfers,
 * account_balances) and sends them as one statement per table: the writer keeps one for a whole batch and sends
 * it with the batch's entries, so a batch of transfers costs five statements instead of five per transfer. A
 * block added and replaced again within the batch never reaches the database, and each account's balance
 * changes once, by the batch's net change to its active blocks.
 *
 * <p>Rows are only sent by {@link #send}; nothing read in between sees them. The writer decides on its own
 * registry, so it reads no projection; a projection rebuild, which does read blocks, sends after every entry.
 */
final class ProjectionBatch {

  /** Where the batch stood: what {@link #reset} returns it to when a group is rolled back. */
  record Mark(int blockChanges, int movements, int transfers) {}

  /** A block removed or added ({@code added}) at {@code block.start()}, in the order the entries made them. */
  private record BlockChange(Block block, boolean added, long seq) {}

  private record Movement(long seq, int position, String kind, Block moved, String fromAccount, String toAccount) {}

  private record TransferRow(long seq, String fromAccount, String toAccount, long quantity, String reference) {}

  private final List<BlockChange> blockChanges = new ArrayList<>();
  private final List<Movement> movements = new ArrayList<>();
  private final List<TransferRow> transfers = new ArrayList<>();

  /** The block {@code removed}, as the database or this batch holds it, goes. */
  void removeBlock(Block removed) {
    blockChanges.add(new BlockChange(removed, false, 0));
  }

  /** A block written by entry {@code seq} (its {@code updated_seq}). */
  void addBlock(Block added, long seq) {
    blockChanges.add(new BlockChange(added, true, seq));
  }

  /** One movement row: {@code moved} is the range as it was before (its issuance); {@code toAccount} may be null. */
  void movement(long seq, int position, String kind, Block moved, String fromAccount, String toAccount) {
    movements.add(new Movement(seq, position, kind, moved, fromAccount, toAccount));
  }

  /** One transfers row; {@code reference} may be null. */
  void transfer(long seq, String fromAccount, String toAccount, long quantity, String reference) {
    transfers.add(new TransferRow(seq, fromAccount, toAccount, quantity, reference));
  }

  /** True when nothing is waiting to be sent. */
  boolean isEmpty() {
    return blockChanges.isEmpty() && movements.isEmpty() && transfers.isEmpty();
  }

  Mark mark() {
    return new Mark(blockChanges.size(), movements.size(), transfers.size());
  }

  /** Forgets every change made since {@code mark}. */
  void reset(Mark mark) {
    blockChanges.subList(mark.blockChanges(), blockChanges.size()).clear();
    movements.subList(mark.movements(), movements.size()).clear();
    transfers.subList(mark.transfers(), transfers.size()).clear();
  }

  /**
   * Sends the gathered changes, in this order: blocks removed, blocks added, movements, transfers; and empties
   * the batch. Statements are sent without waiting for each other (one connection runs them in order), and the
   * returned future completes when all have.
   */
  Future<Void> send(SqlConnection sql) {
    // The net change: a block added in this batch and removed again is neither inserted nor deleted.
    Map<Long, Block> deleted = new LinkedHashMap<>();
    Map<Long, BlockChange> inserted = new LinkedHashMap<>();
    for (BlockChange change : blockChanges) {
      long start = change.block().start();
      if (change.added()) {
        inserted.put(start, change);
      } else if (inserted.remove(start) == null) {
        deleted.put(start, change.block());
      }
    }
    Map<String, Long> balanceChanges = new TreeMap<>();
    deleted.values().forEach(block -> addActive(balanceChanges, block, -1));
    inserted.values().forEach(change -> addActive(balanceChanges, change.block(), 1));
    balanceChanges.values().removeIf(change -> change == 0);
    List<Future<?>> sent = new ArrayList<>(5);
    if (!deleted.isEmpty()) {
      // One primary-key delete per block, in one message: the generic plan of "= ANY($1)" scans the whole table.
      List<Tuple> starts = new ArrayList<>(deleted.size());
      deleted.keySet().forEach(start -> starts.add(Tuple.of(start)));
      sent.add(sql.preparedQuery("DELETE FROM blocks WHERE serial_start = $1").executeBatch(starts));
    }
    if (!inserted.isEmpty()) {
      List<BlockChange> rows = List.copyOf(inserted.values());
      sent.add(sql.preparedQuery("""
              INSERT INTO blocks (serial_start, serial_end, issuance_id, account_id, state, updated_seq)
              SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[])""")
          .execute(Tuple.of(
              rows.stream().map(row -> row.block().start()).toArray(Long[]::new),
              rows.stream().map(row -> row.block().end()).toArray(Long[]::new),
              rows.stream().map(row -> row.block().issuanceId()).toArray(String[]::new),
              rows.stream().map(row -> row.block().accountId()).toArray(String[]::new),
              rows.stream().map(row -> row.block().state().name()).toArray(String[]::new),
              rows.stream().map(BlockChange::seq).toArray(Long[]::new))));
    }
    if (!movements.isEmpty()) {
      sent.add(sql.preparedQuery("""
              INSERT INTO movements (seq, position, kind, serial_start, serial_end, issuance_id, from_account, to_account)
              SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::text[], $8::text[])""")
          .execute(Tuple.of(
              movements.stream().map(Movement::seq).toArray(Long[]::new),
              movements.stream().map(Movement::position).toArray(Integer[]::new),
              movements.stream().map(Movement::kind).toArray(String[]::new),
              movements.stream().map(row -> row.moved().start()).toArray(Long[]::new),
              movements.stream().map(row -> row.moved().end()).toArray(Long[]::new),
              movements.stream().map(row -> row.moved().issuanceId()).toArray(String[]::new),
              movements.stream().map(Movement::fromAccount).toArray(String[]::new),
              movements.stream().map(Movement::toAccount).toArray(String[]::new))));
    }
    if (!transfers.isEmpty()) {
      sent.add(sql.preparedQuery("""
              INSERT INTO transfers (seq, from_account, to_account, quantity, reference)
              SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::text[])""")
          .execute(Tuple.of(
              transfers.stream().map(TransferRow::seq).toArray(Long[]::new),
              transfers.stream().map(TransferRow::fromAccount).toArray(String[]::new),
              transfers.stream().map(TransferRow::toAccount).toArray(String[]::new),
              transfers.stream().map(TransferRow::quantity).toArray(Long[]::new),
              transfers.stream().map(TransferRow::reference).toArray(String[]::new))));
    }
    if (!balanceChanges.isEmpty()) {
      sent.add(updateBalances(sql, balanceChanges));
    }
    blockChanges.clear();
    movements.clear();
    transfers.clear();
    return Future.all(sent).mapEmpty();
  }

  private static void addActive(Map<String, Long> balanceChanges, Block block, int sign) {
    if (block.state() == BlockState.ACTIVE) {
      balanceChanges.merge(block.accountId(), sign * block.size(), Long::sum);
    }
  }

  /**
   * One statement for every account the batch changed; an account without its balance row fails the batch. The
   * statement checks that itself: the batch's COMMIT is already on its way behind it (LogWriter).
   */
  private static Future<Void> updateBalances(SqlConnection sql, Map<String, Long> balanceChanges) {
    return sql.preparedQuery("""
            WITH change AS (SELECT * FROM unnest($1::text[], $2::bigint[]) AS d(account_id, change)),
                 changed AS (UPDATE account_balances b SET active = b.active + change.change FROM change
                              WHERE b.account_id = change.account_id RETURNING b.account_id)
            SELECT ledger_projection_mismatch('no balance row for the accounts ' || string_agg(account_id, ', '))
              FROM change WHERE account_id NOT IN (SELECT account_id FROM changed) HAVING count(*) > 0""")
        .execute(Tuple.tuple().addArrayOfString(balanceChanges.keySet().toArray(String[]::new))
            .addArrayOfLong(balanceChanges.values().toArray(Long[]::new)))
        .mapEmpty();
  }
}
