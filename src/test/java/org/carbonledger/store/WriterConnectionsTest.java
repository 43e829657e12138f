package org.carbonledger.store;

import static org.carbonledger.store.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import org.junit.jupiter.api.Test;

/**
 * WriterConnectionsTest: with connections of its own, the writer commits while readers hold every connection of
 * the request pool, as a flood of heavy reads would.
 */
class WriterConnectionsTest {

  @Test
  void readersHoldingEveryPooledConnectionDoNotDelayACommit() {
    Vertx vertx = Vertx.vertx();
    PgConnectOptions database = TestDatabases.create();
    Pool requests = Database.pool(vertx, database, 1);
    Pool writer = Database.pool(vertx, database, 2);
    try {
      await(Database.prepare(requests, database));
      Ledger ledger = await(Ledger.open(vertx, requests, writer, TestLedger.SIGNER, TestLedger.ORIGIN,
          LogWriter.Limits.DEFAULT));
      SqlConnection held = await(requests.getConnection()); // the request pool's only connection
      try {
        LogWriter.Appended appended = await(ledger.writer().append(new TestLedger.Note("while readers wait")));
        assertEquals(1, appended.seq());
      } finally {
        held.close();
      }
    } finally {
      requests.close().await();
      writer.close().await();
      vertx.close().await();
    }
  }
}
