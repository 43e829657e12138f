package org.carbonledger.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How a subscription that fails while it streams ends: the retryable UNAVAILABLE when the database could not be read
 * (its connection lost, or a hot standby cancelling the read to replay the primary's changes), INTERNAL otherwise.
 */
class SubscriptionStreamErrorTest {

  @Test
  void aLostDatabaseOrARecoveryConflictIsRetryable() {
    PgException recoveryConflict = new PgException("canceling statement due to conflict with recovery", "ERROR", "40001", null);
    for (Throwable failure : new Throwable[] {recoveryConflict, ClosedConnectionException.INSTANCE}) {
      Map<String, Object> error = GraphQLWebSocketOperation.streamError(failure, "abc");
      assertEquals(Map.of("code", ErrorCodes.UNAVAILABLE), error.get("extensions"), failure.toString());
      assertTrue(((String) error.get("message")).contains("incident abc"));
    }
  }

  @Test
  void anythingElseIsInternal() {
    Map<String, Object> error = GraphQLWebSocketOperation.streamError(new IllegalStateException("a bug"), "abc");
    assertEquals(Map.of("code", ErrorCodes.INTERNAL), error.get("extensions"));
  }
}
