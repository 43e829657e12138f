package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HttpMethodsTest asks every resource that is only read with each method over real HTTP: HEAD is answered as GET
 * is, with the same status and headers and no body (RFC 9110; load balancers check health with HEAD), whether GET
 * answers 200 or refuses; any other method is 405 with {@code Allow: GET, HEAD} and a JSON error, not the 404 of a
 * resource that does not exist, which a path that does not exist still is.
 */
class HttpMethodsTest {

  private static final String ACCOUNT = "A00000001L";

  private static TestServer server;
  private static List<String> resources;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start("--metrics", "true");
    String checkpoint = server.send(server.request("/log/checkpoint")).body();
    long size = Long.parseLong(checkpoint.split("\n")[1]);
    String partial = size < 256 ? ".p/" + size : "";
    resources = List.of("/health/live", "/health/ready", "/metrics", "/log/checkpoint", "/log/key",
        "/log/tile/0/000" + partial, "/log/tile/entries/000" + partial,
        // Refused by GET, so by HEAD too: no key, and a path no tile has.
        "/accounts/" + ACCOUNT + "/statement.json?fromSeq=0", "/accounts/" + ACCOUNT + "/statement.csv?fromSeq=0",
        "/log/tile/0/999",
        // A feed that follows: GET holds it open, HEAD answers at once and holds nothing.
        "/accounts/" + ACCOUNT + "/feed.ndjson?afterSeq=-1");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> send(String method, String path) throws Exception {
    return server.send(server.request(path).method(method, HttpRequest.BodyPublishers.noBody()));
  }

  @Test
  void headIsAnsweredAsGetWithoutTheBody() throws Exception {
    for (String path : resources) {
      HttpResponse<String> head = send("HEAD", path);
      assertEquals("", head.body(), path);
      if (path.contains("/feed.ndjson")) {
        assertEquals(200, head.statusCode(), path);
        assertEquals("application/x-ndjson; charset=utf-8", head.headers().firstValue("Content-Type").orElse(""), path);
        continue; // its GET would follow for ever
      }
      HttpResponse<String> get = send("GET", path);
      assertEquals(get.statusCode(), head.statusCode(), path);
      for (String header : List.of("Content-Type", "Cache-Control", "WWW-Authenticate")) {
        assertEquals(get.headers().firstValue(header), head.headers().firstValue(header), path + " " + header);
      }
    }
    assertEquals(0, server.server.ledger().feed().followerCount(), "a HEAD of a feed follows nothing");
  }

  /**
   * A HEAD of a feed that would follow for ever is answered and ended: the connection then answers the next
   * request. (Sent over a raw socket, so that both requests surely share one connection.)
   */
  @Test
  void aHeadOfAFeedEndsAndItsConnectionAnswersTheNextRequest() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.server.port())) {
      socket.setSoTimeout(10_000); // a response that never ends fails the read
      socket.getOutputStream().write(("HEAD /accounts/" + ACCOUNT + "/feed.ndjson?afterSeq=-1 HTTP/1.1\r\nHost: test\r\n\r\n"
          + "GET /health/live HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String answers = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertTrue(answers.startsWith("HTTP/1.1 200 OK\r\n"), answers);
      assertTrue(answers.contains("application/x-ndjson"), answers);
      assertTrue(answers.endsWith("\r\n\r\n{\"status\":\"UP\"}"), answers);
    }
  }

  @Test
  void otherMethodsAre405WithAllow() throws Exception {
    for (String path : resources) {
      for (String method : List.of("PUT", "DELETE", "POST", "PATCH")) {
        HttpResponse<String> response = send(method, path);
        String what = method + " " + path + ": " + response.body();
        assertEquals(405, response.statusCode(), what);
        assertEquals("GET, HEAD", response.headers().firstValue("Allow").orElse(""), what);
        assertEquals("BAD_REQUEST", new JsonObject(response.body()).getJsonArray("errors").getJsonObject(0)
            .getJsonObject("extensions").getString("code"), what);
      }
    }
  }

  @Test
  void aPathThatIsNoResourceIsStill404() throws Exception {
    for (String method : List.of("GET", "HEAD", "PUT")) {
      assertEquals(404, send(method, "/health/nowhere").statusCode(), method);
      assertEquals(404, send(method, "/log/nowhere").statusCode(), method);
    }
  }
}
