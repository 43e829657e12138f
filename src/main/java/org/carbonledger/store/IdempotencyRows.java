package org.carbonledger.store;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.carbonledger.registry.RejectCode;

/**
 * IdempotencyRows reads and writes the {@code idempotency_keys} table for the writer, inside the writer's
 * batch transaction and under its sequencer lock, so what it reads cannot change before the batch commits.
 */
final class IdempotencyRows {

  /** Recorded is what a stored key stands for: the fingerprint of its request and the entries it wrote. */
  record Recorded(byte[] requestHash, List<LogWriter.Appended> appended) {

    /** The original entries if {@code key} asks the same thing, else the IDEMPOTENCY_CONFLICT rejection. */
    Object answer(IdempotencyKey key) {
      if (Arrays.equals(requestHash, key.requestHash())) {
        return appended;
      }
      return new CommandRejectedException(RejectCode.IDEMPOTENCY_CONFLICT.name(), "idempotency key \"" + key.key()
          + "\" was used for a different request, which wrote seq " + appended.get(0).seq());
    }
  }

  private IdempotencyRows() {}

  /** The stored keys among {@code scopes}, each with its entries; one query, none when there are no scopes. */
  static Future<Map<IdempotencyKey.Scope, Recorded>> fetch(SqlConnection transaction, Collection<IdempotencyKey.Scope> scopes) {
    if (scopes.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    String[] principals = scopes.stream().map(IdempotencyKey.Scope::principalId).toArray(String[]::new);
    String[] keys = scopes.stream().map(IdempotencyKey.Scope::key).toArray(String[]::new);
    return transaction.preparedQuery("""
            SELECT k.principal_id, k.idempotency_key, k.request_hash, e.seq, e.leaf_hash, e.type, e.body
            FROM idempotency_keys k
            JOIN entries e ON e.seq >= k.first_seq AND e.seq < k.first_seq + k.entry_count
            WHERE (k.principal_id, k.idempotency_key) IN (SELECT * FROM unnest($1::text[], $2::text[]))
            ORDER BY e.seq""")
        .execute(Tuple.tuple().addValue(principals).addValue(keys))
        .map(rows -> {
          Map<IdempotencyKey.Scope, byte[]> hashes = new HashMap<>();
          Map<IdempotencyKey.Scope, List<LogWriter.Appended>> entries = new HashMap<>();
          for (Row row : rows) {
            IdempotencyKey.Scope scope = new IdempotencyKey.Scope(row.getString("principal_id"), row.getString("idempotency_key"));
            hashes.put(scope, row.getBuffer("request_hash").getBytes());
            entries.computeIfAbsent(scope, ignored -> new ArrayList<>()).add(new LogWriter.Appended(row.getLong("seq"),
                row.getBuffer("leaf_hash").getBytes(), row.getBuffer("body").getBytes(), row.getString("type"), 0, null));
          }
          Map<IdempotencyKey.Scope, Recorded> recorded = new HashMap<>();
          hashes.forEach((scope, hash) -> recorded.put(scope, new Recorded(hash, List.copyOf(entries.get(scope)))));
          return recorded;
        });
  }

  /** The row of {@code key} for its request's entries, for {@link #insert}. */
  static Tuple row(IdempotencyKey key, List<LogWriter.Appended> appended) {
    return Tuple.of(key.principalId(), key.key(), Buffer.buffer(key.requestHash()), appended.get(0).seq(), appended.size());
  }

  /** Inserts the batch's new keys, in the transaction that inserts the entries they name. */
  static Future<Void> insert(SqlConnection transaction, List<Tuple> rows) {
    if (rows.isEmpty()) {
      return Future.succeededFuture();
    }
    return transaction.preparedQuery("""
            INSERT INTO idempotency_keys (principal_id, idempotency_key, request_hash, first_seq, entry_count)
            VALUES ($1, $2, $3, $4, $5)""")
        .executeBatch(rows)
        .mapEmpty();
  }
}
