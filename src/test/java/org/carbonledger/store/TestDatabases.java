package org.carbonledger.store;

import io.vertx.pgclient.PgConnectOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * TestDatabases gives each test class a fresh, empty PostgreSQL database on a real server: the one named by
 * the environment variable CARBONLEDGER_TEST_PG_URL (postgresql://user@host:port/db) when set, otherwise an
 * embedded PostgreSQL started once per test run. Databases are created new, never cleaned and reused, so a
 * test cannot see another's rows.
 */
public final class TestDatabases {

  public static final String URL_VARIABLE = "CARBONLEDGER_TEST_PG_URL";

  private static PgConnectOptions server;
  /** The databases this run created, dropped when it ends. */
  private static final List<String> created = new ArrayList<>();

  private TestDatabases() {}

  /** Connect options for a new empty database. */
  public static synchronized PgConnectOptions create() {
    PgConnectOptions admin = server();
    String name = "cl_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection connection = jdbc(admin); Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database on " + Database.describe(admin) + ": " + e.getMessage(), e);
    }
    // The embedded server's data directory is temporary: only a shared server needs the clean-up.
    if (created.isEmpty() && System.getenv(URL_VARIABLE) != null) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> dropCreated(admin)));
    }
    created.add(name);
    return new PgConnectOptions(admin).setDatabase(name);
  }

  /**
   * Drops this run's databases when the test JVM exits, so that runs against a shared server (CI's, a
   * developer's) do not pile up databases. Best effort: a database still in use is dropped with FORCE.
   */
  private static synchronized void dropCreated(PgConnectOptions admin) {
    try (Connection connection = jdbc(admin); Statement statement = connection.createStatement()) {
      for (String name : created) {
        statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      }
    } catch (SQLException e) {
      System.err.println("TestDatabases: could not drop the test databases: " + e.getMessage());
    }
  }

  /** A plain JDBC connection, for tests that act as a superuser outside the application (e.g. tampering). */
  public static Connection jdbc(PgConnectOptions options) throws SQLException {
    String url = "jdbc:postgresql://" + options.getHost() + ":" + options.getPort() + "/" + options.getDatabase();
    return DriverManager.getConnection(url, options.getUser(), options.getPassword() == null ? "" : options.getPassword());
  }

  /** The URL form of connect options, as the server's --pg-url takes it. */
  public static String url(PgConnectOptions options) {
    String credentials = options.getUser() + (options.getPassword() == null || options.getPassword().isEmpty() ? "" : ":" + options.getPassword());
    return "postgresql://" + credentials + "@" + options.getHost() + ":" + options.getPort() + "/" + options.getDatabase();
  }

  private static PgConnectOptions server() {
    if (server == null) {
      String url = System.getenv(URL_VARIABLE);
      server = url != null && !url.isBlank() ? PgConnectOptions.fromUri(url) : startEmbedded();
      if (server.getUser() == null || server.getUser().isEmpty()) {
        server.setUser("postgres");
      }
    }
    return server;
  }

  private static PgConnectOptions startEmbedded() {
    try {
      Path directory = Files.createTempDirectory("carbon-ledger-test-pg");
      EmbeddedDatabase embedded = EmbeddedDatabase.start(directory);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          embedded.close();
        } catch (Exception ignored) {
          // The JVM is exiting; the temporary cluster is left for the OS to clean.
        }
      }));
      return embedded.connectOptions();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the embedded PostgreSQL for tests: " + e.getMessage(), e);
    }
  }
}
