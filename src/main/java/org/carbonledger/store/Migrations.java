package org.carbonledger.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Migrations applies the SQL files of `migrations/` (named {@code V<number>__<description>.sql}) in order,
 * each exactly once, and records each with the SHA-256 of its bytes in {@code schema_migrations}.
 *
 * <p>Why not Flyway: it needs JDBC and a dozen classes of configuration for what is one transaction here.
 * All pending migrations run in one transaction under an advisory lock, so two servers starting at once
 * apply them once, and a failing migration leaves the database as it was. A migration whose bytes changed
 * after it was applied, or an applied migration this build does not know, refuses the start: the schema
 * would no longer be the one the code was written for.
 */
public final class Migrations {

  private static final Pattern FILE_NAME = Pattern.compile("V(\\d{1,9})__([A-Za-z0-9_]+)\\.sql");
  private static final String APPLIED = "SELECT version, file_name, checksum FROM schema_migrations";
  /** Any constant; it only has to be the same in every process that migrates this database. */
  private static final long ADVISORY_LOCK_KEY = 0x4341524230304dL;

  /** Migration is one SQL file: its version, file name, text and checksum. */
  public record Migration(int version, String fileName, String sql, String checksum) {}

  private Migrations() {}

  /** The migrations packed in this build, in version order. */
  public static List<Migration> bundled() throws IOException {
    return parse(ClasspathFiles.read("migrations", ".sql"));
  }

  static List<Migration> parse(Map<String, byte[]> files) {
    TreeMap<Integer, Migration> byVersion = new TreeMap<>();
    files.forEach((name, bytes) -> {
      Matcher matcher = FILE_NAME.matcher(name);
      if (!matcher.matches()) {
        throw new IllegalStateException("migration file " + name + " is not named V<number>__<description>.sql");
      }
      int version = Integer.parseInt(matcher.group(1));
      Migration migration = new Migration(version, name, new String(bytes, StandardCharsets.UTF_8), sha256Hex(bytes));
      Migration clash = byVersion.put(version, migration);
      if (clash != null) {
        throw new IllegalStateException("migrations " + clash.fileName() + " and " + name + " share version " + version);
      }
    });
    return List.copyOf(byVersion.values());
  }

  /** Applies the pending migrations; succeeds with how many were applied, fails with MigrationException. */
  public static Future<Integer> apply(Pool pool, List<Migration> migrations) {
    return pool.withTransaction(connection -> connection
        .query("SET LOCAL client_min_messages = warning").execute()
        .compose(quiet -> connection.query("SELECT pg_advisory_xact_lock(" + ADVISORY_LOCK_KEY + ")").execute())
        .compose(locked -> connection.query("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
              version integer PRIMARY KEY,
              file_name text NOT NULL,
              checksum text NOT NULL,
              applied_at timestamptz NOT NULL DEFAULT now())""").execute())
        .compose(created -> connection.query(APPLIED).execute())
        .compose(rows -> {
          List<Migration> pending = pending(migrations, rows);
          Future<Void> chain = Future.succeededFuture();
          for (Migration migration : pending) {
            chain = chain.compose(previous -> applyOne(connection, migration));
          }
          return chain.map(done -> pending.size());
        }));
  }

  /**
   * Checks, without writing, that the database has exactly {@code migrations} applied: what a process that may
   * not migrate (a read-only server on a hot standby, the {@code keys} command) needs before it starts. Fails with
   * MigrationException saying what to do: the schema comes from a writing server, on the database or its primary.
   */
  public static Future<Void> check(Pool pool, List<Migration> migrations) {
    return pool.query("SELECT to_regclass('schema_migrations') IS NOT NULL").execute()
        .compose(exists -> exists.iterator().next().getBoolean(0)
            ? pool.query(APPLIED).execute()
            : Future.failedFuture(new MigrationException("the database has no registry schema yet: start a writing"
                + " server (without --read-only) of this build on it, or on its primary, first; it creates the schema")))
        .compose(rows -> {
          List<Migration> pending = pending(migrations, rows);
          if (!pending.isEmpty()) {
            return Future.failedFuture(new MigrationException("the database lacks migration " + pending.get(0).fileName()
                + (pending.size() > 1 ? " and " + (pending.size() - 1) + " more" : "")
                + ": only a writing server (without --read-only) migrates; start one of this build on it, or on its"
                + " primary, first"));
          }
          return Future.<Void>succeededFuture();
        });
  }

  /** The migrations of {@code migrations} not among the {@link #APPLIED} rows; refuses unknown or changed ones. */
  private static List<Migration> pending(List<Migration> migrations, RowSet<Row> rows) {
    Map<Integer, Row> applied = new TreeMap<>();
    rows.forEach(row -> applied.put(row.getInteger("version"), row));
    Map<Integer, Migration> known = new TreeMap<>();
    migrations.forEach(migration -> known.put(migration.version(), migration));
    for (Row row : applied.values()) {
      Migration migration = known.get(row.getInteger("version"));
      if (migration == null) {
        throw new MigrationException("the database has migration " + row.getString("file_name")
            + ", which this build does not have: run a newer build");
      }
      if (!migration.checksum().equals(row.getString("checksum"))) {
        throw new MigrationException("migration " + migration.fileName() + " was changed after it was applied"
            + " (checksum " + row.getString("checksum") + " in the database, " + migration.checksum() + " in this build);"
            + " applied migrations must never change: add a new one instead");
      }
    }
    List<Migration> pending = new ArrayList<>();
    for (Migration migration : migrations) {
      if (!applied.containsKey(migration.version())) {
        pending.add(migration);
      }
    }
    return pending;
  }

  private static Future<Void> applyOne(SqlConnection connection, Migration migration) {
    return connection.query(migration.sql()).execute()
        .recover(failure -> Future.failedFuture(
            new MigrationException("migration " + migration.fileName() + " failed: " + failure.getMessage())))
        .compose(done -> connection
            .preparedQuery("INSERT INTO schema_migrations (version, file_name, checksum) VALUES ($1, $2, $3)")
            .execute(Tuple.of(migration.version(), migration.fileName(), migration.checksum())))
        .mapEmpty();
  }

  private static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  /** MigrationException: the database schema cannot be brought to this build's version. */
  public static final class MigrationException extends RuntimeException {
    public MigrationException(String message) {
      super(message);
    }
  }
}
