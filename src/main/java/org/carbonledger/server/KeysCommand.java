package org.carbonledger.server;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.carbonledger.api.Role;
import org.carbonledger.store.ApiKeys;
import org.carbonledger.store.DataDirectoryLock;
import org.carbonledger.store.Database;
import org.carbonledger.store.EmbeddedDatabase;
import org.carbonledger.store.Migrations;

/**
 * KeysCommand creates, lists and revokes API keys: {@code keys create --role ROLE [--holder HOLDER_ID] --name NAME},
 * {@code keys list}, {@code keys revoke KEY_ID}. Exit 0 when done, 1 when the database or the request fails (one
 * line on err), 2 for a usage error. {@code create} prints the token once; nothing can show it again.
 *
 * <p>It works on the database the server uses, found the way the server finds it. With {@code --pg-url} or
 * {@code --pg-host}, that PostgreSQL. Otherwise the embedded PostgreSQL of {@code --data-dir}: when no process holds
 * the directory's lock, this command takes it and runs the database for as long as it needs it, as a server
 * would; when a server holds it, the command connects to that server's running database, on the port PostgreSQL
 * records in {@code postmaster.pid}. So a key can be revoked while the server runs, and the revocation takes
 * effect at once, since the server reads the key's row on every request. The embedded database accepts local
 * connections without a password, as the server's own do; whoever may run this command on the server's files
 * may manage its keys.
 *
 * <p>It changes no schema: the database must have exactly this build's migrations, as a writing server of this
 * build leaves it. One that is empty, behind or ahead is refused with exit 2 and left as it was.
 */
public final class KeysCommand implements Command {

  /** The server's options that say where the database is, with the server's defaults and help. */
  static final List<String> DATABASE_OPTIONS = List.of("pg-url", "pg-host", "pg-port", "pg-user", "pg-password", "pg-database", "data-dir");

  static final List<Options.Option> OPTIONS = declareOptions();

  private static final long DATABASE_TIMEOUT_SECONDS = 120;
  /** Line 4 of postmaster.pid is the port (PostgreSQL manual, "Database File Layout"); lines count from 0 here. */
  private static final int POSTMASTER_PID_PORT_LINE = 3;

  private final PrintStream out;
  private final PrintStream err;

  /** A command that writes its results to out and its failure line to err. */
  public KeysCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  private static List<Options.Option> declareOptions() {
    List<Options.Option> options = new ArrayList<>(List.of(
        new Options.Option("role", null, "create: the key's role, REGISTRY_ADMIN, ACCOUNT_HOLDER or AUDITOR"),
        new Options.Option("holder", null, "create: the account holder an ACCOUNT_HOLDER key acts for, e.g. H00000001Q"),
        new Options.Option("name", null, "create: a label for people, e.g. 'Fuji trading desk' (1 to 100 characters)")));
    ServerConfig.OPTIONS.stream().filter(option -> DATABASE_OPTIONS.contains(option.name())).forEach(options::add);
    return List.copyOf(options);
  }

  @Override
  public String name() {
    return "keys";
  }

  @Override
  public String usage() {
    return "keys create --role ROLE [--holder HOLDER_ID] --name NAME | keys list | keys revoke KEY_ID"
        + "   [--pg-url URL | --data-dir DIR]";
  }

  @Override
  public String summary() {
    return "create, list and revoke API keys in the server's database (exit 0 ok, 1 failed, 2 usage)";
  }

  @Override
  public List<Options.Option> options() {
    return OPTIONS;
  }

  @Override
  public int run(Options options) throws Exception {
    List<String> arguments = options.positional();
    String action = arguments.isEmpty() ? "" : arguments.get(0);
    // Everything the command line can get wrong is checked before the database, which may take seconds to start.
    KeyRequest request = switch (action) {
      case "create" -> createRequest(options, arguments);
      case "list" -> {
        requireArgumentCount(arguments, 1, "keys list takes no arguments");
        yield KeyRequest.NONE;
      }
      case "revoke" -> revokeRequest(arguments);
      default -> throw new ConfigException("keys needs an action: create, list or revoke (see --help)");
    };
    Optional<PgConnectOptions> external = ServerConfig.externalDatabase(options);
    Path dataDirectory = Path.of(options.require("data-dir")).toAbsolutePath().normalize();
    try (KeyDatabase database = KeyDatabase.open(external, dataDirectory)) {
      return switch (action) {
        case "create" -> create(database.keys, request);
        case "list" -> list(database.keys);
        default -> revoke(database.keys, request.keyId());
      };
    }
  }

