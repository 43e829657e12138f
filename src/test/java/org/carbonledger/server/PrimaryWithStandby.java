package org.carbonledger.server;

import io.vertx.pgclient.PgConnectOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * PrimaryWithStandby is two real PostgreSQL servers: a primary, and a hot standby that streams its WAL and
 * answers read-only queries, as an operator would run them. The standby starts from a base backup taken with
 * PostgreSQL's own backup functions (the embedded binaries have no pg_basebackup): a copy of the primary's
 * data directory between {@code pg_backup_start} and {@code pg_backup_stop}, without its WAL, which the standby
 * then streams from the primary.
 */
final class PrimaryWithStandby implements AutoCloseable {

  /** What a base backup leaves out: the running server's own files, and WAL and state the standby rebuilds. */
  private static final Set<String> NOT_COPIED = Set.of("postmaster.pid", "postmaster.opts", "pg_wal", "pg_replslot",
      "pg_stat_tmp", "pg_dynshmem", "pg_notify", "pg_serial", "pg_snapshots", "pg_subtrans");

  private final Path directory;
  private final EmbeddedPostgres primary;
  private final EmbeddedPostgres standby;

  private PrimaryWithStandby(Path directory, EmbeddedPostgres primary, EmbeddedPostgres standby) {
    this.directory = directory;
    this.primary = primary;
    this.standby = standby;
  }

  static PrimaryWithStandby start() throws Exception {
    Path directory = Files.createTempDirectory("carbon-ledger-standby-test");
    Path primaryData = directory.resolve("primary");
    EmbeddedPostgres primary = EmbeddedPostgres.builder().setDataDirectory(primaryData)
        .setServerConfig("wal_level", "replica")
        .setServerConfig("max_wal_senders", "4")
        // The standby streams from the backup's start: keep that WAL until it has.
        .setServerConfig("wal_keep_size", "256MB")
        .start();
    try {
      Path standbyData = directory.resolve("standby");
      baseBackup(primary, primaryData, standbyData);
      EmbeddedPostgres standby = EmbeddedPostgres.builder().setDataDirectory(standbyData).setCleanDataDirectory(false)
          .setServerConfig("hot_standby", "on")
          .start();
      return new PrimaryWithStandby(directory, primary, standby);
    } catch (Exception e) {
      primary.close();
      throw e;
    }
  }

  PgConnectOptions primary() {
    return options(primary);
  }

  PgConnectOptions standby() {
    return options(standby);
  }

  private static PgConnectOptions options(EmbeddedPostgres postgres) {
    return new PgConnectOptions().setHost("localhost").setPort(postgres.getPort()).setUser("postgres").setDatabase("postgres");
  }

  private static void baseBackup(EmbeddedPostgres primary, Path from, Path to) throws Exception {
    try (Connection connection = primary.getPostgresDatabase().getConnection();
         Statement statement = connection.createStatement()) {
      statement.execute("SELECT pg_backup_start('carbon-ledger test standby', true)");
      copy(from, to);
      try (ResultSet stopped = statement.executeQuery("SELECT labelfile FROM pg_backup_stop(false)")) {
        stopped.next();
        Files.writeString(to.resolve("backup_label"), stopped.getString(1));
      }
    }
    for (String empty : List.of("pg_wal/archive_status", "pg_replslot", "pg_stat_tmp", "pg_dynshmem", "pg_notify",
        "pg_serial", "pg_snapshots", "pg_subtrans")) {
      Files.createDirectories(to.resolve(empty));
    }
    Files.createFile(to.resolve("standby.signal"));
    Files.writeString(to.resolve("postgresql.auto.conf"),
        "primary_conninfo = 'host=localhost port=" + primary.getPort() + " user=postgres'\n", StandardOpenOption.APPEND);
  }

  /** Copies a running server's data directory: files may change or vanish meanwhile, which the WAL replay mends. */
  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        Path relative = from.relativize(path);
        if (relative.toString().isEmpty() || NOT_COPIED.contains(relative.getName(0).toString())) {
          continue;
        }
        try {
          if (Files.isDirectory(path)) {
            Files.createDirectories(to.resolve(relative));
          } else {
            Files.copy(path, to.resolve(relative));
          }
        } catch (NoSuchFileException | FileAlreadyExistsException vanishedOrCopied) {
          // A temporary file removed while we walked; the WAL has whatever it held.
        }
      }
    }
  }

  /** Stops both servers and removes their data. */
  @Override
  public void close() throws IOException {
    try {
      standby.close();
    } finally {
      primary.close();
      try (Stream<Path> paths = Files.walk(directory)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }
}
