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

  /**
   * V010 recomputes the Article 6 first transfer that older builds projected at any retirement or cancellation: under
   * a use-or-cancellation letter it is DONE only after a use outside the host country, an EXPORT or an OTHER.
   */
  @Test
  void theFirstTransferIsRecomputedFromTheUsesOfAnOlderBuild() throws Exception {
    List<Migrations.Migration> bundled = Migrations.bundled();
    Migrations.Migration recompute = bundled.stream().filter(migration -> migration.fileName().startsWith("V010__"))
        .findFirst().orElseThrow();
    await(Migrations.apply(pool, bundled.subList(0, bundled.indexOf(recompute))));
    record Use(String issuance, String letter, String kind, String purposeOrReason, String ndcCountry, String olderBuild,
        String expected) {}
    List<Use> uses = List.of(
        new Use("I1", "L1", "RETIRED", "NDC", "JP", "DONE", "PENDING"),
        new Use("I2", "L1", "RETIRED", "NDC", "TH", "DONE", "DONE"),
        new Use("I3", "L1", "RETIRED", "VOLUNTARY_OFFSET", null, "DONE", "DONE"),
        new Use("I4", "L1", "RETIRED", "GX_ETS", null, "DONE", "PENDING"),
        new Use("I5", "L1", "CANCELLED", "INVALIDATION", null, "DONE", "PENDING"),
        new Use("I6", "L1", "CANCELLED", "BUFFER_LOSS", null, "DONE", "PENDING"),
        new Use("I7", "L1", "CANCELLED", "EXPORT", null, "DONE", "DONE"),
        new Use("I8", "L1", "CANCELLED", "OTHER", null, "DONE", "DONE"),
        new Use("I9", "L1", "TRANSFERRED", null, null, "PENDING", "PENDING"),
        // Under a letter whose first transfer is at issuance, nothing changes.
        new Use("I10", "L2", "RETIRED", "NDC", "JP", "DONE", "DONE"));
    try (Connection connection = TestDatabases.jdbc(database); Statement statement = connection.createStatement()) {
      statement.execute("""
          INSERT INTO account_holders VALUES ('H1', 'Holder', 'JP', 0);
          INSERT INTO accounts VALUES ('A1', 'H1', 'Issuance', 'ISSUANCE', 'JCREDIT', 'ACTIVE', 0, 0),
                                      ('A2', 'H1', 'Holding', 'HOLDING', NULL, 'ACTIVE', 0, 0);
          INSERT INTO projects VALUES ('P1', 'JCREDIT', 'J-1', 'Project', 'JP', 'EN-S-001', 'ENERGY', 'REDUCTION',
            '2020-01-01', '2030-12-31', '2020-01-01', NULL, 0);
          INSERT INTO authorisations (authorisation_id, host_country, loa_reference, loa_date, purpose,
              first_transfer_definition, authorised_quantity, vintage_from, vintage_to, recorded_seq)
            VALUES ('L1', 'JP', 'LOA-1', '2024-01-01', 'NDC_AND_OIMP', 'USE_OR_CANCELLATION', 100000, 2021, 2030, 0),
                   ('L2', 'JP', 'LOA-2', '2024-01-01', 'OIMP', 'ISSUANCE', 100000, 2021, 2030, 0);""");
      for (int i = 0; i < uses.size(); i++) {
        Use use = uses.get(i);
        long seq = 10 + i;
        long serial = 100L * i + 1;
        statement.execute("INSERT INTO issuances (issuance_id, project_id, account_id, monitoring_start, monitoring_end,"
            + " vintage, quantity, serial_start, serial_end, unit_type, labels, authorisation_id, corresponding_adjustment,"
            + " first_transfer, issued_seq) VALUES ('" + use.issuance() + "', 'P1', 'A1', '2022-01-01', '2022-12-31', 2022,"
            + " 100, " + serial + ", " + (serial + 99) + ", 'JCU', '{}', '" + use.letter() + "', 'PENDING', '"
            + use.olderBuild() + "', 1)");
        statement.execute("INSERT INTO movements VALUES (" + seq + ", 0, '" + use.kind() + "', " + serial + ", " + serial
            + ", '" + use.issuance() + "', 'A2', NULL)");
        if (use.kind().equals("RETIRED")) {
          statement.execute("INSERT INTO retirements (seq, account_id, quantity, purpose, beneficiary_name, reporting_year,"
              + " ndc_country) VALUES (" + seq + ", 'A2', 1, '" + use.purposeOrReason() + "', 'B', 2024, "
              + (use.ndcCountry() == null ? "NULL" : "'" + use.ndcCountry() + "'") + ")");
        } else if (use.kind().equals("CANCELLED")) {
          statement.execute("INSERT INTO cancellations (seq, account_id, quantity, reason) VALUES (" + seq + ", 'A2', 1, '"
              + use.purposeOrReason() + "')");
        }
      }
    }
    assertEquals(1, await(Migrations.apply(pool, bundled.subList(0, bundled.indexOf(recompute) + 1))));
    for (Use use : uses) {
      assertEquals(1, count("SELECT count(*) FROM issuances WHERE issuance_id = '" + use.issuance() + "' AND first_transfer = '"
          + use.expected() + "'"), use + " is " + use.expected());
    }
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