  /** KeyRequest is what the command line asked for, checked. */
  private record KeyRequest(Role role, String holderId, String name, String keyId) {
    static final KeyRequest NONE = new KeyRequest(null, null, null, null);
  }

  private static KeyRequest createRequest(Options options, List<String> arguments) {
    requireArgumentCount(arguments, 1, "keys create takes options only (--role, --holder, --name)");
    String roleName = options.require("role");
    Role role = Role.ofKey(roleName).orElseThrow(() -> new ConfigException(
        "--role must be REGISTRY_ADMIN, ACCOUNT_HOLDER or AUDITOR, got '" + roleName + "'"));
    String holderId = options.get("holder");
    String name = options.require("name");
    ApiKeys.check(role.name(), holderId, name).ifPresent(problem -> {
      throw new ConfigException(switch (problem) {
        case HOLDER_REQUIRED_FOR_ACCOUNT_HOLDER -> "an ACCOUNT_HOLDER key needs --holder HOLDER_ID";
        case HOLDER_ONLY_FOR_ACCOUNT_HOLDER -> "--holder is only for ACCOUNT_HOLDER keys";
        case HOLDER_ID_MALFORMED -> "--holder must be an account holder id like H00000001Q, got '" + holderId + "'";
        case NAME_MALFORMED -> "--name must be 1 to " + ApiKeys.NAME_LENGTH_MAX
            + " characters, without control characters or surrounding spaces";
        case ROLE_UNKNOWN, HOLDER_NOT_FOUND -> problem.name();
      });
    });
    return new KeyRequest(role, holderId, name, null);
  }

  private static KeyRequest revokeRequest(List<String> arguments) {
    requireArgumentCount(arguments, 2, "keys revoke takes one key id, e.g. keys revoke K0123456789abcdef");
    String keyId = arguments.get(1);
    if (!ApiKeys.isKeyId(keyId)) {
      throw new ConfigException("'" + keyId + "' is not a key id (K and 16 lower-case hex digits, as keys list shows)");
    }
    return new KeyRequest(null, null, null, keyId);
  }

  /** Positional arguments, the action included. */
  private static void requireArgumentCount(List<String> arguments, int count, String usage) {
    if (arguments.size() != count) {
      throw new ConfigException(usage);
    }
  }

