package org.carbonledger.server;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.nio.file.Path;
import org.carbonledger.api.AuthGate;
import org.carbonledger.api.GraphQLApi;
import org.carbonledger.store.ApiKeys;
import org.carbonledger.api.GraphQLWebSocketHandler;
import org.carbonledger.api.GraphQLWebSocketOptions;
import org.carbonledger.store.DataDirectoryLock;
import org.carbonledger.store.Database;
import org.carbonledger.store.EmbeddedDatabase;
import org.carbonledger.store.KnownKeys;
import org.carbonledger.store.Ledger;
import org.carbonledger.store.LogWriter;
import org.carbonledger.store.StandbyWatch;
import org.carbonledger.ledger.NoteSigner;

/**
 * RegistryServer is one running server: the data directory lock, the database (embedded or external), the
 * pool, and the HTTP server. {@link #start} brings them up in order; {@link #close} takes them down in reverse.
 */
public final class RegistryServer implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(RegistryServer.class.getName());
  /** How long a shutdown waits for in-flight requests before closing their connections. */
  static final long SHUTDOWN_GRACE_SECONDS = 10;
  private static final long START_TIMEOUT_SECONDS = 120;
  /** The writer's connections: one for its batch, one for what it reads beside it (the log's head at start). */
  static final int WRITER_CONNECTIONS = 2;
  /** Largest request head: our requests carry a few short headers; a bearer token is 65 characters. */
  static final int HEADER_BYTES_MAX = 16 * 1024;
  static final int REQUEST_LINE_BYTES_MAX = 8 * 1024;
  /** A connection that says nothing for this long is closed, so idle sockets cannot pile up. */
  static final int IDLE_TIMEOUT_SECONDS = 120;

  /** What to close, most recently opened first. */
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
  private Ledger ledger;

  /**
   * What opening the store gives the rest of the server: the log, the API keys, and for a read-only server how far
   * its standby is behind the primary.
   */
  private record Store(Ledger ledger, ApiKeys keys, Optional<StandbyWatch> standby) {}

  private RegistryServer() {}

  /** Starts everything or, on any failure, closes what was started and throws with a one-line message. */
  public static RegistryServer start(ServerConfig config) throws Exception {
    return start(config, GraphQLWebSocketOptions.DEFAULT);
  }

  /** Like {@link #start(ServerConfig)}, with the limits of GraphQL over WebSocket; tests make them small. */
  static RegistryServer start(ServerConfig config, GraphQLWebSocketOptions webSocketOptions) throws Exception {
    RegistryServer server = new RegistryServer();
    try {
      server.open(config, webSocketOptions);
      return server;
    } catch (Exception e) {
      server.close();
      throw e;
    }
  }

  private void open(ServerConfig config, GraphQLWebSocketOptions webSocketOptions) throws Exception {
    // Netty's epoll transport where it loads (Linux): fewer system calls per request than Java NIO.
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    resources.push(() -> vertx.close().await(30, TimeUnit.SECONDS));
    // Before the data directory and the database: a start that cannot serve must not migrate, nor make a signing
    // key or an admin key first.
    config.tls().ifPresent(tls -> checkTls(vertx, tls));
    checkHttpHost(config.httpHost());
    PgConnectOptions connect;
    String databaseDescription;
    if (config.externalDatabase().isPresent()) {
      connect = config.externalDatabase().get();
      databaseDescription = "PostgreSQL at " + Database.describe(connect);
    } else {
      resources.push(DataDirectoryLock.acquire(config.dataDirectory()));
      EmbeddedDatabase embedded = EmbeddedDatabase.start(config.dataDirectory().resolve("postgres"));
      resources.push(embedded);
      connect = embedded.connectOptions();
      databaseDescription = "embedded PostgreSQL in " + config.dataDirectory().resolve("postgres") + " (port " + embedded.port() + ")";
    }
    Pool pool = Database.pool(vertx, connect, config.poolSizeMax());
    resources.push(() -> pool.close().await(30, TimeUnit.SECONDS));
    Store store = config.readOnly() ? openReadOnly(vertx, pool, connect, config) : openWriter(vertx, pool, connect, config);
    ledger = store.ledger();
    ApiKeys keys = store.keys();
    GraphQLApi api = GraphQLApi.create(ledger, pool, config.graphqlLimits(), keys);
    // One router and handler set, served by one HTTP server per event loop: a single server would do all
    // request work (parsing, GraphQL, JSON) on one thread, and the writer is already safe to call from any.
    AuthGate gate = AuthGate.withLimits(keys, config.rateLimits(), config.trustedProxies(),
        () -> store.standby().map(StandbyWatch::behind).orElse(null));
    Router router = HttpRoutes.create(vertx, config, api, pool, ledger, gate, store.standby());
    // A browser UI allowed to call /graphql (--cors-origins) may subscribe over WebSocket too.
    GraphQLWebSocketHandler webSockets = new GraphQLWebSocketHandler(vertx, api.graphQL(),
        webSocketOptions.allowingAlso(config.corsOrigins()), gate, config.webSocketsPerAddressMax());
    HttpServerOptions options = httpOptions(config).setWebSocketSubProtocols(List.of(GraphQLWebSocketHandler.SUBPROTOCOL));
    try {
      if (options.getPort() == 0) {
        // Vert.x shares a port among servers only when it is named, and port 0 would give each its own. (Another
        // process could take the port before we bind it again; listening then fails with a clear message.)
        options.setPort(freePort(config.httpHost()));
      }
      listen(vertx, options, router, webSockets, config.httpEventLoops());
    } catch (Exception e) {
      throw new IOException("cannot listen on " + config.httpHost() + ":" + config.httpPort() + ": " + e.getMessage(), e);
    }
    resources.push(() -> Future.all(servers.stream().map(server -> server.shutdown(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS)).toList())
        .await());
    String base = (config.tls().isPresent() ? "https://" : "http://") + config.httpHost() + ":" + port();
    LOG.info("server.started graphql=" + base + "/graphql"
        + (config.graphiqlEnabled() ? " graphiql=" + base + "/graphiql/" : "")
        + " database=\"" + databaseDescription + "\" native_transport=" + vertx.isNativeTransportEnabled()
        + (config.readOnly() ? " read_only=true" : ""));
  }

  /**
   * The writing server's start: the signing key, migrations, the writer on connections of its own, the keys
   * remembered while revocations are heard, and the first admin key.
   */
  private Store openWriter(Vertx vertx, Pool pool, PgConnectOptions connect, ServerConfig config) throws Exception {
    // The key first: a configured key file that is missing or not a key is bad configuration, found before migrating.
    NoteSigner signer = SigningKeyFile.load(config.signingKeyFile(), config.origin(), config.signingKeyGeneratedIfMissing());
    int applied = Database.prepare(pool, connect).await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    LOG.info("store.migrated applied=" + applied);

    // The writer's own connections: readers holding every connection of the pool must not delay a commit.
    Pool writerPool = Database.pool(vertx, connect, WRITER_CONNECTIONS);
    resources.push(() -> writerPool.close().await(30, TimeUnit.SECONDS));
    Ledger ledger = Ledger.open(vertx, pool, writerPool, signer, config.origin(), LogWriter.Limits.DEFAULT)
        .await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    LOG.info("ledger.opened origin=" + config.origin() + " key=" + ledger.verifierKey());

    KnownKeys knownKeys = KnownKeys.listening(vertx, connect);
    resources.push(knownKeys);
    ApiKeys keys = new ApiKeys(vertx, pool, knownKeys);
    Path adminKeyFile = config.dataDirectory().resolve("admin-api-key");
    if (keys.ensureAdminKey(adminKeyFile).await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      LOG.info("auth.admin_key_created file=" + adminKeyFile + " advice=\"the file holds a REGISTRY_ADMIN key: keep it, it is shown nowhere else\"");
    }
    return new Store(ledger, keys, Optional.empty());
  }

  /**
   * A read-only server's start, which writes nothing (its database may be a hot standby): the schema must be this
   * build's, the log's origin the configured one; no signing key or writer. Every key is looked up in the
   * database on every request: a standby cannot LISTEN for revocations, and a revocation on the primary then holds
   * here as soon as the standby has replayed it.
   */
  private Store openReadOnly(Vertx vertx, Pool pool, PgConnectOptions connect, ServerConfig config) throws Exception {
    Database.checkSchema(pool, connect).await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    Ledger ledger = Ledger.openReadOnly(vertx, pool, config.origin()).await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    LOG.info("ledger.opened origin=" + config.origin() + " key=" + ledger.verifierKey() + " read_only=true");
    StandbyWatch standby = StandbyWatch.start(vertx, pool, config.replicaLagMax()).await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    resources.push(standby);
    return new Store(ledger, new ApiKeys(vertx, pool, KnownKeys.none()), Optional.of(standby));
  }

  /** Loads the TLS files as the HTTP server will; bad configuration (ConfigException) when they cannot be loaded. */
  private static void checkTls(Vertx vertx, ServerConfig.Tls tls) {
    try {
      tlsOptions(tls).getKeyManagerFactory(vertx);
    } catch (Exception e) {
      throw new ConfigException("--tls-cert-file " + tls.certificateFile() + " and --tls-key-file " + tls.keyFile()
          + " are not a PEM certificate chain and its private key: " + e.getMessage());
    }
  }

  /** A host name that resolves to no address is bad configuration; one this machine cannot listen on shows at listen. */
  private static void checkHttpHost(String host) {
    try {
      InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new ConfigException("--http-host " + host + " is no address, and no name that resolves to one");
    }
  }

  private static PemKeyCertOptions tlsOptions(ServerConfig.Tls tls) {
    return new PemKeyCertOptions().setCertPath(tls.certificateFile().toString()).setKeyPath(tls.keyFile().toString());
  }

  /** A port free on {@code host} now, picked by the operating system. */
  private static int freePort(String host) throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return socket.getLocalPort();
    }
  }

  /** Starts {@code count} HTTP servers with {@code options}, each on an event loop of its own. */
  private void listen(Vertx vertx, HttpServerOptions options, Router router, GraphQLWebSocketHandler webSockets, int count)
      throws Exception {
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        HttpServer server = vertx.createHttpServer(options).requestHandler(router).webSocketHandshakeHandler(webSockets);
        servers.add(server);
        return server.listen();
      }
    }, new DeploymentOptions().setInstances(count)).await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  /** The log this server writes. */
  public Ledger ledger() {
    return ledger;
  }

  /** Where to listen, with bounded headers and idle connections, and TLS when configured. */
  private static HttpServerOptions httpOptions(ServerConfig config) {
    HttpServerOptions options = new HttpServerOptions().setHost(config.httpHost()).setPort(config.httpPort())
        .setMaxHeaderSize(HEADER_BYTES_MAX).setMaxInitialLineLength(REQUEST_LINE_BYTES_MAX)
        .setIdleTimeout(IDLE_TIMEOUT_SECONDS).setIdleTimeoutUnit(TimeUnit.SECONDS)
        // HTTP/1.1 only: an h2c upgrade would take the connection past the HTTP/1 header limits above.
        .setHttp2ClearTextEnabled(false)
        // No WebSocket compression: its extension handler would inspect every HTTP response, and entries are
        // small JSON frames that gain little from it.
        .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false);
    config.tls().ifPresent(tls -> options.setSsl(true).setKeyCertOptions(tlsOptions(tls)));
    return options;
  }

  /** The port the HTTP server listens on. */
  public int port() {
    return servers.get(0).actualPort();
  }

  /** Stops accepting requests, lets in-flight ones finish, then closes the pool, Vert.x and the database. */
  @Override
  public void close() {
    while (!resources.isEmpty()) {
      try {
        resources.pop().close();
      } catch (Exception e) {
        LOG.log(Level.WARNING, "server.close_failed error=\"" + e.getMessage() + "\"");
      }
    }
  }
}
