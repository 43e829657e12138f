package org.carbonledger.server;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import io.vertx.pgclient.PgConnectOptions;
import org.carbonledger.store.TestDatabases;

/**
 * TestServer runs a whole RegistryServer in the test JVM on a fresh database and a free port, and talks to
 * it over real HTTP.
 */
final class TestServer implements AutoCloseable {

  final RegistryServer server;
  final Path dataDirectory;
  final PgConnectOptions database;
  final String base;
  /** The REGISTRY_ADMIN key the server created on its first start; {@link #graphql} sends it. */
  final String adminToken;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private TestServer(RegistryServer server, Path dataDirectory, PgConnectOptions database, String adminToken) {
    this.server = server;
    this.dataDirectory = dataDirectory;
    this.database = database;
    this.base = "http://127.0.0.1:" + server.port();
    this.adminToken = adminToken;
  }

  static TestServer start(String... extraArguments) throws Exception {
    return start(org.carbonledger.api.GraphQLWebSocketOptions.DEFAULT, extraArguments);
  }

  /** A server whose GraphQL over WebSocket has the given limits. */
  static TestServer start(org.carbonledger.api.GraphQLWebSocketOptions webSocketOptions, String... extraArguments) throws Exception {
    return startOn(webSocketOptions, TestDatabases.create(), extraArguments);
  }

  /** A writing server on {@code database}, which may hold a registry already. */
  static TestServer startOn(PgConnectOptions database, String... extraArguments) throws Exception {
    return startOn(org.carbonledger.api.GraphQLWebSocketOptions.DEFAULT, database, extraArguments);
  }

  private static TestServer startOn(org.carbonledger.api.GraphQLWebSocketOptions webSocketOptions, PgConnectOptions database,
      String... extraArguments) throws Exception {
    Path data = Files.createTempDirectory("carbon-ledger-server-test");
    RegistryServer server = startServer(webSocketOptions, data, database, extraArguments);
    return new TestServer(server, data, database, Files.readString(data.resolve("admin-api-key")).trim());
  }

  /**
   * A read-only server ({@code --read-only true}) on {@code database}, which another server writes: {@link #graphql}
   * sends {@code adminToken}, a key made there.
   */
  static TestServer startReadOnly(PgConnectOptions database, String adminToken, String... extraArguments) throws Exception {
    Path data = Files.createTempDirectory("carbon-ledger-server-test");
    List<String> arguments = new java.util.ArrayList<>(List.of("--read-only", "true"));
    arguments.addAll(List.of(extraArguments));
    RegistryServer server = startServer(org.carbonledger.api.GraphQLWebSocketOptions.DEFAULT, data, database,
        arguments.toArray(String[]::new));
    return new TestServer(server, data, database, adminToken);
  }

  /**
   * Another writing server on this one's database, as an operator runs two for availability: the same data
   * directory, so the same signing key and admin key. The two take turns at the writer.
   */
  TestServer anotherWriter(String... extraArguments) throws Exception {
    RegistryServer other = startServer(org.carbonledger.api.GraphQLWebSocketOptions.DEFAULT, dataDirectory, database, extraArguments);
    return new TestServer(other, dataDirectory, database, adminToken);
  }

  /** A server on {@code database} with its data in {@code data}. */
  private static RegistryServer startServer(org.carbonledger.api.GraphQLWebSocketOptions webSocketOptions, Path data,
      PgConnectOptions database, String... extraArguments) throws Exception {
    List<String> arguments = new java.util.ArrayList<>(List.of(
        "--http-port", "0", "--data-dir", data.toString(), "--pg-url", TestDatabases.url(database)));
    arguments.addAll(List.of(extraArguments));
    Options options = new Options(ServerConfig.OPTIONS, Map.of()).parse(arguments);
    return RegistryServer.start(ServerConfig.from(options), webSocketOptions);
  }

  HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<byte[]> sendForBytes(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path));
  }

  /** POSTs a GraphQL query with variables, as the registry's admin, and returns the whole response body. */
  JsonObject graphql(String query, JsonObject variables) throws IOException, InterruptedException {
    return new JsonObject(post(adminToken, query, variables).body());
  }

  /** POSTs a GraphQL query with the API key {@code token} (none when null) and returns the response. */
  HttpResponse<String> post(String token, String query, JsonObject variables) throws IOException, InterruptedException {
    JsonObject body = new JsonObject().put("query", query).put("variables", variables);
    HttpRequest.Builder request = request("/graphql").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode()));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request);
  }

  /** POSTs a query that must succeed without errors and returns its data. */
  JsonObject data(String query, JsonObject variables) throws IOException, InterruptedException {
    JsonObject response = graphql(query, variables);
    if (response.containsKey("errors")) {
      throw new AssertionError("unexpected errors: " + response.encodePrettily());
    }
    return response.getJsonObject("data");
  }

  /** The extensions.code of the first error of a query that must fail. */
  String errorCode(String query, JsonObject variables) throws IOException, InterruptedException {
    JsonObject response = graphql(query, variables);
    if (!response.containsKey("errors")) {
      throw new AssertionError("expected an error: " + response.encodePrettily());
    }
    return response.getJsonArray("errors").getJsonObject(0).getJsonObject("extensions").getString("code");
  }

  @Override
  public void close() {
    server.close();
    BLOCKED_THREADS.assertNone();
  }

  /**
   * BlockedThreads records Vert.x's blocked-thread warnings: a blocking call on an event loop stalls every
   * request on it, so any warning while a test server runs fails the test that closes it.
   */
  static final class BlockedThreads extends java.util.logging.Handler {
    private final java.util.List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void publish(java.util.logging.LogRecord record) {
      if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
        warnings.add(record.getMessage());
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    void assertNone() {
      if (!warnings.isEmpty()) {
        java.util.List<String> seen = java.util.List.copyOf(warnings);
        warnings.clear();
        throw new AssertionError("Vert.x blocked-thread warnings: " + seen);
      }
    }
  }

  private static final BlockedThreads BLOCKED_THREADS = new BlockedThreads();
  private static final java.util.logging.Logger CHECKER = java.util.logging.Logger.getLogger(
      "io.vertx.core.impl.BlockedThreadChecker");

  static {
    CHECKER.addHandler(BLOCKED_THREADS);
  }
}
