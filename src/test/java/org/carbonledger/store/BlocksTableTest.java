package org.carbonledger.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * BlocksTableTest proves that PostgreSQL itself refuses a serial in two blocks, whoever writes (the exclusion
 * constraint of migrations/V002), and that the custody lookup by serial finds movements through its
 * index. Method: one block [100, 199] inserted by SQL, then each candidate block in a rolled-back transaction.
 */
class BlocksTableTest {

  private static Vertx vertx;
  private static PgConnectOptions database;

  @BeforeAll
  static void open() throws SQLException {
    vertx = Vertx.vertx();
    database = TestDatabases.create();
    Pool pool = Database.pool(vertx, database, 2);
    TestLedger.await(Database.prepare(pool, database));
    pool.close().await();
    sql("""
        INSERT INTO account_holders VALUES ('H1', 'Holder', 'JP', 0);
        INSERT INTO accounts VALUES ('A1', 'H1', 'Issuance', 'ISSUANCE', 'JCREDIT', 'OPEN', 0, 0);
        INSERT INTO projects VALUES ('P1', 'JCREDIT', 'J-1', 'Project', 'JP', 'EN-S-001', 'ENERGY', 'REDUCTION',
          '2020-01-01', '2030-12-31', '2020-01-01', NULL, 0);
        INSERT INTO issuances VALUES ('I1', 'P1', 'A1', '2021-01-01', '2021-12-31', 2021, 1000, 100, 1099, 'JCU',
          '{}', NULL, 'NOT_APPLICABLE', NULL, NULL, 'NOT_APPLICABLE', 0);
        INSERT INTO blocks VALUES (100, 199, 'I1', 'A1', 'ACTIVE', 0);
        INSERT INTO movements VALUES (0, 0, 'ISSUANCE', 100, 199, 'I1', NULL, 'A1');""");
  }

  @AfterAll
  static void close() {
    vertx.close().await();
  }

  private static void sql(String statements) throws SQLException {
    try (Connection connection = TestDatabases.jdbc(database); Statement statement = connection.createStatement()) {
      statement.execute(statements);
    }
  }

  /** Inserts block [start, end] in a transaction that is rolled back; returns the SQLSTATE of a refusal, or "ok". */
  private static String insertBlock(long start, long end) throws SQLException {
    try (Connection connection = TestDatabases.jdbc(database); Statement statement = connection.createStatement()) {
      connection.setAutoCommit(false);
      try {
        statement.execute("INSERT INTO blocks VALUES (" + start + ", " + end + ", 'I1', 'A1', 'ACTIVE', 1)");
        return "ok";
      } catch (SQLException refused) {
        return refused.getSQLState();
      } finally {
        connection.rollback();
      }
    }
  }

  @ParameterizedTest(name = "[{0}, {1}]: {2}")
  @CsvSource({
      "50, 99, ok",          // ends just before
      "200, 260, ok",        // starts just after
      "50, 100, 23P01",      // shares the first serial
      "199, 250, 23P01",     // shares the last serial
      "120, 130, 23P01",     // inside
      "20, 500, 23P01",      // around
      "101, 101, 23P01",     // one serial inside
      "100, 100, 23505",     // the same start: the primary key refuses it first
  })
  void aSerialInTwoBlocksIsRefusedByTheDatabase(long start, long end, String outcome) throws SQLException {
    assertEquals(outcome, insertBlock(start, end));
  }

  @ParameterizedTest(name = "serial {0}: {1} movements")
  @CsvSource({"99, 0", "100, 1", "150, 1", "199, 1", "200, 0"})
  void movementsAreFoundBySerial(long serial, int found) throws SQLException {
    try (Connection connection = TestDatabases.jdbc(database); Statement statement = connection.createStatement()) {
      statement.execute("SET enable_seqscan = off"); // the index must answer, as it does on a large table
      try (ResultSet rows = statement.executeQuery("EXPLAIN SELECT seq FROM movements WHERE int8range(serial_start, serial_end, '[]') @> "
          + serial + "::bigint")) {
        StringBuilder plan = new StringBuilder();
        while (rows.next()) {
          plan.append(rows.getString(1)).append('\n');
        }
        assertTrue(plan.toString().contains("movements_serials"), plan.toString());
      }
      try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM movements WHERE int8range(serial_start, serial_end, '[]') @> "
          + serial + "::bigint")) {
        rows.next();
        assertEquals(found, rows.getInt(1));
      }
    }
  }
}
