package org.carbonledger.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Stream;
import org.carbonledger.ledger.EntryCodec;
import org.carbonledger.ledger.Hashes;
import org.carbonledger.ledger.Hex;
import org.carbonledger.ledger.LedgerEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * LedgerTablesTest proves that PostgreSQL itself keeps the ledger append-only and chained, whoever writes:
 * each row is one statement a buggy or hostile writer might run, and the database's refusal of it. Every
 * case runs in a transaction that is rolled back, so the cases cannot affect each other.
 */
class LedgerTablesTest {

  private static TestLedger log;
  private static byte[] entry0Hash;
  private static Instant headTime;

  @BeforeAll
  static void openLog() {
    log = TestLedger.open();
    for (int i = 0; i < 3; i++) {
      TestLedger.await(log.ledger.writer().append(new TestLedger.Note("note " + i)));
    }
    entry0Hash = TestLedger.await(log.ledger.reader().entry(0)).orElseThrow().leafHash();
    headTime = TestLedger.await(log.ledger.reader().entry(3)).orElseThrow().time();
  }

  @AfterAll
  static void closeLog() {
    log.close();
  }

  /** A well-formed next entry (seq 4) as the writer would insert it, to be altered one field at a time. */
  private record Row(long seq, byte[] leafHash, byte[] prevHash, String type, Instant time, byte[] body) {
    static Row next() {
      return at(Instant.parse("2030-01-01T00:00:00.000001Z"));
    }

    /** The next entry, sequenced at {@code time} in its body and its entry_time column alike. */
    static Row at(Instant time) {
      byte[] prev = TestLedger.await(log.ledger.reader().entry(3)).orElseThrow().leafHash();
      byte[] body = EntryCodec.encode(new LedgerEntry(4, Hex.encode(prev), time, "TEST_NOTE", Map.of("text", "by hand")));
      return new Row(4, Hashes.leafHash(body), prev, "TEST_NOTE", time, body);
    }

    Row withSeq(long value) {
      return new Row(value, leafHash, prevHash, type, time, body);
    }

    Row withPrev(byte[] value) {
      return new Row(seq, leafHash, value, type, time, body);
    }

    Row withType(String value) {
      return new Row(seq, leafHash, prevHash, value, time, body);
    }

    Row withTime(Instant value) {
      return new Row(seq, leafHash, prevHash, type, value, body);
    }

    Row withBody(byte[] value, boolean rehash) {
      return new Row(seq, rehash ? Hashes.leafHash(value) : leafHash, prevHash, type, time, value);
    }
  }

