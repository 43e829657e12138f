package org.carbonledger.server;

import io.vertx.pgclient.PgConnectOptions;
import org.carbonledger.api.AuthGate;
import org.carbonledger.api.GraphQLLimits;
import org.carbonledger.api.TrustedProxies;
import org.carbonledger.ledger.NoteVerifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * ServerConfig is the validated configuration of `serve`. The signing key is generated on first start only
 * at its default place in the data directory; a configured key file must exist. Every setting comes from a flag, an environment
 * variable or its default (see {@link #OPTIONS}); a bad value fails here with a ConfigException.
 */
public record ServerConfig(
    String httpHost,
    int httpPort,
    Optional<PgConnectOptions> externalDatabase,
    int poolSizeMax,
    Path dataDirectory,
    String origin,
    Path signingKeyFile,
    boolean signingKeyGeneratedIfMissing,
    boolean graphiqlEnabled,
    GraphQLLimits graphqlLimits,
    long requestBodyBytesMax,
    long requestBodyBudgetBytes,
    Duration requestBodyTimeout,
    List<String> corsOrigins,
    Optional<Tls> tls,
    AuthGate.Limits rateLimits,
    TrustedProxies trustedProxies,
    int webSocketsPerAddressMax,
    int feedsPerAddressMax,
    int httpEventLoops,
    boolean metricsEnabled,
    boolean readOnly,
    Duration replicaLagMax) {

  /** Tls is the server's certificate chain and private key, PEM files. */
  public record Tls(Path certificateFile, Path keyFile) {}

  /**
   * Connections and feeds one client address may hold open. A browser UI holds one GraphQL WebSocket per tab (the
   * graphql-ws client runs every subscription over one), an exchange a handful; a feed follows one account, and a
   * system following a hundred accounts would rather use subscriptions, a hundred per connection. So 100 of each is
   * far above legitimate use and a tenth of the server's 1,000, and one client cannot take them all.
   */
  static final int WEBSOCKETS_PER_ADDRESS_MAX_DEFAULT = 100;
  static final int FEEDS_PER_ADDRESS_MAX_DEFAULT = 100;

  /** C2SP tlog-checkpoint: the origin SHOULD be a schema-less URL, and it must be one line of printable text. */
  private static final Pattern ORIGIN = Pattern.compile("[\\x21-\\x7e]{1,255}");

  public static final List<Options.Option> OPTIONS = List.of(
      new Options.Option("http-host", "127.0.0.1", "address the HTTP server listens on"),
      new Options.Option("http-port", "8080", "HTTP port (0 picks a free one)"),
      new Options.Option("http-event-loops", "0", "threads serving HTTP, each with its own server on the port; 0: one per CPU"),
      new Options.Option("pg-url", null,
          "PostgreSQL URL, e.g. postgresql://user:pass@host:5432/db; unset with no --pg-host: embedded PostgreSQL"),
      new Options.Option("pg-host", null, "PostgreSQL host, when not given by --pg-url"),
      new Options.Option("pg-port", "5432", "PostgreSQL port, with --pg-host"),
      new Options.Option("pg-user", "postgres", "PostgreSQL user, with --pg-host"),
      new Options.Option("pg-password", null, "PostgreSQL password, with --pg-host"),
      new Options.Option("pg-database", "postgres", "PostgreSQL database, with --pg-host"),
      new Options.Option("pg-pool-size", "8", "maximum PostgreSQL connections of the server"),
      new Options.Option("data-dir", "./data", "directory of the embedded PostgreSQL and the generated signing key"),
      new Options.Option("origin", "localhost/carbon-ledger",
          "the log's origin: the first line of every checkpoint and the name of its signing key"),
      new Options.Option("signing-key-file", null,
          "file with the log's Ed25519 signing key; default <data-dir>/log-signing.key, generated on first start"),
      new Options.Option("graphiql", "true", "serve GraphiQL at /graphiql"),
      new Options.Option("graphql-introspection", "true", "answer GraphQL introspection (__schema, __type)"),
      new Options.Option("graphql-depth-max", Integer.toString(GraphQLLimits.DEFAULT.depthMax()), "deepest query nesting"),
      new Options.Option("graphql-complexity-max", Integer.toString(GraphQLLimits.DEFAULT.complexityMax()),
          "most estimated field resolutions per query (a page counts its size times its selection)"),
      new Options.Option("graphql-aliases-max", Integer.toString(GraphQLLimits.DEFAULT.aliasesMax()), "most aliased fields per query"),
      new Options.Option("graphql-page-size-max", Integer.toString(GraphQLLimits.DEFAULT.pageSizeMax()), "largest 'first' of a list"),
      new Options.Option("graphql-timeout-ms", Long.toString(GraphQLLimits.DEFAULT.executionTimeoutMillis()),
          "longest a GraphQL request may run before it is cancelled"),
      new Options.Option("http-body-bytes-max", "1048576", "largest accepted request body"),
      new Options.Option("http-body-budget-bytes", "0",
          "request body bytes the server receives and holds at once, each body counting its Content-Length (chunked:"
              + " --http-body-bytes-max); one more is refused with 503, and one client address may hold an eighth (429);"
              + " 0: an eighth of the JVM's maximum heap (-Xmx)"),
      new Options.Option("http-body-timeout-seconds", "30",
          "longest a request body may take to arrive after its request's headers; then its connection is closed"),
      new Options.Option("cors-origins", null, "comma-separated origins allowed to call the API from a browser, e.g. https://ui.example.org"),
      new Options.Option("tls-cert-file", null, "PEM certificate chain: serve HTTPS (with --tls-key-file)"),
      new Options.Option("tls-key-file", null, "PEM private key of --tls-cert-file"),
      new Options.Option("rate-limit", Integer.toString(AuthGate.Limits.DEFAULT.requestsPerSecond()),
          "requests per second allowed to one API key, or to one client address without a key (each request to /log"
              + " counts against its address, a tile as a sixteenth)"),
      new Options.Option("rate-limit-burst", Integer.toString(AuthGate.Limits.DEFAULT.burst()),
          "requests one key or address may send at once before --rate-limit applies"),
      new Options.Option("trusted-proxies", null,
          "comma-separated addresses or CIDR blocks of your own proxies and load balancers: behind them a client's address"
              + " (for rate limits) is read from X-Forwarded-For, e.g. 10.0.0.0/8"),
      new Options.Option("ws-connections-per-address-max", Integer.toString(WEBSOCKETS_PER_ADDRESS_MAX_DEFAULT),
          "GraphQL WebSocket connections one client address may hold open (as --trusted-proxies finds it); one more"
              + " is refused with 429"),
      new Options.Option("feeds-per-address-max", Integer.toString(FEEDS_PER_ADDRESS_MAX_DEFAULT),
          "account feeds one client address may hold open; one more is refused with 429 TOO_MANY_FEEDS"),
      new Options.Option("metrics", "false",
          "serve Prometheus metrics at /metrics, on the API's port and without a key: block that path at your proxy "
              + "for all but your scraper"),
      new Options.Option("read-only", "false",
          "serve reads only, from a database this server never writes, such as a hot standby of the primary's (with"
              + " --pg-url or --pg-host): no migrations, no signing key, no writer; mutations are refused with READ_ONLY"),
      new Options.Option("replica-lag-max-seconds", "30",
          "with --read-only: while its standby is cut off from the primary, or replays more than this many seconds"
              + " behind it, the server refuses requests (UNAVAILABLE) and is not ready"));

  public static ServerConfig from(Options options) {
    Path dataDirectory = Path.of(options.require("data-dir")).toAbsolutePath().normalize();
    String origin = options.require("origin");
    // The origin also names the signing key, whose rule refuses '+' (the key's text separates its fields with it).
    if (!ORIGIN.matcher(origin).matches() || !NoteVerifier.isValidName(origin)) {
      throw new ConfigException("--origin must be one word of printable ASCII without spaces or '+' (it names the log's"
          + " signing key), e.g. registry.example.org/carbon-ledger");
    }
    String keyFile = options.get("signing-key-file");
    long bodyBytesMax = options.getInt("http-body-bytes-max", 1024, 64 << 20);
    return new ServerConfig(
        options.require("http-host"),
        options.getInt("http-port", 0, 65535),
        externalDatabase(options),
        options.getInt("pg-pool-size", 1, 1000),
        dataDirectory,
        origin,
        keyFile == null ? dataDirectory.resolve("log-signing.key") : Path.of(keyFile).toAbsolutePath(),
        keyFile == null,
        options.getBoolean("graphiql"),
        graphqlLimits(options),
        bodyBytesMax,
        requestBodyBudget(options, bodyBytesMax),
        Duration.ofSeconds(options.getInt("http-body-timeout-seconds", 1, 3600)),
        corsOrigins(options.get("cors-origins")),
        tls(options),
        new AuthGate.Limits(options.getInt("rate-limit", 1, 1_000_000), options.getInt("rate-limit-burst", 1, 10_000_000)),
        trustedProxies(options.get("trusted-proxies")),
        options.getInt("ws-connections-per-address-max", 1, 1_000_000),
        options.getInt("feeds-per-address-max", 1, 1_000_000),
        httpEventLoops(options.getInt("http-event-loops", 0, 256)),
        options.getBoolean("metrics"),
        readOnly(options),
        Duration.ofSeconds(options.getInt("replica-lag-max-seconds", 1, 86_400)));
  }

  /**
   * The request body bytes held at once: as configured, or an eighth of the heap, which the registry's state and
   * the requests' work need the rest of. Either way one client address's share ({@link RequestBodies#ADDRESS_SHARES})
   * must hold the largest body.
   */
  private static long requestBodyBudget(Options options, long bodyBytesMax) {
    long least = RequestBodies.ADDRESS_SHARES * bodyBytesMax;
    int configured = options.getInt("http-body-budget-bytes", 0, Integer.MAX_VALUE);
    if (configured == 0) {
      return Math.max(Runtime.getRuntime().maxMemory() / 8, least);
    }
    if (configured < least) {
      throw new ConfigException("--http-body-budget-bytes must be at least " + least + ", " + RequestBodies.ADDRESS_SHARES
          + " times --http-body-bytes-max (one client address may hold an eighth of it), got " + configured);
    }
    return configured;
  }

  private static boolean readOnly(Options options) {
    boolean readOnly = options.getBoolean("read-only");
    if (readOnly && externalDatabase(options).isEmpty()) {
      throw new ConfigException("--read-only serves another server's database: give it with --pg-url or --pg-host"
          + " (the embedded database is this server's own, with nothing to read until something writes it)");
    }
    if (!readOnly && options.given("replica-lag-max-seconds")) {
      throw new ConfigException("--replica-lag-max-seconds is for a read-only server (--read-only true): a writing"
          + " server reads its own primary");
    }
    return readOnly;
  }

  private static TrustedProxies trustedProxies(String value) {
    try {
      return value == null ? TrustedProxies.NONE : TrustedProxies.parse(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--trusted-proxies: " + e.getMessage());
    }
  }

  private static int httpEventLoops(int configured) {
    return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
  }

  private static List<String> corsOrigins(String value) {
    if (value == null) {
      return List.of();
    }
    List<String> origins = new java.util.ArrayList<>();
    for (String origin : value.split(",")) {
      String trimmed = origin.trim();
      if (!trimmed.matches("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
        throw new ConfigException("--cors-origins: '" + trimmed + "' is not an origin like https://ui.example.org");
      }
      origins.add(trimmed);
    }
    return List.copyOf(origins);
  }

  private static Optional<Tls> tls(Options options) {
    String certificate = options.get("tls-cert-file");
    String key = options.get("tls-key-file");
    if (certificate == null && key == null) {
      return Optional.empty();
    }
    if (certificate == null || key == null) {
      throw new ConfigException("--tls-cert-file and --tls-key-file go together");
    }
    for (String file : List.of(certificate, key)) {
      if (!java.nio.file.Files.isReadable(Path.of(file))) {
        throw new ConfigException("TLS file " + file + " is not readable");
      }
    }
    return Optional.of(new Tls(Path.of(certificate).toAbsolutePath(), Path.of(key).toAbsolutePath()));
  }

  /** Each limit within the range GraphQLLimits accepts, so that a refusal names its flag and the real minimum. */
  private static GraphQLLimits graphqlLimits(Options options) {
    int pageSizeMax = options.getInt("graphql-page-size-max", 1, 1000);
    int complexityMax = options.getInt("graphql-complexity-max", GraphQLLimits.COMPLEXITY_MAX_MIN, Integer.MAX_VALUE);
    if (complexityMax < GraphQLLimits.complexityMaxMin(pageSizeMax)) {
      throw new ConfigException("--graphql-complexity-max must be at least " + GraphQLLimits.complexityMaxMin(pageSizeMax)
          + " to fit a page of --graphql-page-size-max " + pageSizeMax + ", got " + complexityMax);
    }
    return new GraphQLLimits(
        options.getInt("graphql-depth-max", GraphQLLimits.DEPTH_MAX_MIN, 1000),
        complexityMax,
        options.getInt("graphql-aliases-max", 1, 10_000),
        pageSizeMax,
        options.getInt("graphql-timeout-ms", GraphQLLimits.EXECUTION_TIMEOUT_MILLIS_MIN, 3_600_000),
        options.getBoolean("graphql-introspection"));
  }

  /** The options that name an external database piece by piece, instead of --pg-url. */
  private static final List<String> PG_HOST_OPTIONS = List.of("pg-host", "pg-port", "pg-user", "pg-password", "pg-database");

  /**
   * The external database named by --pg-url or --pg-host..., or empty for the embedded one. Also used by `keys`.
   * Options of both forms together, or --pg-port... without --pg-host, are refused: one of them would be ignored,
   * and an ignored --pg-password or --pg-host is a database other than the one the operator meant.
   */
  static Optional<PgConnectOptions> externalDatabase(Options options) {
    String url = options.get("pg-url");
    for (String name : PG_HOST_OPTIONS) {
      if (options.given(name) && url != null) {
        throw new ConfigException(options.source("pg-url") + " and " + options.source(name) + " both say where the"
            + " database is: give either --pg-url alone or --pg-host with --pg-port, --pg-user, --pg-password, --pg-database");
      }
      if (options.given(name) && !options.given("pg-host") && url == null) {
        throw new ConfigException(options.source(name) + " is for an external database given by --pg-host, which is"
            + " missing: without --pg-host or --pg-url the embedded database is used");
      }
    }
    if (url != null) {
      try {
        return Optional.of(PgConnectOptions.fromUri(url));
      } catch (RuntimeException e) {
        // Neither the URL nor the parser's message (which quotes it) is shown: no masking finds every password
        // in a URL that did not parse, since where the password ends is what is in doubt.
        throw new ConfigException("--pg-url is not a PostgreSQL URL like postgresql://user:password@host:5432/database"
            + " (the value is not shown: it may hold a password); in the user and password, write any character"
            + " but letters, digits and - . _ ~ percent-encoded, e.g. / as %2F, + as %2B, @ as %40");
      }
    }
    String host = options.get("pg-host");
    if (host == null) {
      return Optional.empty();
    }
    PgConnectOptions connect = new PgConnectOptions()
        .setHost(host)
        .setPort(options.getInt("pg-port", 1, 65535))
        .setUser(options.require("pg-user"))
        .setDatabase(options.require("pg-database"));
    String password = options.get("pg-password");
    if (password != null) {
      connect.setPassword(password);
    }
    return Optional.of(connect);
  }
}
