package org.carbonledger.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** Database opens the connection pool and brings the schema to this build's version. */
public final class Database {

  private Database() {}

  /** A pool of at most {@code sizeMax} connections; connections open lazily. */
  public static Pool pool(Vertx vertx, PgConnectOptions connect, int sizeMax) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(sizeMax).setName("carbon-ledger").setShared(false))
        .connectingTo(new PgConnectOptions(connect).setCachePreparedStatements(true).setPipeliningLimit(256))
        .using(vertx)
        .build();
  }

  /**
   * Checks that the database answers, then applies the pending migrations. Fails with a
   * DatabaseUnreachableException or a Migrations.MigrationException whose message says what to fix.
   */
  public static Future<Integer> prepare(Pool pool, PgConnectOptions connect) {
    return pool.query("SELECT 1").execute()
        .recover(failure -> Future.failedFuture(new DatabaseUnreachableException(describe(connect), failure)))
        .compose(answered -> {
          try {
            return Migrations.apply(pool, Migrations.bundled());
          } catch (java.io.IOException e) {
            return Future.failedFuture(e);
          }
        });
  }

  /** host:port/database, never the password. */
  public static String describe(PgConnectOptions connect) {
    return connect.getHost() + ":" + connect.getPort() + "/" + connect.getDatabase();
  }

  /** DatabaseUnreachableException: no connection could be made or the server refused us. */
  public static final class DatabaseUnreachableException extends RuntimeException {
    DatabaseUnreachableException(String where, Throwable cause) {
      super("cannot reach PostgreSQL at " + where + ": " + cause.getMessage(), cause);
    }
  }
}