  private int create(ApiKeys keys, KeyRequest request) throws Exception {
    ApiKeys.CreatedKey created;
    try {
      created = keys.create(request.role().name(), request.holderId(), request.name()).await(DATABASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ApiKeys.KeyRequestException e) {
      // The only problem left once the command line is checked: the holder is not in this registry.
      ConsoleText.println(err, "carbon-ledger keys: no account holder " + request.holderId() + " in this registry (" + e.problem() + ")");
      return 1;
    }
    ApiKeys.ApiKey key = created.key();
    out.println("created " + key.keyId() + " (" + key.role() + (key.holderId() == null ? "" : " for " + key.holderId())
        + ", \"" + key.name() + "\")");
    out.println("token, shown only this once; send it as 'Authorization: Bearer <token>':");
    out.println(created.token());
    return 0;
  }

  private int list(ApiKeys keys) throws Exception {
    List<ApiKeys.ApiKey> all = keys.list().await(DATABASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    String row = "%-17s  %-14s  %-10s  %-20s  %-20s  %s%n";
    out.printf(row, "KEY_ID", "ROLE", "HOLDER", "CREATED", "REVOKED", "NAME");
    for (ApiKeys.ApiKey key : all) {
      out.printf(row, key.keyId(), key.role(), orDash(key.holderId()), time(key.createdAt()), time(key.revokedAt()), key.name());
    }
    long active = all.stream().filter(key -> !key.revoked()).count();
    out.println(all.size() + " keys, " + active + " active");
    return 0;
  }

  private int revoke(ApiKeys keys, String keyId) throws Exception {
    ApiKeys.Revocation revocation = keys.revoke(keyId).await(DATABASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    switch (revocation) {
      case REVOKED -> out.println("revoked " + keyId + "; it no longer authenticates");
      case ALREADY_REVOKED -> out.println(keyId + " was already revoked; nothing changed");
      case NOT_FOUND -> {
        ConsoleText.println(err, "carbon-ledger keys: no key " + keyId + " in this registry (see keys list)");
        return 1;
      }
    }
    return 0;
  }

  private static String orDash(String value) {
    return value == null ? "-" : value;
  }

  private static String time(Instant instant) {
    return instant == null ? "-" : instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /**
   * KeyDatabase is the server's database opened for one command, its schema checked to be this build's, with
   * what it took to reach it (the data directory lock and the embedded PostgreSQL, when no server runs). Close it.
   */
  static final class KeyDatabase implements AutoCloseable {

    /** What to close, most recently opened first. */
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    ApiKeys keys;

    static KeyDatabase open(Optional<PgConnectOptions> external, Path dataDirectory) throws Exception {
      KeyDatabase database = new KeyDatabase();
      try {
        database.connect(external.isPresent() ? external.get() : database.embedded(dataDirectory));
        return database;
      } catch (Exception e) {
        database.close();
        throw e;
      }
    }

    private void connect(PgConnectOptions connect) throws Exception {
      // As the server's: a Unix-domain socket (--pg-url ...?host=/var/run/postgresql) needs the native transport.
      Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
      resources.push(() -> vertx.close().await(30, TimeUnit.SECONDS));
      Pool pool = Database.pool(vertx, connect, 2);
      resources.push(() -> pool.close().await(30, TimeUnit.SECONDS));
      // The schema must be this build's, and this command never migrates: only writing servers do, once older
      // writers are stopped (README, "Upgrading"), and a mistyped database name must not get a registry schema.
      try {
        Database.checkSchema(pool, connect).await(DATABASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (Migrations.MigrationException e) {
        throw new ConfigException(Database.describe(connect) + ": " + e.getMessage() + " (keys never changes a schema)");
      }
      keys = new ApiKeys(vertx, pool);
    }

    private PgConnectOptions embedded(Path dataDirectory) throws IOException {
      Path cluster = dataDirectory.resolve("postgres");
      if (!Files.isDirectory(cluster)) {
        // Creating a database here would make keys for a registry no server serves: most likely a wrong --data-dir.
        throw new ConfigException("no embedded database in " + dataDirectory + ": give the server's --data-dir, or --pg-url");
      }
      DataDirectoryLock lock;
      try {
        lock = DataDirectoryLock.acquire(dataDirectory);
      } catch (DataDirectoryLock.DataDirectoryInUseException e) {
        return runningServerDatabase(cluster);
      }
      resources.push(lock);
      EmbeddedDatabase embedded = EmbeddedDatabase.start(cluster);
      resources.push(embedded);
      return embedded.connectOptions();
    }

    /** The database of the server holding the data directory: its PostgreSQL, as EmbeddedDatabase connects to it. */
    private static PgConnectOptions runningServerDatabase(Path cluster) throws IOException {
      List<String> lines;
      try {
        lines = Files.readAllLines(cluster.resolve("postmaster.pid"), StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw new IOException("a server holds " + cluster.getParent() + " but its database is not running yet; retry in a moment");
      }
      int port;
      try {
        port = Integer.parseInt(lines.get(POSTMASTER_PID_PORT_LINE).trim());
      } catch (IndexOutOfBoundsException | NumberFormatException e) {
        throw new IOException("cannot read the port of the running database from " + cluster.resolve("postmaster.pid"));
      }
      return new PgConnectOptions().setHost("localhost").setPort(port).setUser("postgres").setDatabase("postgres");
    }

    @Override
    public void close() {
      while (!resources.isEmpty()) {
        try {
          resources.pop().close();
        } catch (Exception e) {
          // Closing is best effort; the command's outcome is already decided.
        }
      }
    }
  }
}
