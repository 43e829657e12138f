package org.carbonledger.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.Map;
import org.carbonledger.registry.RegistryState;

/**
 * LedgerCommand is one state change waiting for the writer. The writer runs the commands of a batch in
 * order inside one transaction: {@link #decide} sees the effects of the commands before it in the batch.
 * Commands queued together with {@link LogWriter#appendAll} are a group: their projections run under a savepoint
 * and roll back together if any of them is rejected, so a command needs nothing extra to take part in one.
 */
public interface LedgerCommand {

  /** The entry type it writes, e.g. {@code REGISTRY_CREATED}. */
  String type();

  /**
   * Applies its rules to {@code registry} (the log replayed up to this command, the batch's earlier commands
   * included) at {@code time}, its entry's time, and returns the entry's data, or fails with a
   * CommandRejectedException when a rule forbids it.
   * It MUST NOT change the registry (the writer applies the accepted entry) and MUST NOT write: a rejected
   * command leaves no trace. Any other failure fails the whole batch.
   */
  Future<Map<String, Object>> decide(SqlConnection transaction, RegistryState registry, Instant time);

  /**
   * Updates the projections for its accepted entry at {@code seq}, right after {@link #decide}: through
   * {@code transaction}, or through {@code batch}, which the writer sends with the batch's entries.
   */
  Future<Void> project(SqlConnection transaction, ProjectionBatch batch, long seq, Map<String, Object> data);
}
