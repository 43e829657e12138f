package org.carbonledger.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.net.SocketException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** What DatabaseUnreachable counts as an outage (the failures seen while PostgreSQL restarts), and what it does not. */
class DatabaseUnreachableTest {

  private static PgException pg(String sqlState) {
    return new PgException("message", "FATAL", sqlState, null);
  }

  @Test
  void connectionFailuresAndShutdownRefusalsAreOutages() {
    assertTrue(DatabaseUnreachable.is(new ConnectException("Connection refused")));
    assertTrue(DatabaseUnreachable.is(new CompletionException(new SocketException("Connection reset"))));
    assertTrue(DatabaseUnreachable.is(new RuntimeException("wrapped", new SocketException("Broken pipe"))));
    assertTrue(DatabaseUnreachable.is(ClosedConnectionException.INSTANCE));
    assertTrue(DatabaseUnreachable.is(new VertxException("Connection is not active now, current status: CLOSED", true)));
    assertTrue(DatabaseUnreachable.is(pg("57P01")));
    assertTrue(DatabaseUnreachable.is(pg("57P03")));
    assertTrue(DatabaseUnreachable.is(pg("08006")));
    // On a hot standby a read-only server reads:
    assertTrue(DatabaseUnreachable.is(new PgException("canceling statement due to conflict with recovery", "ERROR", "40001", null)));
    assertTrue(DatabaseUnreachable.is(new PgException("canceling statement due to conflict with recovery", "ERROR", "40P01", null)));
  }

  @Test
  void ruleAndProgrammingFailuresAreNot() {
    assertFalse(DatabaseUnreachable.is(pg("23505")));
    assertFalse(DatabaseUnreachable.is(pg("57014")));
    // The same codes on a primary are a serialization failure or a deadlock: a fault, not an outage.
    assertFalse(DatabaseUnreachable.is(new PgException("could not serialize access due to concurrent update", "ERROR", "40001", null)));
    assertFalse(DatabaseUnreachable.is(new PgException("deadlock detected", "ERROR", "40P01", null)));
    assertFalse(DatabaseUnreachable.is(new IllegalStateException("a bug")));
    assertFalse(DatabaseUnreachable.is(new VertxException("Connection pool reached max wait queue size", true)));
    assertFalse(DatabaseUnreachable.is(null));
  }
}
