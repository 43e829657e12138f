package org.carbonledger.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;
import org.carbonledger.ledger.BundleId;
import org.carbonledger.ledger.TileId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * HttpLogSourceTest checks the HTTP client against a real {@link TileServer}: the log URL a server URL maps to,
 * redirects, and each way a fetch fails (status, size cap with and without a Content-Length, a body cut short, a
 * stalled or trickling server, a redirect loop, a closed port, a redirect from https to http or to another scheme)
 * with its one-line reason. The https server has a self-signed certificate ({@link TestTls}) that the client is
 * made to trust, through HttpsURLConnection's default socket factory: HttpLogSource takes no SSL settings of its own.
 */
class HttpLogSourceTest {

  private static TileServer server;
  private static TileServer httpsServer;
  private static SSLSocketFactory defaultSocketFactory;

  @TempDir
  static Path tlsDirectory;

  @BeforeAll
  static void start() throws Exception {
    server = new TileServer();
    TestTls tls = TestTls.create(tlsDirectory);
    httpsServer = new TileServer(tls);
    defaultSocketFactory = HttpsURLConnection.getDefaultSSLSocketFactory();
    HttpsURLConnection.setDefaultSSLSocketFactory(tls.clientContext.getSocketFactory());
  }

  @AfterAll
  static void stop() throws Exception {
    HttpsURLConnection.setDefaultSSLSocketFactory(defaultSocketFactory);
    server.close();
    httpsServer.close();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource({
      "http://127.0.0.1:8080,           http://127.0.0.1:8080/log",
      "http://127.0.0.1:8080/,          http://127.0.0.1:8080/log",
      "http://127.0.0.1:8080/log,       http://127.0.0.1:8080/log",
      "http://127.0.0.1:8080/log/,      http://127.0.0.1:8080/log",
      "HTTPS://registry.example.org/carbon, https://registry.example.org/carbon/log",
      "https://[::1]:8443/a/log//,      https://[::1]:8443/a/log",
  })
  void logUrlAcceptsAServerUrlWithOrWithoutLog(String given, String expected) {
    assertEquals(URI.create(expected), HttpLogSource.logUrl(given));
  }

  /**
   * Each refusal says why, to follow the option's name ("--url must not have a query or fragment: URL"). A URL
   * with a user name or password is refused, since the verifier would send neither, and no message shows a URL
   * holding one: not when it is the reason, nor when another one is (a malformed URL).
   */
  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {
      "ftp://127.0.0.1/log                   | is not an http:// or https:// URL with a host: ftp://127.0.0.1/log",
      "127.0.0.1:8080                        | is not a URL: 127.0.0.1:8080",
      "http://                               | is not a URL: http://",
      "http:///log                           | is not an http:// or https:// URL with a host: http:///log",
      "''                                    | is not an http:// or https:// URL with a host",
      "not a url                             | is not a URL: not a url",
      "http://127.0.0.1/log?size=1           | must not have a query or fragment: http://127.0.0.1/log?size=1",
      "http://127.0.0.1/log#x                | must not have a query or fragment: http://127.0.0.1/log#x",
      "http://user:s3cret@127.0.0.1:8080     | must not have a user name or password (user@host): the verifier sends no credentials",
      "https://s3cret@registry.example.org/  | must not have a user name or password (user@host): the verifier sends no credentials",
      "http://user:s3cret@127.0.0.1/log?x=1  | must not have a user name or password (user@host): the verifier sends no credentials",
      "ftp://user:s3cret@127.0.0.1/log       | must not have a user name or password (user@host): the verifier sends no credentials",
      "http://user:s3cret@127.0.0.1/ log     | is not a URL",
  })
  void logUrlRefusesOtherUrlsSayingWhy(String given, String message) {
    assertEquals(message, assertThrows(IllegalArgumentException.class, () -> HttpLogSource.logUrl(given)).getMessage());
  }

  @Test
  void fetchesTheBytesServed() throws Exception {
    byte[] tile = new byte[3 * 32];
    tile[5] = 7;
    server.serve(Map.of("tile/0/000.p/3", tile));
    assertArrayEquals(tile, source(10).tile(new TileId(0, 0, 3)));
  }

  @Test
  void statusOtherThan200IsAFetchFailure() {
    server.serve(Map.of());
    FetchException e = assertThrows(FetchException.class, () -> source(10).checkpoint());
    assertEquals("GET " + server.logUrl() + "/checkpoint: HTTP 404", e.getMessage());
  }

