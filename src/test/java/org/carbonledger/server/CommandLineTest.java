package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.carbonledger.ledger.NoteSigner;
import org.carbonledger.api.AuthGate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CommandLineTest covers the command line without starting a server: help, option sources and their
 * precedence, and that bad configuration ends in one line and exit code 2.
 */
class CommandLineTest {

  private record Run(int exitCode, String out, String err) {}

  private static Run run(Map<String, String> environment, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(List.of(args), environment, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void helpListsCommandsAndOptions() {
    Run top = run(Map.of(), "--help");
    assertEquals(0, top.exitCode());
    assertTrue(top.out().contains("serve"), top.out());
    Run serve = run(Map.of(), "serve", "--help");
    assertEquals(0, serve.exitCode());
    for (Options.Option option : ServerConfig.OPTIONS) {
      assertTrue(serve.out().contains("--" + option.name()), option.name());
      assertTrue(serve.out().contains(option.environmentVariable()), option.environmentVariable());
    }
  }

  @Test
  void badConfigurationIsOneLineAndExitTwo() {
    record Case(String name, Map<String, String> environment, String[] args, String message) {}
    for (Case c : new Case[] {
        new Case("unparseable port", Map.of(), new String[] {"--http-port", "eighty"}, "--http-port must be a whole number"),
        new Case("port out of range", Map.of(), new String[] {"--http-port=70000"}, "--http-port must be between 0 and 65535"),
        new Case("port from environment", Map.of("CARBONLEDGER_HTTP_PORT", "x"), new String[] {}, "--http-port must be a whole number"),
        new Case("unknown option", Map.of(), new String[] {"--colour", "blue"}, "unknown option --colour"),
        new Case("missing value", Map.of(), new String[] {"--http-port"}, "option --http-port needs a value"),
        new Case("bad boolean", Map.of(), new String[] {"--graphiql", "perhaps"}, "--graphiql must be true or false"),
        new Case("bad origin", Map.of(), new String[] {"--origin", "has space"}, "--origin must be one word"),
        // With a bad --http-port, read after --origin: were the origin accepted, the run would stop there, not serve.
        new Case("origin that cannot name a key", Map.of(), new String[] {"--origin", "example.org/a+b", "--http-port", "x"},
            "--origin must be one word of printable ASCII without spaces or '+'"),
        new Case("bad database URL", Map.of(), new String[] {"--pg-url", "mysql://x"}, "--pg-url is not a PostgreSQL URL"),
        new Case("zero rate limit", Map.of(), new String[] {"--rate-limit", "0"}, "--rate-limit must be between 1 and"),
        new Case("depth too small to serve", Map.of(), new String[] {"--graphql-depth-max", "2"}, "--graphql-depth-max must be between 3 and 1000, got 2"),
        new Case("complexity too small to serve", Map.of(), new String[] {"--graphql-complexity-max", "99", "--graphql-page-size-max", "10"},
            "--graphql-complexity-max must be between 100 and"),
        new Case("complexity too small for a page", Map.of(), new String[] {"--graphql-complexity-max", "2000"},
            "--graphql-complexity-max must be at least 2500 to fit a page of --graphql-page-size-max 500, got 2000"),
        new Case("timeout too short to serve", Map.of(), new String[] {"--graphql-timeout-ms", "99"}, "--graphql-timeout-ms must be between 100 and"),
        new Case("a proxy by name", Map.of(), new String[] {"--trusted-proxies", "10.0.0.0/8, lb.example.org"},
            "--trusted-proxies: 'lb.example.org' is not an IP address or CIDR block"),
        new Case("negative event loops", Map.of(), new String[] {"--http-event-loops", "-1"}, "--http-event-loops must be between 0 and 256"),
        new Case("unknown command", Map.of(), new String[] {"frobnicate"}, "unknown command 'frobnicate'")}) {
      Run result = run(c.environment(), c.args());
      assertEquals(2, result.exitCode(), c.name());
      assertTrue(result.err().lines().findFirst().orElse("").contains(c.message()), c.name() + ": " + result.err());
      assertFalse(result.err().contains("\tat "), c.name() + " printed a stack trace");
    }
  }

  /**
   * An empty value is how an unset shell variable arrives; read as "not given" it meant, for --pg-url, a new embedded
   * registry instead of the operator's. Each run also has a bad --http-port, read after these options: had the
   * empty value been taken for the default, the run would stop there (with another message) rather than serve.
   */
  @Test
  void anEmptyValueIsRefusedNotReadAsTheDefault() {
    record Case(Map<String, String> environment, List<String> args, String message) {}
    for (Case c : List.of(
        new Case(Map.of(), List.of("--pg-url", ""), "--pg-url is empty"),
        new Case(Map.of(), List.of("--pg-url="), "--pg-url is empty"),
        new Case(Map.of(), List.of("serve", "--read-only", ""), "--read-only is empty"),
        new Case(Map.of(), List.of("--signing-key-file", ""), "--signing-key-file is empty"),
        new Case(Map.of(), List.of("--origin", ""), "--origin is empty"),
        new Case(Map.of("CARBONLEDGER_PG_URL", ""), List.of(), "CARBONLEDGER_PG_URL is empty (it sets --pg-url)"),
        new Case(Map.of("CARBONLEDGER_SIGNING_KEY_FILE", ""), List.of(), "CARBONLEDGER_SIGNING_KEY_FILE is empty"),
        new Case(Map.of(), List.of("keys", "list", "--pg-url", ""), "--pg-url is empty"),
        new Case(Map.of("CARBONLEDGER_PG_URL", ""), List.of("keys", "list"), "CARBONLEDGER_PG_URL is empty"))) {
      List<String> args = new java.util.ArrayList<>(c.args());
      if (args.isEmpty() || !args.get(0).equals("keys")) {
        args.addAll(List.of("--http-port", "x"));
      } else {
        args.addAll(List.of("--data-dir", "/nonexistent/carbon-ledger"));
      }
      Run result = run(c.environment(), args.toArray(String[]::new));
      assertEquals(2, result.exitCode(), args + ": " + result.err());
      assertEquals(1, result.err().lines().count(), args + ": " + result.err());
      assertTrue(result.err().contains(c.message()), args + ": " + result.err());
    }
    // A flag wins over an empty variable, which is then not read at all.
    ServerConfig flagged = ServerConfig.from(new Options(ServerConfig.OPTIONS, Map.of("CARBONLEDGER_ORIGIN", ""))
        .parse(List.of("--origin", "flag.example/log")));
    assertEquals("flag.example/log", flagged.origin());
  }

  /** A --pg-url that does not parse is refused without showing any of it: where its password ends is in doubt. */
  @Test
  void aDatabaseUrlThatDoesNotParseIsNotPrinted() {
    record Case(String url, List<String> secrets) {}
    for (Case c : List.of(
        new Case("postgresql://admin:Xy7/Pq+Zk9@db.internal:5432/registry", List.of("Xy7", "Pq+Zk9")),
        new Case("postgresql://db.internal/registry?user=admin&password=TopSecret1&sslmode=bogus", List.of("TopSecret1")),
        new Case("postgresql://admin:p@ss@db.internal/registry", List.of("p@ss", "ss@db")))) {
      for (String command : List.of("serve", "keys")) {
        List<String> args = command.equals("serve") ? List.of("serve", "--pg-url", c.url()) : List.of("keys", "list", "--pg-url", c.url());
        Run result = run(Map.of(), args.toArray(String[]::new));
        assertEquals(2, result.exitCode(), args + ": " + result.err());
        assertTrue(result.err().contains("--pg-url is not a PostgreSQL URL"), result.err());
        for (String secret : c.secrets()) {
          assertFalse(result.err().contains(secret), command + " printed '" + secret + "': " + result.err());
        }
        assertFalse(result.err().contains("db.internal"), "no part of the URL: " + result.err());
        assertTrue(result.err().contains("percent-encoded"), "says how to write a password with such characters: " + result.err());
      }
    }
  }

  /**
   * The database is named one way: --pg-url, or --pg-host with its companions. A mix, or a companion without
   * --pg-host, left one of them ignored. Each serve run has a bad --pg-pool-size too, read after the database
   * options, so that were the mix accepted the run would stop there rather than serve.
   */
  @Test
  void databaseOptionsThatWouldBeIgnoredAreRefused() {
    String url = "postgresql://registry@127.0.0.1:1/ledger";
    record Case(Map<String, String> environment, List<String> args, String message) {}
    for (Case c : List.of(
        new Case(Map.of(), List.of("--pg-url", url, "--pg-password", "secret"), "--pg-url and --pg-password both say where the database is"),
        new Case(Map.of(), List.of("--pg-url", url, "--pg-host", "db.internal"), "--pg-url and --pg-host both say"),
        new Case(Map.of("CARBONLEDGER_PG_USER", "ops"), List.of("--pg-url", url), "--pg-url and CARBONLEDGER_PG_USER both say"),
        new Case(Map.of("CARBONLEDGER_PG_URL", url), List.of("--pg-database", "other"), "CARBONLEDGER_PG_URL and --pg-database both say"),
        new Case(Map.of(), List.of("--pg-password", "secret"), "--pg-password is for an external database given by --pg-host"),
        new Case(Map.of("CARBONLEDGER_PG_DATABASE", "ledger"), List.of(), "CARBONLEDGER_PG_DATABASE is for an external database"),
        new Case(Map.of(), List.of("keys", "list", "--pg-url", url, "--pg-host", "db.internal"), "--pg-url and --pg-host both say"),
        new Case(Map.of(), List.of("keys", "list", "--pg-user", "ops", "--data-dir", "/nonexistent/carbon-ledger"),
            "--pg-user is for an external database"))) {
      List<String> args = new java.util.ArrayList<>(c.args());
      if (args.isEmpty() || !args.get(0).equals("keys")) {
        args.addAll(List.of("--pg-pool-size", "x"));
      }
      Run result = run(c.environment(), args.toArray(String[]::new));
      assertEquals(2, result.exitCode(), args + ": " + result.err());
      assertTrue(result.err().contains(c.message()), args + ": " + result.err());
      assertFalse(result.err().contains("secret"), result.err());
    }
  }

  @Test
  void flagsOverrideEnvironmentOverridesDefaults() {
    Options options = new Options(ServerConfig.OPTIONS, Map.of("CARBONLEDGER_HTTP_PORT", "9000", "CARBONLEDGER_ORIGIN", "env.example/log"))
        .parse(List.of("--http-port", "9100"));
    ServerConfig config = ServerConfig.from(options);
    assertEquals(9100, config.httpPort());
    assertEquals("env.example/log", config.origin());
    assertEquals("127.0.0.1", config.httpHost());
    assertTrue(config.externalDatabase().isEmpty(), "no database configured means embedded");
    assertTrue(config.signingKeyGeneratedIfMissing());
    assertEquals(config.dataDirectory().resolve("log-signing.key"), config.signingKeyFile());
    assertEquals(AuthGate.Limits.DEFAULT, config.rateLimits());
    assertEquals(Runtime.getRuntime().availableProcessors(), config.httpEventLoops(), "0 event loops means one per CPU");
    ServerConfig tuned = ServerConfig.from(new Options(ServerConfig.OPTIONS, Map.of("CARBONLEDGER_RATE_LIMIT", "500"))
        .parse(List.of("--rate-limit-burst", "900", "--http-event-loops", "3")));
    assertEquals(new AuthGate.Limits(500, 900), tuned.rateLimits());
    assertEquals(3, tuned.httpEventLoops());
  }

  @Test
  void databaseFromHostOptions() {
    ServerConfig config = ServerConfig.from(new Options(ServerConfig.OPTIONS, Map.of())
        .parse(List.of("--pg-host", "db.internal", "--pg-port", "6543", "--pg-user", "registry", "--pg-database", "ledger")));
    var connect = config.externalDatabase().orElseThrow();
    assertEquals("db.internal", connect.getHost());
    assertEquals(6543, connect.getPort());
    assertEquals("registry", connect.getUser());
    assertEquals("ledger", connect.getDatabase());
  }

  @Test
  void signingKeyFileIsGeneratedOwnerOnlyAndReloadsTheSameKey(@TempDir Path directory) throws Exception {
    Path file = directory.resolve("keys/log.key");
    NoteSigner generated = SigningKeyFile.load(file, "registry.test/log", true);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    NoteSigner reloaded = SigningKeyFile.load(file, "registry.test/log", false);
    assertEquals(generated.verifier().vkey(), reloaded.verifier().vkey());
    String text = Files.readString(file);
    assertTrue(text.startsWith("PRIVATE+KEY+registry.test/log+"), "Go note private key form");
    String privateKey = text.trim().split("\\+", 5)[4]; // PRIVATE+KEY+<name>+<id>+<base64, which may hold '+'>
    assertFalse(generated.toString().contains(privateKey), "toString hides the key");
  }

  @Test
  void signingKeyFileProblemsAreConfigErrors(@TempDir Path directory) throws Exception {
    Path missing = directory.resolve("missing.key");
    assertTrue(assertThrows(ConfigException.class, () -> SigningKeyFile.load(missing, "a.test/log", false))
        .getMessage().contains("does not exist"));
    Path garbage = Files.writeString(directory.resolve("garbage.key"), "not a key\n");
    assertTrue(assertThrows(ConfigException.class, () -> SigningKeyFile.load(garbage, "a.test/log", false))
        .getMessage().contains("is not a valid PRIVATE+KEY"));
    Path other = directory.resolve("other.key");
    SigningKeyFile.load(other, "b.test/log", true);
    String message = assertThrows(ConfigException.class, () -> SigningKeyFile.load(other, "a.test/log", false)).getMessage();
    assertTrue(message.contains("holds the key of 'b.test/log'"), message);
    assertFalse(message.contains(Files.readString(other).trim()), "the key never appears in an error");

    Path keys = Files.createDirectory(directory.resolve("keys"));
    String refused = assertThrows(ConfigException.class, () -> SigningKeyFile.load(keys.resolve("log.key"), "a.test/a+b", true))
        .getMessage();
    assertTrue(refused.contains("cannot create a signing key named 'a.test/a+b'"), refused);
    try (var left = Files.list(keys)) {
      assertEquals(List.of(), left.toList(), "a failed generation leaves no temporary file");
    }
  }

  @Test
  void theReadmeDocumentsEveryOption() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    for (Options.Option option : ServerConfig.OPTIONS) {
      String row = "| `--" + option.name() + "` | `" + option.environmentVariable() + "` | "
          + (option.defaultValue() == null ? "" : "`" + option.defaultValue() + "`");
      assertTrue(readme.contains(row), "README.md lacks the row for --" + option.name() + ": " + row);
    }
  }
}
