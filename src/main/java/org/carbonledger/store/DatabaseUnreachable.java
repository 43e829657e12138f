package org.carbonledger.store;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;

/**
 * DatabaseUnreachable tells a failure caused by PostgreSQL being down, restarting or cut off from a failure
 * of ours, so that callers can answer the first with a retryable code instead of an internal error.
 */
public final class DatabaseUnreachable {

  // The SQL client fails commands queued on a connection that is closing with plain exceptions carrying these
  // messages (no dedicated type in Vert.x 5.0.7).
  private static final String[] CLOSED_CONNECTION_MESSAGES = {
      "Connection is not active now", "Pending requests failed to be sent due to connection has been closed"};

  private DatabaseUnreachable() {
  }

  /**
   * True when {@code failure} or one of its causes is: a refused, reset or closed connection (any socket
   * IOException), PostgreSQL's connection errors (SQLSTATE class 08), its shutdown and start-up refusals
   * (57P01..57P03), or a hot standby cancelling a read that conflicts with its replay (40001 or 40P01 "... due to
   * conflict with recovery", which a read-only server meets; the same codes on a primary, a serialization failure or
   * a deadlock, are a fault and not counted): each passes if retried later.
   */
  public static boolean is(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof IOException || cause instanceof ClosedConnectionException) {
        return true;
      }
      if (cause instanceof PgException pg && pg.getSqlState() != null
          && (pg.getSqlState().startsWith("08") || pg.getSqlState().matches("57P0[123]") || recoveryConflict(pg))) {
        return true;
      }
      String message = cause.getMessage();
      if (message != null) {
        for (String closed : CLOSED_CONNECTION_MESSAGES) {
          if (message.startsWith(closed)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * A hot standby's cancellation of a read for its replay, told from a serialization failure or deadlock on a primary
   * (the same codes) by its message, which PostgreSQL words in English unless lc_messages says otherwise.
   */
  private static boolean recoveryConflict(PgException pg) {
    return pg.getSqlState().matches("40001|40P01") && pg.getErrorMessage() != null
        && pg.getErrorMessage().contains("conflict with recovery");
  }
}
