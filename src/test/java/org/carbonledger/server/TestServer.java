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
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private TestServer(RegistryServer server, Path dataDirectory, PgConnectOptions database) {
    this.server = server;
    this.dataDirectory = dataDirectory;
    this.database = database;
    this.base = "http://127.0.0.1:" + server.port();
  }

  static TestServer start(String... extraArguments) throws Exception {
    Path data = Files.createTempDirectory("carbon-ledger-server-test");
    PgConnectOptions database = TestDatabases.create();
    List<String> arguments = new java.util.ArrayList<>(List.of(
        "--http-port", "0", "--data-dir", data.toString(), "--pg-url", TestDatabases.url(database)));
    arguments.addAll(List.of(extraArguments));
    Options options = new Options(ServerConfig.OPTIONS, Map.of()).parse(arguments);
    return new TestServer(RegistryServer.start(ServerConfig.from(options)), data, database);
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

  /** POSTs a GraphQL query with variables and returns the whole response body. */
  JsonObject graphql(String query, JsonObject variables) throws IOException, InterruptedException {
    JsonObject body = new JsonObject().put("query", query).put("variables", variables);
    HttpResponse<String> response = send(request("/graphql")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
    return new JsonObject(response.body());
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
