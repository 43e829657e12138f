package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.carbonledger.registry.Ids;
import org.carbonledger.store.ApiKeys;
import org.carbonledger.store.DataDirectoryLock;
import org.carbonledger.store.Database;
import org.carbonledger.store.EmbeddedDatabase;
import org.carbonledger.store.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KeysCommandTest runs {@code carbon-ledger keys} through {@link Main#run} with captured out and err: the key
 * lifecycle against an external database (--pg-url), usage errors that exit 2 before any database is touched,
 * the database options read as the server reads them, and the embedded database of a data directory both with a
 * server holding it and without.
 */
class KeysCommandTest {

  private static final String HOLDER = Ids.format(Ids.Kind.HOLDER, 1);

  private static PgConnectOptions database;
  private static String url;
  private static Vertx vertx;
  private static Pool pool;

  private record Run(int exitCode, String out, String err) {
    /** The last line of out: where create prints the token. */
    String lastLine() {
      List<String> lines = out.lines().toList();
      return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
  }

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(List.of(args), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Run keys(String... args) {
    List<String> all = new ArrayList<>(List.of("keys"));
    all.addAll(List.of(args));
    all.addAll(List.of("--pg-url", url));
    return run(all.toArray(String[]::new));
  }

  private static Optional<ApiKeys.ApiKey> authenticate(String token) throws Exception {
    return new ApiKeys(vertx, pool).authenticate(token).await(60, TimeUnit.SECONDS);
  }

  @BeforeAll
  static void open() throws Exception {
    database = TestDatabases.create();
    url = TestDatabases.url(database);
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, database, 2);
    Database.prepare(pool, database).await(60, TimeUnit.SECONDS);
    try (Connection connection = TestDatabases.jdbc(database); Statement statement = connection.createStatement()) {
      statement.execute("INSERT INTO account_holders VALUES ('" + HOLDER + "', 'Fuji Precision', 'JP', 1)");
    }
  }

  @AfterAll
  static void close() {
    pool.close().await();
    vertx.close().await();
  }

  @Test
  void createListAndRevokeAKey() throws Exception {
    Run created = keys("create", "--role", "ACCOUNT_HOLDER", "--holder", HOLDER, "--name", "Fuji trading desk");
    assertEquals(0, created.exitCode(), created.err());
    String token = created.lastLine();
    assertTrue(token.matches("clk_K[0-9a-f]{16}_[A-Za-z0-9_-]{43}"), created.out());
    String keyId = token.substring(4, 21);
    assertTrue(created.out().contains("created " + keyId + " (ACCOUNT_HOLDER for " + HOLDER + ", \"Fuji trading desk\")"), created.out());
    assertEquals(HOLDER, authenticate(token).orElseThrow().holderId());

    Run listed = keys("list");
    assertEquals(0, listed.exitCode(), listed.err());
    String row = listed.out().lines().filter(line -> line.startsWith(keyId)).findFirst().orElseThrow();
    assertTrue(row.matches(keyId + " +ACCOUNT_HOLDER +" + HOLDER + " +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ +- +Fuji trading desk"), row);
    assertFalse(listed.out().contains(token.substring(22)), "list never shows a secret");

    Run revoked = keys("revoke", keyId);
    assertEquals(0, revoked.exitCode(), revoked.err());
    assertTrue(revoked.out().contains("revoked " + keyId), revoked.out());
    assertEquals(Optional.empty(), authenticate(token), "refused from the moment the command returns");
    Run again = keys("revoke", keyId);
    assertEquals(0, again.exitCode(), again.err());
    assertTrue(again.out().contains("already revoked"), again.out());
    String revokedRow = keys("list").out().lines().filter(line -> line.startsWith(keyId)).findFirst().orElseThrow();
    assertFalse(revokedRow.contains(" - "), "the revocation time is listed: " + revokedRow);
  }

  @Test
  void failuresOfTheRequestExitOne() {
    Run unknownKey = keys("revoke", "K0000000000000000");
    assertEquals(1, unknownKey.exitCode());
    assertTrue(unknownKey.err().contains("no key K0000000000000000"), unknownKey.err());
    String stranger = Ids.format(Ids.Kind.HOLDER, 42);
    Run unknownHolder = keys("create", "--role", "ACCOUNT_HOLDER", "--holder", stranger, "--name", "n");
    assertEquals(1, unknownHolder.exitCode());
    assertTrue(unknownHolder.err().contains("no account holder " + stranger), unknownHolder.err());
    assertEquals("", unknownHolder.out(), "no token for a key that was not created");
  }

  @Test
  void usageErrorsExitTwoBeforeTouchingAnyDatabase(@TempDir Path empty) {
    String dataDir = "--data-dir=" + empty;
    record Case(String name, String message, String... args) {}
    for (Case c : List.of(
        new Case("no action", "keys needs an action", "keys", dataDir),
        new Case("unknown action", "keys needs an action", "keys", "rotate", dataDir),
        new Case("list with an argument", "keys list takes no arguments", "keys", "list", "all", dataDir),
        new Case("revoke without a key", "keys revoke takes one key id", "keys", "revoke", dataDir),
        new Case("revoke of a malformed key id", "is not a key id", "keys", "revoke", "K0123", dataDir),
        new Case("create without role", "--role is required", "keys", "create", "--name", "n", dataDir),
        new Case("create for the public", "--role must be REGISTRY_ADMIN, ACCOUNT_HOLDER or AUDITOR", "keys", "create", "--role", "PUBLIC", "--name", "n", dataDir),
        new Case("create without name", "--name is required", "keys", "create", "--role", "AUDITOR", dataDir),
        new Case("holder key without holder", "needs --holder", "keys", "create", "--role", "ACCOUNT_HOLDER", "--name", "n", dataDir),
        new Case("holder on an auditor key", "--holder is only for ACCOUNT_HOLDER", "keys", "create", "--role", "AUDITOR", "--holder", HOLDER, "--name", "n", dataDir),
        new Case("malformed holder", "--holder must be an account holder id", "keys", "create", "--role", "ACCOUNT_HOLDER", "--holder", "H1", "--name", "n", dataDir),
        new Case("padded name", "--name must be 1 to 100 characters", "keys", "create", "--role", "AUDITOR", "--name", "n ", dataDir),
        new Case("bad database URL", "--pg-url is not a PostgreSQL URL", "keys", "list", "--pg-url", "mysql://x"),
        new Case("unknown option", "unknown option --http-port", "keys", "list", "--http-port", "1"),
        new Case("a data directory without a database", "no embedded database in", "keys", "list", dataDir))) {
      Run result = run(c.args());
      assertEquals(2, result.exitCode(), c.name() + ": " + result.err());
      assertTrue(result.err().lines().findFirst().orElse("").contains(c.message()), c.name() + ": " + result.err());
      assertFalse(result.err().contains("\tat "), c.name() + " printed a stack trace");
      assertEquals("", result.out(), c.name());
    }
    assertFalse(Files.exists(empty.resolve("postgres")), "no database was created by mistake");
  }

  /** Applies this build's migrations, as a writing server does when it starts. */
  private static void migrate(PgConnectOptions connect) throws Exception {
    Pool migrating = Database.pool(vertx, connect, 1);
    try {
      Database.prepare(migrating, connect).await(60, TimeUnit.SECONDS);
    } finally {
      migrating.close().await();
    }
  }

  /** The migrations applied to a database, or null when it has no schema_migrations table. */
  private static List<String> appliedMigrations(PgConnectOptions connect) throws Exception {
    try (Connection connection = TestDatabases.jdbc(connect); Statement statement = connection.createStatement()) {
      var exists = statement.executeQuery("SELECT to_regclass('schema_migrations') IS NOT NULL");
      exists.next();
      if (!exists.getBoolean(1)) {
        return null;
      }
      var rows = statement.executeQuery("SELECT file_name FROM schema_migrations ORDER BY version");
      List<String> names = new ArrayList<>();
      while (rows.next()) {
        names.add(rows.getString(1));
      }
      return names;
    }
  }

  /**
   * The command never migrates: a database that is empty (a mistyped name), behind this build (a newer `keys` run
   * before the upgrade README's "Upgrading" orders) or ahead of it is refused with exit 2, and left as it was.
   */
  @Test
  void refusesADatabaseWithoutThisBuildsSchemaAndLeavesItAsItWas() throws Exception {
    PgConnectOptions empty = TestDatabases.create();
    for (String[] args : List.of(new String[] {"keys", "list"}, new String[] {"keys", "create", "--role", "AUDITOR", "--name", "n"})) {
      List<String> all = new ArrayList<>(List.of(args));
      all.addAll(List.of("--pg-url", TestDatabases.url(empty)));
      Run refused = run(all.toArray(String[]::new));
      assertEquals(2, refused.exitCode(), all + ": " + refused.err());
      assertTrue(refused.err().contains("no registry schema yet"), refused.err());
      assertTrue(refused.err().contains("/" + empty.getDatabase() + ": "), "names the database: " + refused.err());
      assertEquals("", refused.out());
      assertEquals(null, appliedMigrations(empty), "no schema was created");
    }

    PgConnectOptions behind = TestDatabases.create();
    migrate(behind);
    List<String> all = appliedMigrations(behind);
    String latest = all.get(all.size() - 1);
    try (Connection connection = TestDatabases.jdbc(behind); Statement statement = connection.createStatement()) {
      statement.execute("DELETE FROM schema_migrations WHERE file_name = '" + latest + "'");
    }
    Run older = run("keys", "list", "--pg-url", TestDatabases.url(behind));
    assertEquals(2, older.exitCode(), older.err());
    assertTrue(older.err().contains("lacks migration " + latest), older.err());
    assertEquals(all.subList(0, all.size() - 1), appliedMigrations(behind), "nothing was migrated");

    PgConnectOptions ahead = TestDatabases.create();
    migrate(ahead);
    try (Connection connection = TestDatabases.jdbc(ahead); Statement statement = connection.createStatement()) {
      statement.execute("INSERT INTO schema_migrations (version, file_name, checksum) VALUES (999999999, 'V999999999__future.sql', 'x')");
    }
    Run newer = run("keys", "list", "--pg-url", TestDatabases.url(ahead));
    assertEquals(2, newer.exitCode(), newer.err());
    assertTrue(newer.err().contains("V999999999__future.sql, which this build does not have"), newer.err());
  }

  /** The Unix-domain socket form of --pg-url that README documents, which needs Netty's native transport. */
  @Test
  void reachesTheDatabaseOverAUnixDomainSocket() throws Exception {
    String socketDirectory;
    try (Connection connection = TestDatabases.jdbc(database); Statement statement = connection.createStatement()) {
      var row = statement.executeQuery("SHOW unix_socket_directories");
      row.next();
      socketDirectory = row.getString(1).split(",")[0].trim();
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(!socketDirectory.isEmpty() && !socketDirectory.startsWith("@"),
        "the test PostgreSQL listens on no socket directory");
    String credentials = database.getUser() + (database.getPassword() == null || database.getPassword().isEmpty() ? ""
        : ":" + java.net.URLEncoder.encode(database.getPassword(), StandardCharsets.UTF_8));
    Run listed = run("keys", "list", "--pg-url",
        "postgresql://" + credentials + "@/" + database.getDatabase() + "?host=" + socketDirectory);
    assertEquals(0, listed.exitCode(), listed.err());
    assertTrue(listed.out().startsWith("KEY_ID"), listed.out());
  }

  @Test
  void helpListsTheDatabaseOptions() {
    Run help = run("keys", "--help");
    assertEquals(0, help.exitCode());
    for (String option : KeysCommand.DATABASE_OPTIONS) {
      assertTrue(help.out().contains("--" + option), option);
    }
    assertTrue(run("--help").out().contains("keys"), "listed among the commands");
  }

  @Test
  void theDatabaseOptionsAreReadAsTheServerReadsThem() {
    for (List<String> args : List.of(
        List.<String>of(),
        List.of("--pg-url", "postgresql://registry:secret@db.internal:6543/ledger"),
        List.of("--pg-host", "db.internal", "--pg-port", "6543", "--pg-user", "registry", "--pg-password", "secret",
            "--pg-database", "ledger"))) {
      Optional<PgConnectOptions> server = ServerConfig.from(new Options(ServerConfig.OPTIONS, Map.of()).parse(args)).externalDatabase();
      Optional<PgConnectOptions> command = ServerConfig.externalDatabase(new Options(KeysCommand.OPTIONS, Map.of()).parse(args));
      assertEquals(server.map(PgConnectOptions::toJson), command.map(PgConnectOptions::toJson), args.toString());
    }
    for (Options.Option option : KeysCommand.OPTIONS) {
      if (KeysCommand.DATABASE_OPTIONS.contains(option.name())) {
        assertTrue(ServerConfig.OPTIONS.contains(option), "same default and help as serve: " + option.name());
      }
    }
  }

  @Test
  void worksOnTheEmbeddedDatabaseWithAndWithoutARunningServer(@TempDir Path dataDirectory) throws Exception {
    String token;
    // A running server: it holds the data directory and its PostgreSQL runs on a port only postmaster.pid tells.
    try (DataDirectoryLock lock = DataDirectoryLock.acquire(dataDirectory);
         EmbeddedDatabase embedded = EmbeddedDatabase.start(dataDirectory.resolve("postgres"))) {
      migrate(embedded.connectOptions()); // as the server did when it started
      Run created = run("keys", "create", "--role", "AUDITOR", "--name", "supervisor", "--data-dir", dataDirectory.toString());
      assertEquals(0, created.exitCode(), created.err());
      token = created.lastLine();
      Pool serverPool = Database.pool(vertx, embedded.connectOptions(), 2);
      try {
        assertTrue(new ApiKeys(vertx, serverPool).authenticate(token).await(60, TimeUnit.SECONDS).isPresent(),
            "the running server sees the new key at once");
      } finally {
        serverPool.close().await();
      }
    }
    // No server: the command takes the directory and runs its database itself, then gives both back.
    Run listed = run("keys", "list", "--data-dir", dataDirectory.toString());
    assertEquals(0, listed.exitCode(), listed.err());
    assertTrue(listed.out().contains(token.substring(4, 21)) && listed.out().contains("supervisor"), listed.out());
    try (DataDirectoryLock released = DataDirectoryLock.acquire(dataDirectory)) {
      assertFalse(Files.exists(dataDirectory.resolve("postgres").resolve("postmaster.pid")), "its PostgreSQL was stopped");
    }
  }
}
