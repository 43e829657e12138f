package org.carbonledger.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.Map;
import org.carbonledger.registry.RegistryState;

/**
 * RegistryCreated writes entry 0, which every log starts with: the log's origin and the verifier key of
 * the key that signs its checkpoints, so a verifier can learn both from the log itself.
 */
final class RegistryCreated implements LedgerCommand {

  static final String TYPE = "REGISTRY_CREATED";

  private final String origin;
  private final String verifierKey;

  RegistryCreated(String origin, String verifierKey) {
    this.origin = origin;
    this.verifierKey = verifierKey;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Future<Map<String, Object>> decide(SqlConnection transaction, RegistryState registry, Instant time) {
    return transaction.query("SELECT count(*) FROM entries").execute().compose(rows -> {
      if (rows.iterator().next().getLong(0) > 0) {
        return Future.failedFuture(new CommandRejectedException("REGISTRY_ALREADY_CREATED", "the log already has entry 0"));
      }
      return Future.succeededFuture(Map.of("origin", origin, "verifierKey", verifierKey));
    });
  }

  @Override
  public Future<Void> project(SqlConnection transaction, ProjectionBatch batch, long seq, Map<String, Object> data) {
    return Future.succeededFuture();
  }
}
