package org.carbonledger.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.util.logging.Logger;

/** Database opens the connection pool and brings the schema to this build's version. */
public final class Database {

  private static final Logger LOG = Logger.getLogger(Database.class.getName());

  private Database() {}

  /**
   * A pool of at most {@code sizeMax} connections; connections open lazily. Every session runs with
   * {@code synchronous_commit = on}, whatever the database or role says: a COMMIT answers only once its WAL is
   * flushed (and, with synchronous standbys, flushed there too), because the writer acknowledges a mutation when
   * its COMMIT answers. {@code off} would let a crash lose acknowledged entries. It is a SET when the
   * connection opens, not a startup parameter, which connection poolers such as PgBouncer refuse.
   */
  public static Pool pool(Vertx vertx, PgConnectOptions connect, int sizeMax) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(sizeMax).setName("carbon-ledger").setShared(false))
        .connectingTo(new PgConnectOptions(connect).setCachePreparedStatements(true).setPipeliningLimit(256))
        .withConnectHandler(opened -> opened.query("SET synchronous_commit TO on").execute()
            .onFailure(failure -> LOG.severe("store.durability_at_risk setting=\"synchronous_commit\" error=\""
                + failure.getMessage() + "\" advice=\"this connection's commits may be acknowledged before they are"
                + " durable\""))
            .onComplete(set -> opened.close())) // back to the pool
        .using(vertx)
        .build();
  }

  /**
   * Checks that the database answers, then applies the pending migrations. Fails with a
   * DatabaseUnreachableException or a Migrations.MigrationException whose message says what to fix.
   */
  public static Future<Integer> prepare(Pool pool, PgConnectOptions connect) {
    return pool.query("SELECT current_setting('fsync')").execute()
        .recover(failure -> Future.failedFuture(new DatabaseUnreachableException(describe(connect), failure)))
        .compose(answered -> {
          if (!"on".equals(answered.iterator().next().getString(0))) {
            // A session cannot turn it back on; a crash of the machine may then lose committed transactions.
            LOG.severe("store.durability_at_risk setting=\"fsync = off\" advice=\"PostgreSQL does not flush its WAL"
                + " to disk: a power loss or OS crash can lose acknowledged entries; set fsync = on\"");
          }
          try {
            return Migrations.apply(pool, Migrations.bundled());
          } catch (IOException e) {
            return Future.failedFuture(e);
          }
        });
  }

  /**
   * Checks that the database answers and has this build's schema, writing nothing: the start of a read-only
   * server, whose database may be a hot standby. Fails as {@link #prepare} does.
   */
  public static Future<Void> checkSchema(Pool pool, PgConnectOptions connect) {
    return pool.query("SELECT 1").execute()
        .recover(failure -> Future.failedFuture(new DatabaseUnreachableException(describe(connect), failure)))
        .compose(answered -> {
          try {
            return Migrations.check(pool, Migrations.bundled());
          } catch (IOException e) {
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
