package org.carbonledger.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * TrustedProxiesTest sends real HTTP requests from 127.0.0.1 with X-Forwarded-For headers to a server that
 * answers the client address TrustedProxies finds: the header counts only from a trusted peer, only from its
 * right end, and only as far as trusted proxies wrote it.
 */
class TrustedProxiesTest {

  private static Vertx vertx;
  private static HttpServer server;
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(request -> {
      String trusted = request.getParam("trusted");
      request.response().end(TrustedProxies.parse(trusted).clientAddress(request));
    }).listen(0, "127.0.0.1").await();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private static String clientAddress(String trusted, String... forwardedFor) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort()
        + "/?trusted=" + URLEncoder.encode(trusted, StandardCharsets.UTF_8)));
    for (String header : forwardedFor) {
      request.header("X-Forwarded-For", header);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {
      "nothing trusted: the header is ignored       | ''                          | 203.0.113.9              | 127.0.0.1",
      "the peer is not trusted: ignored             | 10.0.0.0/8                  | 203.0.113.9              | 127.0.0.1",
      "behind a trusted proxy                       | 127.0.0.1                   | 203.0.113.9              | 203.0.113.9",
      "a client's own header is not believed        | 127.0.0.1                   | 198.51.100.1, 203.0.113.9 | 203.0.113.9",
      "through two trusted proxies                  | 127.0.0.0/8, 10.0.0.0/8     | 203.0.113.9, 10.1.2.3    | 203.0.113.9",
      "every hop trusted: the leftmost              | 127.0.0.1, 10.0.0.0/8       | 10.0.0.5                 | 10.0.0.5",
      "garbage written by the client is ignored     | 127.0.0.1                   | evil, 203.0.113.9        | 203.0.113.9",
      "garbage at the right end: the last we trust  | 127.0.0.1                   | 203.0.113.9, not-an-ip   | 127.0.0.1",
      "no header behind a trusted proxy             | 127.0.0.1                   |                          | 127.0.0.1",
      "IPv6 inside a trusted block                  | 127.0.0.1, 2001:db8::/32    | 2001:db9::5, 2001:db8::1 | 2001:db9::5",
      "a prefix that is not whole bytes             | 127.0.0.1, 10.0.0.0/9       | 203.0.113.9, 10.127.0.1  | 203.0.113.9",
      "just outside a prefix that is not whole bytes | 127.0.0.1, 10.0.0.0/9      | 203.0.113.9, 10.128.0.1  | 10.128.0.1",
      "hops written with their ports                | 127.0.0.1, 10.0.0.0/8       | 203.0.113.9:5678, 10.0.0.2:443 | 203.0.113.9",
      "an IPv6 hop in brackets with a port          | 127.0.0.1                   | [2001:db8::7]:5678       | 2001:db8::7",
  })
  void findsTheClientBehindTrustedProxies(String name, String trusted, String forwardedFor, String expected) throws Exception {
    String[] headers = forwardedFor == null ? new String[0] : new String[] {forwardedFor};
    assertEquals(expected, clientAddress(trusted, headers));
  }

  @org.junit.jupiter.api.Test
  void severalHeaderLinesReadAsOneList() throws Exception {
    assertEquals("203.0.113.9", clientAddress("127.0.0.1, 10.0.0.0/8", "198.51.100.1, 203.0.113.9", "10.0.0.7"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "example.org            | 'example.org' is not an IP address or CIDR block",
      "10.0.0.0/33            | '10.0.0.0/33' has a prefix length that is not 0 to 32",
      "10.0.0.1/x             | '10.0.0.1/x' has a prefix length that is not 0 to 32",
      "2001:db8::/129         | '2001:db8::/129' has a prefix length that is not 0 to 128",
      "10.0.0.1, 300.1.1.1    | '300.1.1.1' is not an IP address or CIDR block",
  })
  void refusesWhatIsNotAnAddressOrBlock(String list, String message) {
    assertEquals(message, assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse(list)).getMessage());
  }
}