  @Test
  void bodyOverTheCapWithoutContentLengthIsRefused() {
    server.serve(Map.of("tile/0/000", new byte[8192 + 1]));
    server.chunked.add("tile/0/000");
    FetchException e = assertThrows(FetchException.class, () -> source(10).tile(new TileId(0, 0, 256)));
    assertEquals("GET " + server.logUrl() + "/tile/0/000: response exceeds the cap of 8192 bytes (8193 or more)",
        e.getMessage());
  }

  @Test
  void bodyAtTheCapWithoutContentLengthIsRead() throws Exception {
    server.serve(Map.of("tile/0/000", new byte[8192]));
    server.chunked.add("tile/0/000");
    assertEquals(8192, source(10).tile(new TileId(0, 0, 256)).length);
  }

  /** A 429 is waited out as long as Retry-After says (a whole number of seconds) and the resource asked again. */
  @Test
  void rateLimitedIsRetriedAfterTheWaitItAsksFor() throws Exception {
    byte[] tile = new byte[32];
    tile[3] = 4;
    server.serve(Map.of("tile/0/000.p/1", tile));
    server.rateLimited.put("tile/0/000.p/1", new AtomicInteger(2));
    server.retryAfter = "1";
    long started = System.nanoTime();
    assertArrayEquals(tile, source(10).tile(new TileId(0, 0, 1)));
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    assertTrue(seconds >= 2 && seconds < 5, "waited 1 s twice, took " + seconds + " s");
    assertEquals(3, server.requests.get("tile/0/000.p/1").get());
  }

