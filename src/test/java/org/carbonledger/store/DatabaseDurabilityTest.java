package org.carbonledger.store;

import static org.carbonledger.store.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * DatabaseDurabilityTest: the server's sessions commit synchronously even on a database whose own default is
 * {@code synchronous_commit = off}, where a COMMIT would answer before its WAL is on disk and an acknowledged
 * entry could be lost in a crash.
 */
class DatabaseDurabilityTest {

  @Test
  void sessionsCommitSynchronouslyWhateverTheDatabaseSays() throws Exception {
    PgConnectOptions database = TestDatabases.create();
    try (Connection admin = TestDatabases.jdbc(database); Statement statement = admin.createStatement()) {
      statement.execute("ALTER DATABASE \"" + database.getDatabase() + "\" SET synchronous_commit = off");
    }
    Vertx vertx = Vertx.vertx();
    try (Connection plain = TestDatabases.jdbc(database); Statement statement = plain.createStatement()) {
      var result = statement.executeQuery("SHOW synchronous_commit");
      result.next();
      assertEquals("off", result.getString(1), "a plain session takes the database's default");
      Pool pool = Database.pool(vertx, database, 2);
      String setting = await(pool.query("SHOW synchronous_commit").execute()).iterator().next().getString(0);
      assertEquals("on", setting);
      pool.close().await();
    } finally {
      vertx.close().await();
    }
  }
}
