package org.carbonledger.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;

/**
 * IdempotencyLookup answers what a principal's request with an idempotency key wrote, for a client that lost its
 * request as well as the answer (docs/API.md, "Safe retries"). Keys are kept for ever and a row only ever
 * inserted, in the transaction of its entries: a key found here was written, one not found was not (yet).
 */
public final class IdempotencyLookup {

  /** The entries one keyed request wrote: {@code firstSeq} and the {@code entryCount} after it. */
  public record Written(long firstSeq, int entryCount) {}

  private final SqlClient sql;

  public IdempotencyLookup(SqlClient sql) {
    this.sql = sql;
  }

  /** What the request of {@code principalId} with {@code key} wrote, or empty when it wrote nothing. */
  public Future<Optional<Written>> find(String principalId, String key) {
    return sql.preparedQuery("SELECT first_seq, entry_count FROM idempotency_keys WHERE principal_id = $1 AND idempotency_key = $2")
        .execute(Tuple.of(principalId, key))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.empty();
          }
          Row row = rows.iterator().next();
          return Optional.of(new Written(row.getLong(0), row.getInteger(1)));
        });
  }
}
