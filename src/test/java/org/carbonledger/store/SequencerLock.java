package org.carbonledger.store;

import io.vertx.pgclient.PgConnectOptions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * SequencerLock holds a database's sequencer lock from outside the server, as another writing process would: the
 * writer's next batch then waits for it, and every command after it piles up in the writer's queue until the
 * connection is closed. For tests of what a full or busy writer does, in this package and through a whole server.
 */
public final class SequencerLock {

  private SequencerLock() {}

  /** Takes the sequencer lock of {@code database}; closing the returned connection releases it. */
  public static Connection hold(PgConnectOptions database) throws Exception {
    Connection connection = TestDatabases.jdbc(database);
    try (Statement statement = connection.createStatement()) {
      statement.execute("SELECT pg_advisory_lock(" + LogWriter.SEQUENCER_LOCK_KEY + ")");
    }
    return connection;
  }

  /** Returns once a writer waits for the sequencer lock of {@code database}; fails after about five seconds. */
  public static void awaitWaiter(PgConnectOptions database) throws Exception {
    try (Connection connection = TestDatabases.jdbc(database); Statement statement = connection.createStatement()) {
      for (int attempt = 0; attempt < 500; attempt++) {
        try (ResultSet rows = statement.executeQuery(
            // This database's sequencer lock only: other test classes may wait for theirs on the same server.
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                + " AND ((classid::bigint << 32) | objid::bigint) = " + LogWriter.SEQUENCER_LOCK_KEY)) {
          rows.next();
          if (rows.getLong(1) > 0) {
            return;
          }
        }
        Thread.sleep(10);
      }
    }
    throw new AssertionError("the writer never waited for the sequencer lock");
  }
}