  private static void insert(Connection connection, Row row) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO entries (seq, leaf_hash, prev_hash, type, entry_time, body) VALUES (?, ?, ?, ?, ?, ?)")) {
      insert.setLong(1, row.seq());
      insert.setBytes(2, row.leafHash());
      insert.setBytes(3, row.prevHash());
      insert.setString(4, row.type());
      insert.setObject(5, OffsetDateTime.ofInstant(row.time(), ZoneOffset.UTC));
      insert.setBytes(6, row.body());
      insert.execute();
    }
  }

  /** Runs {@code action} in a transaction that is always rolled back. */
  private static void inRolledBackTransaction(SqlAction action) throws Exception {
    try (Connection connection = TestDatabases.jdbc(log.database)) {
      connection.setAutoCommit(false);
      try {
        action.run(connection);
      } finally {
        connection.rollback();
      }
    }
  }

  interface SqlAction {
    void run(Connection connection) throws Exception;
  }

  static Stream<Arguments> refusedStatements() {
    byte[] otherBody = EntryCodec.encode(new LedgerEntry(4, LedgerEntry.ZERO_HASH_HEX, Instant.EPOCH, "TEST_NOTE", Map.of()));
    return Stream.of(
        Arguments.of("update an entry", (SqlAction) c -> exec(c, "UPDATE entries SET type = 'X' WHERE seq = 1"), "append-only"),
        Arguments.of("delete an entry", (SqlAction) c -> exec(c, "DELETE FROM entries WHERE seq = 3"), "append-only"),
        Arguments.of("truncate entries", (SqlAction) c -> exec(c, "TRUNCATE entries"), "append-only"),
        Arguments.of("update a checkpoint", (SqlAction) c -> exec(c, "UPDATE checkpoints SET signed_note = 'forged'"), "append-only"),
        Arguments.of("delete a checkpoint", (SqlAction) c -> exec(c, "DELETE FROM checkpoints"), "append-only"),
        Arguments.of("truncate checkpoints", (SqlAction) c -> exec(c, "TRUNCATE checkpoints"), "append-only"),
        Arguments.of("update a tree node", (SqlAction) c -> exec(c, "UPDATE tree_nodes SET hash = hash"), "append-only"),
        Arguments.of("delete a tree node", (SqlAction) c -> exec(c, "DELETE FROM tree_nodes"), "append-only"),
        Arguments.of("truncate tree nodes", (SqlAction) c -> exec(c, "TRUNCATE tree_nodes"), "append-only"),
        Arguments.of("insert with a seq gap", (SqlAction) c -> insert(c, Row.next().withSeq(5)), "does not follow the head seq 3"),
        Arguments.of("insert a second entry 3 (fork)", (SqlAction) c -> insert(c, Row.next().withSeq(3)), "does not follow the head seq 3"),
        Arguments.of("insert with a wrong prev", (SqlAction) c -> insert(c, Row.next().withPrev(entry0Hash)), "prev_hash is not the leaf hash of entry 3"),
        Arguments.of("insert with a leaf hash not of the body", (SqlAction) c -> insert(c, Row.next().withBody(otherBody, false)), "leaf_hash is not SHA-256"),
        Arguments.of("insert a body whose prev disagrees", (SqlAction) c -> insert(c, Row.next().withBody(otherBody, true)), "body disagrees"),
        Arguments.of("insert a body whose type disagrees", (SqlAction) c -> insert(c, Row.next().withType("OTHER")), "body disagrees"),
        Arguments.of("insert a body whose time disagrees by a microsecond", (SqlAction) c -> insert(c,
            Row.next().withTime(Instant.parse("2030-01-01T00:00:00.000002Z"))), "body disagrees"),
        Arguments.of("insert an entry at time infinity", (SqlAction) c -> exec(c,
            "INSERT INTO entries (seq, leaf_hash, prev_hash, type, entry_time, body) SELECT 4, sha256('\\x00'::bytea || b),"
                + " (SELECT leaf_hash FROM entries WHERE seq = 3), 'TEST_NOTE', 'infinity', b FROM (SELECT convert_to("
                + "'{\"data\":{},\"prev\":\"' || encode((SELECT leaf_hash FROM entries WHERE seq = 3), 'hex')"
                + " || '\",\"seq\":4,\"type\":\"TEST_NOTE\"}', 'UTF8') AS b) AS body"), "is not a finite time"),
        Arguments.of("insert an entry sequenced before the head", (SqlAction) c -> insert(c,
            Row.at(headTime.minusNanos(1000))), "is before the time of entry 3"),
        Arguments.of("insert a second checkpoint for one size", (SqlAction) c -> exec(c,
            "INSERT INTO checkpoints (tree_size, root_hash, signed_note) SELECT tree_size, root_hash, 'another' FROM checkpoints LIMIT 1"), "checkpoints_pkey"));
  }

  private static void exec(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedStatements")
  void theDatabaseRefuses(String name, SqlAction statement, String reason) throws Exception {
    SQLException refused = assertThrows(SQLException.class, () -> inRolledBackTransaction(statement));
    assertTrue(refused.getMessage().contains(reason), name + ": " + refused.getMessage());
    assertEquals(4, LogWriterTest.assertLogIsSound(log).size());
  }

  @Test
  void theDatabaseAcceptsACorrectNextEntry() throws Exception {
    // The refusals above mean something only if a correct row passes the same checks.
    inRolledBackTransaction(connection -> insert(connection, Row.next()));
    inRolledBackTransaction(connection -> insert(connection, Row.at(headTime)));
  }
}
