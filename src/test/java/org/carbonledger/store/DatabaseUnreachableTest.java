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
    // "canceling statement due to conflict with recovery", on a hot standby a read-only server reads
    assertTrue(DatabaseUnreachable.is(pg("40001")));
    assertTrue(DatabaseUnreachable.is(pg("40P01"))); // "buffer deadlock with recovery" there
  }

  @Test
  void ruleAndProgrammingFailuresAreNot() {
    assertFalse(DatabaseUnreachable.is(pg("23505")));
    assertFalse(DatabaseUnreachable.is(pg("57014")));
    assertFalse(DatabaseUnreachable.is(pg("40002")));
    assertFalse(DatabaseUnreachable.is(new IllegalStateException("a bug")));
    assertFalse(DatabaseUnreachable.is(new VertxException("Connection pool reached max wait queue size", true)));
    assertFalse(DatabaseUnreachable.is(null));
  }
}
