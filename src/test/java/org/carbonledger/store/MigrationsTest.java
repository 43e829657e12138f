package org.carbonledger.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MigrationsTest applies migrations to fresh databases on a real PostgreSQL and checks each refusal. */
class MigrationsTest {

  private Vertx vertx;
  private PgConnectOptions database;
  private Pool pool;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    database = TestDatabases.create();
    pool = Database.pool(vertx, database, 4);
  }

  @AfterEach
  void tearDown() {
    pool.close().await();
    vertx.close().await();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static Throwable failureOf(Future<?> future) {
    Exception thrown = assertThrows(Exception.class, () -> await(future));
    return thrown instanceof java.util.concurrent.ExecutionException || thrown instanceof CompletionException ? thrown.getCause() : thrown;
  }

  private static List<Migrations.Migration> migrations(String... nameThenSql) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (int i = 0; i < nameThenSql.length; i += 2) {
      files.put(nameThenSql[i], nameThenSql[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return Migrations.parse(files);
  }

  private long count(String sql) throws Exception {
    try (Connection connection = TestDatabases.jdbc(database); Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  @Test
  void bundledMigrationsApplyOnceAndCreateTheLedgerTables() throws Exception {
    List<Migrations.Migration> bundled = Migrations.bundled();
    assertFalse(bundled.isEmpty());
    assertEquals(bundled.size(), await(Migrations.apply(pool, bundled)));
    assertEquals(0, await(Migrations.apply(pool, bundled)));
    assertEquals(bundled.size(), count("SELECT count(*) FROM schema_migrations"));
    assertEquals(0, count("SELECT count(*) FROM entries"));
  }

  @Test
  void accountBalancesAreFilledFromTheBlocksOfAnExistingRegistry() throws Exception {
    List<Migrations.Migration> bundled = Migrations.bundled();
    Migrations.Migration balances = bundled.stream().filter(migration -> migration.fileName().contains("account_balances"))
        .findFirst().orElseThrow();
    assertTrue(balances.sql().contains("pg_advisory_xact_lock(" + LogWriter.SEQUENCER_LOCK_KEY + ")"),
        "the backfill holds the sequencer's lock, so no batch commits between its read and its commit");
    await(Migrations.apply(pool, bundled.subList(0, bundled.indexOf(balances))));
    try (Connection connection = TestDatabases.jdbc(database); Statement statement = connection.createStatement()) {
      statement.execute("""
          INSERT INTO account_holders VALUES ('H1', 'Holder', 'JP', 0);
          INSERT INTO accounts VALUES ('A1', 'H1', 'Issuance', 'ISSUANCE', 'JCREDIT', 'ACTIVE', 0, 0),
                                      ('A2', 'H1', 'Holding', 'HOLDING', NULL, 'ACTIVE', 0, 0),
                                      ('A3', 'H1', 'Empty', 'HOLDING', NULL, 'ACTIVE', 0, 0);
          INSERT INTO projects VALUES ('P1', 'JCREDIT', 'J-1', 'Project', 'JP', 'EN-S-001', 'ENERGY', 'REDUCTION',
            '2020-01-01', '2030-12-31', '2020-01-01', NULL, 0);
          INSERT INTO issuances VALUES ('I1', 'P1', 'A1', '2021-01-01', '2021-12-31', 2021, 1000, 1, 1000, 'JCU',
            '{}', NULL, 'NOT_APPLICABLE', NULL, NULL, 'NOT_APPLICABLE', 0);
          INSERT INTO blocks VALUES (1, 600, 'I1', 'A1', 'ACTIVE', 0), (601, 700, 'I1', 'A2', 'ACTIVE', 1),
                                    (701, 1000, 'I1', 'A2', 'RETIRED', 2);""");
    }
    assertEquals(1, await(Migrations.apply(pool, bundled.subList(0, bundled.indexOf(balances) + 1))));
    assertEquals(600, count("SELECT active FROM account_balances WHERE account_id = 'A1'"));
    assertEquals(100, count("SELECT active FROM account_balances WHERE account_id = 'A2'"), "retired units are not active");
    assertEquals(0, count("SELECT active FROM account_balances WHERE account_id = 'A3'"), "an account without blocks has a zero row");
    assertEquals(3, count("SELECT count(*) FROM account_balances"));
  }

  @Test
  void appliesInVersionOrderNotFileOrder() throws Exception {
    List<Migrations.Migration> list = migrations(
        "V2__add_column.sql", "ALTER TABLE t ADD COLUMN b int;",
        "V10__fill.sql", "INSERT INTO t (a, b) VALUES (1, 2);",
        "V1__create.sql", "CREATE TABLE t (a int);");
    assertEquals(3, await(Migrations.apply(pool, list)));
    assertEquals(3, count("SELECT a + b FROM t"));
  }

  @Test
  void changedAppliedMigrationRefusesToStart() throws Exception {
    await(Migrations.apply(pool, migrations("V1__create.sql", "CREATE TABLE t (a int);")));
    Throwable failure = failureOf(Migrations.apply(pool, migrations("V1__create.sql", "CREATE TABLE t (a bigint);")));
    assertInstanceOf(Migrations.MigrationException.class, failure);
    assertTrue(failure.getMessage().contains("V1__create.sql was changed"), failure.getMessage());
  }

  @Test
  void unknownAppliedMigrationRefusesToStart() throws Exception {
    await(Migrations.apply(pool, migrations("V1__create.sql", "CREATE TABLE t (a int);", "V2__more.sql", "CREATE TABLE u (a int);")));
    Throwable failure = failureOf(Migrations.apply(pool, migrations("V1__create.sql", "CREATE TABLE t (a int);")));
    assertTrue(failure.getMessage().contains("V2__more.sql, which this build does not have"), failure.getMessage());
  }

  @Test
  void failingMigrationLeavesTheDatabaseAsItWas() throws Exception {
    Throwable failure = failureOf(Migrations.apply(pool, migrations(
        "V1__create.sql", "CREATE TABLE t (a int);",
        "V2__broken.sql", "CREATE TABLE u (a nosuchtype);")));
    assertTrue(failure.getMessage().contains("V2__broken.sql failed"), failure.getMessage());
    assertEquals(0, count("SELECT count(*) FROM pg_tables WHERE tablename IN ('t', 'u', 'schema_migrations')"));
  }

  @Test
  void concurrentStartsApplyEachMigrationOnce() throws Exception {
    List<Migrations.Migration> list = migrations(
        "V1__create.sql", "CREATE TABLE t (a int);", "V2__row.sql", "INSERT INTO t VALUES (1);");
    Pool second = Database.pool(vertx, database, 2);
    try {
      List<Integer> applied = await(Future.all(Migrations.apply(pool, list), Migrations.apply(second, list))).list();
      assertEquals(2, applied.get(0) + applied.get(1));
      assertEquals(1, count("SELECT count(*) FROM t"));
    } finally {
      second.close().await();
    }
  }

  @Test
  void badFileNamesAndDuplicateVersionsAreRejected() {
    assertThrows(IllegalStateException.class, () -> migrations("create.sql", "SELECT 1;"));
    assertThrows(IllegalStateException.class, () -> migrations("V1__a.sql", "SELECT 1;", "V01__b.sql", "SELECT 1;"));
  }
}