  /** Past the retries, or asked to wait longer than a verifier waits, a 429 is a fetch failure that says so. */
  @Test
  void rateLimitedForTooLongIsAFetchFailure() {
    server.serve(Map.of("checkpoint", new byte[1]));
    server.rateLimited.put("checkpoint", new AtomicInteger(Integer.MAX_VALUE));
    server.retryAfter = "3600";
    FetchException tooLong = assertThrows(FetchException.class, () -> source(10).checkpoint());
    assertEquals("GET " + server.logUrl() + "/checkpoint: HTTP 429, asked to retry after 3600 s, longer than the 60 s"
        + " a verifier waits", tooLong.getMessage());
    assertEquals(1, server.requests.get("checkpoint").get());

    server.retryAfter = "0";
    FetchException tooOften = assertThrows(FetchException.class, () -> source(10).checkpoint());
    assertEquals("GET " + server.logUrl() + "/checkpoint: HTTP 429, still rate limited after 10 retries",
        tooOften.getMessage());
    assertEquals(1 + 1 + HttpLogSource.RATE_LIMITED_RETRIES_MAX, server.requests.get("checkpoint").get());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(nullValues = "null", value = {
      "0, 1", "7, 7", "' 12 ', 12", "null, 1", "'', 1", "-1, 1", "1.5, 1", "'Wed, 21 Oct 2026 07:28:00 GMT', 1",
      "9999999999, 9999999999", "99999999999999999999, 9223372036854775807",
  })
  void retryAfterIsWholeSecondsAndAtLeastOne(String header, long seconds) {
    assertEquals(seconds, HttpLogSource.retryAfterSeconds(header));
  }

  @Test
  void stalledServerTimesOut() {
    server.serve(Map.of("checkpoint", new byte[1]));
    server.stalled.add("checkpoint");
    FetchException e = assertThrows(FetchException.class, () -> source(1).checkpoint());
    assertEquals("GET " + server.logUrl() + "/checkpoint: no complete response within 1 s", e.getMessage());
  }

  @Test
  void bodyCutShortIsAFetchFailure() {
    server.serve(Map.of("tile/0/000.p/3", new byte[3 * 32]));
    server.cutShort.add("tile/0/000.p/3");
    FetchException e = assertThrows(FetchException.class, () -> source(10).tile(new TileId(0, 0, 3)));
    assertEquals("GET " + server.logUrl() + "/tile/0/000.p/3: response cut short after 48 of 96 bytes",
        e.getMessage());
  }

  /** Each byte arrives within the deadline of one read, the whole body does not: the whole response has one. */
  @Test
  void tricklingServerTimesOutAsAWhole() {
    server.serve(Map.of("checkpoint", new byte[40]));
    server.trickled.add("checkpoint");
    long started = System.nanoTime();
    FetchException e = assertThrows(FetchException.class, () -> source(1).checkpoint());
    assertEquals("GET " + server.logUrl() + "/checkpoint: no complete response within 1 s", e.getMessage());
    assertTrue(System.nanoTime() - started < 3_000_000_000L, "gave up at the deadline, not after the 4 s body");
  }

  @Test
  void redirectsAreFollowed() throws Exception {
    byte[] tile = new byte[32];
    tile[0] = 9;
    server.serve(Map.of("moved/tile", tile));
    server.redirects.put("tile/0/000.p/1", "/log/moved/tile");
    assertArrayEquals(tile, source(10).tile(new TileId(0, 0, 1)));
  }

  @Test
  void redirectLoopIsAFetchFailure() {
    server.serve(Map.of());
    server.redirects.put("checkpoint", server.logUrl() + "/checkpoint");
    FetchException e = assertThrows(FetchException.class, () -> source(10).checkpoint());
    assertEquals("GET " + server.logUrl() + "/checkpoint: HTTP 302 after 5 redirects", e.getMessage());
  }

  /** Over https, a redirect that stays https is followed: the control for the refusal below. */
  @Test
  void httpsRedirectToHttpsIsFollowed() throws Exception {
    byte[] tile = new byte[32];
    tile[0] = 11;
    httpsServer.serve(Map.of("moved/tile", tile));
    httpsServer.redirects.put("tile/0/000.p/1", httpsServer.logUrl() + "/moved/tile");
    assertArrayEquals(tile, new HttpLogSource(URI.create(httpsServer.logUrl()), Duration.ofSeconds(10))
        .tile(new TileId(0, 0, 1)));
  }

  /**
   * A log read over https is not read over http, even when its server redirects there: the body would come
   * without the transport's protection. The http server does serve the resource, so only the refusal fails it.
   */
  @Test
  void httpsRedirectToHttpIsRefused() {
    server.serve(Map.of("checkpoint", "a checkpoint\n".getBytes(StandardCharsets.UTF_8)));
    httpsServer.serve(Map.of());
    httpsServer.redirects.put("checkpoint", server.logUrl() + "/checkpoint");
    HttpLogSource source = new HttpLogSource(URI.create(httpsServer.logUrl()), Duration.ofSeconds(10));

    FetchException e = assertThrows(FetchException.class, source::checkpoint);

    assertEquals("GET " + httpsServer.logUrl() + "/checkpoint: HTTP 302 to a URL that is not https: "
        + server.logUrl() + "/checkpoint", e.getMessage());
  }

  /**
   * A redirect to any scheme but http and https is a fetch failure naming the resource, from a checkpoint, a
   * tile or a bundle alike, not an exception of the JDK's (the file: URL names a file that exists).
   */
  @ParameterizedTest(name = "[{index}] {0} from {1}")
  @CsvSource({
      "file:///etc/hostname,                 checkpoint",
      "FILE:///etc/hostname,                 tile/0/000.p/1",
      "ftp://127.0.0.1/log/checkpoint,       tile/entries/000.p/1",
      "jar:file:///tmp/x.jar!/checkpoint,    checkpoint",
      "mailto:auditor@example.org,           checkpoint",
  })
  void redirectToAnotherSchemeIsAFetchFailure(String location, String path) {
    server.serve(Map.of());
    server.redirects.put(path, location);
    HttpLogSource source = source(10);

    FetchException e = assertThrows(FetchException.class, () -> {
      switch (path) {
        case "checkpoint" -> source.checkpoint();
        case "tile/0/000.p/1" -> source.tile(new TileId(0, 0, 1));
        default -> source.entryBundle(new BundleId(0, 1));
      }
    });

    assertEquals("GET " + server.logUrl() + "/" + path + ": HTTP 302 to a URL that is not http or https: " + location,
        e.getMessage());
  }

  @Test
  void redirectToAnUnknownSchemeIsAFetchFailure() {
    server.serve(Map.of());
    server.redirects.put("checkpoint", "gopher://127.0.0.1/checkpoint");
    FetchException e = assertThrows(FetchException.class, () -> source(10).checkpoint());
    assertEquals("GET " + server.logUrl() + "/checkpoint: HTTP 302 to a malformed URL or one of an unknown scheme:"
        + " gopher://127.0.0.1/checkpoint", e.getMessage());
  }

  @Test
  void closedPortCannotConnect() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    HttpLogSource source = new HttpLogSource(URI.create("http://127.0.0.1:" + port + "/log"), Duration.ofSeconds(5));
    FetchException e = assertThrows(FetchException.class, source::checkpoint);
    assertEquals("GET http://127.0.0.1:" + port + "/log/checkpoint: cannot connect", e.getMessage());
  }

  private static HttpLogSource source(int timeoutSeconds) {
    return new HttpLogSource(URI.create(server.logUrl()), Duration.ofSeconds(timeoutSeconds));
  }
}
