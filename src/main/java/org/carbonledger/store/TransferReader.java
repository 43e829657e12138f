package org.carbonledger.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * TransferReader pages through the {@code transfers} projection: by the client's reference (an exchange's trade
 * id), by an account on either side, by a seq range, and narrowed to the accounts of one holder when the
 * reader may see only those. Each transfer comes with the serial ranges it moved.
 */
public final class TransferReader {

  /** TransferRow is one transfer: its entry's seq and time, both accounts, quantity, ranges and reference. */
  public record TransferRow(long seq, Instant time, String fromAccountId, String toAccountId, long quantity,
                            List<Map<String, Long>> serialRanges, String reference) {}

  /** TransferFilter is what a page must match; a null member matches everything. */
  public record TransferFilter(String reference, String accountId, Long fromSeq, Long toSeq, String holderId) {}

  private final Pool pool;

  public TransferReader(Pool pool) {
    this.pool = pool;
  }

  /** Up to {@code limit} transfers matching {@code filter} with seq above {@code afterSeq} (null: from the start), in seq order. */
  public Future<List<TransferRow>> page(TransferFilter filter, Long afterSeq, int limit) {
    List<String> where = new ArrayList<>();
    List<Object> arguments = new ArrayList<>();
    condition(where, arguments, "t.reference = ?", filter.reference());
    condition(where, arguments, "(t.from_account = ? OR t.to_account = ?)", filter.accountId());
    condition(where, arguments, "t.seq >= ?", filter.fromSeq());
    condition(where, arguments, "t.seq <= ?", filter.toSeq());
    condition(where, arguments, "t.seq > ?", afterSeq);
    condition(where, arguments,
        "EXISTS (SELECT 1 FROM accounts a WHERE a.holder_id = ? AND a.account_id IN (t.from_account, t.to_account))",
        filter.holderId());
    arguments.add(limit);
    String sql = "SELECT t.seq, e.entry_time, t.from_account, t.to_account, t.quantity, t.reference"
        + " FROM transfers t JOIN entries e ON e.seq = t.seq"
        + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
        + " ORDER BY t.seq LIMIT $" + arguments.size();
    return pool.preparedQuery(sql).execute(Tuple.from(arguments)).compose(rows -> {
      List<Row> found = new ArrayList<>();
      rows.forEach(found::add);
      return ranges(found.stream().map(row -> row.getLong("seq")).toList()).map(ranges -> found.stream()
          .map(row -> new TransferRow(row.getLong("seq"), row.getOffsetDateTime("entry_time").toInstant(),
              row.getString("from_account"), row.getString("to_account"), row.getLong("quantity"),
              ranges.getOrDefault(row.getLong("seq"), List.of()), row.getString("reference")))
          .toList());
    });
  }

  /** Adds {@code sql} with its {@code ?} placeholders bound to {@code value}, unless the value is null. */
  private static void condition(List<String> where, List<Object> arguments, String sql, Object value) {
    if (value == null) {
      return;
    }
    arguments.add(value);
    where.add(sql.replace("?", "$" + arguments.size()));
  }

  /** The serial ranges each seq moved, ascending; one query for the whole page. */
  private Future<Map<Long, List<Map<String, Long>>>> ranges(List<Long> seqs) {
    if (seqs.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return pool.preparedQuery("SELECT seq, serial_start, serial_end FROM movements WHERE seq = ANY($1) ORDER BY seq, position")
        .execute(Tuple.tuple().addValue(seqs.toArray(Long[]::new)))
        .map(rows -> {
          Map<Long, List<Map<String, Long>>> ranges = new HashMap<>();
          rows.forEach(row -> ranges.computeIfAbsent(row.getLong("seq"), ignored -> new ArrayList<>())
              .add(Map.of("start", row.getLong("serial_start"), "end", row.getLong("serial_end"))));
          return ranges;
        });
  }
}
