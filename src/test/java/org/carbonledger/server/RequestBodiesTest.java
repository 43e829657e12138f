package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * RequestBodiesTest sends request bodies slowly over raw sockets, as a client that wants the server's memory would:
 * past a client address's share of the body budget its next body is refused with 429, past the server's budget
 * with 503, both at once and without reading the body, while the server goes on answering; bodies that complete,
 * and bodies whose client leaves midway, give their bytes back; and a body that does not arrive within the deadline
 * has its connection closed. Bodies here declare 64 KiB in a budget of 1 MiB: an address's share (an eighth) holds
 * two. Each body asks {@code Expect: 100-continue}, so that the server's "100 Continue" says it took the body; the
 * server trusts the loopback as its proxy, so each client is its own by X-Forwarded-For.
 */
class RequestBodiesTest {

  private static final int BODY = 64 * 1024;

  private static TestServer start(String timeoutSeconds) throws Exception {
    return TestServer.start("--trusted-proxies", "127.0.0.1", "--http-body-bytes-max", Integer.toString(BODY),
        "--http-body-budget-bytes", Integer.toString(16 * BODY), "--http-body-timeout-seconds", timeoutSeconds,
        "--rate-limit-burst", "1000");
  }

  @Test
  void slowBodiesAreRefusedPastTheAddressShareAndTheBudgetWhileTheServerAnswers() throws Exception {
    List<Socket> held = new ArrayList<>();
    try (TestServer server = start("60")) {
      held.add(taken(server, "198.51.100.1"));
      held.add(taken(server, "198.51.100.1"));
      Response overShare = refused(server, "198.51.100.1");
      assertEquals(429, overShare.status, overShare.toString());
      assertEquals("RATE_LIMITED", overShare.code(), overShare.toString());
      assertEquals("2", overShare.headers.get("retry-after"), overShare.toString());
      // The body was not read: the connection closes after the answer, so a client that has not sent it does not.
      assertEquals("close", overShare.headers.get("connection"), overShare.toString());

      // The share is the address's: another client's requests go through.
      assertEquals(200, query(server, "198.51.100.2").statusCode());

      for (int client = 2; client <= 8; client++) {
        held.add(taken(server, "198.51.100." + client));
        held.add(taken(server, "198.51.100." + client));
      }
      // Sixteen bodies of 64 KiB hold the whole budget: a body from anyone is refused, nothing read of it.
      Response overBudget = refused(server, "198.51.100.9");
      assertEquals(503, overBudget.status, overBudget.toString());
      assertEquals("UNAVAILABLE", overBudget.code(), overBudget.toString());
      assertEquals("2", overBudget.headers.get("retry-after"), overBudget.toString());
      assertEquals("close", overBudget.headers.get("connection"), overBudget.toString());
      assertEquals(503, query(server, "198.51.100.9").statusCode(), "a small body needs room too");

      // Requests without a body still get answers.
      assertEquals(200, server.send(server.request("/health/live").GET()).statusCode());
      assertEquals(200, server.send(server.request("/graphql?query=%7BserverVersion%7D").header("X-Forwarded-For", "198.51.100.9")
          .GET()).statusCode());

      // A client that leaves gives its bytes back: the next body is taken.
      held.remove(0).close();
      held.add(takenOnceFreed(server, "198.51.100.9"));
    } finally {
      for (Socket socket : held) {
        socket.close();
      }
    }
  }

  @Test
  void completedAndAbandonedBodiesGiveTheirBytesBack() throws Exception {
    List<LogRecord> severe = new CopyOnWriteArrayList<>();
    Handler recorder = new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
          severe.add(record);
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger.getLogger("").addHandler(recorder);
    try (TestServer server = start("60")) {
      // Each would hold half the address's share, and half the budget in all, were it not given back.
      String padding = "x".repeat(BODY - 100);
      for (int i = 0; i < 10; i++) {
        HttpResponse<String> answered = server.send(server.request("/graphql").header("Content-Type", "application/json")
            .header("X-Forwarded-For", "198.51.100.20").POST(HttpRequest.BodyPublishers.ofString(
                new JsonObject().put("query", "{ serverVersion }").put("variables", new JsonObject().put("pad", padding)).encode())));
        assertEquals(200, answered.statusCode(), answered.body());
      }
      // Clients that leave midway, with a FIN or a reset.
      for (int i = 0; i < 10; i++) {
        Socket socket = takenOnceFreed(server, "198.51.100.21");
        if (i % 2 == 1) {
          socket.setSoLinger(true, 0);
        }
        socket.close();
      }
      takenOnceFreed(server, "198.51.100.21").close();
      takenOnceFreed(server, "198.51.100.21").close();
    } finally {
      Logger.getLogger("").removeHandler(recorder);
    }
    assertEquals(List.of(), severe.stream().map(record -> record.getLoggerName() + ": " + record.getMessage()
        + (record.getThrown() == null ? "" : " " + record.getThrown())).toList(), "a client that leaves is no fault of ours");
  }

  @Test
  void aBodyThatDoesNotArriveInTimeHasItsConnectionClosed() throws Exception {
    try (TestServer server = start("1")) {
      String client = "198.51.100.30";
      try (Socket first = taken(server, client); Socket second = taken(server, client); Socket third = connect(server, client, BODY)) {
        Response overShare = response(third);
        assertEquals(429, overShare.status, overShare.toString());
        // A byte every 100 ms would keep the idle timeout away for ever; each is closed at its deadline, the
        // refused one too.
        long started = System.nanoTime();
        for (Socket socket : List.of(first, second, third)) {
          assertClosedWhileSending(socket);
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000;
        assertTrue(seconds < 10, "closed after " + seconds + " s");
      }
      // The closed bodies gave their bytes back.
      takenOnceFreed(server, client).close();
      taken(server, client).close();
    }
  }

  @Test
  void theBudgetIsAnEighthOfTheHeapByDefaultAndMustGiveAnAddressTheLargestBody() {
    ServerConfig defaults = ServerConfig.from(new Options(ServerConfig.OPTIONS, Map.of()).parse(List.of()));
    assertEquals(Math.max(Runtime.getRuntime().maxMemory() / 8, 8L << 20), defaults.requestBodyBudgetBytes());
    assertEquals(Duration.ofSeconds(30), defaults.requestBodyTimeout());
    ServerConfig set = ServerConfig.from(new Options(ServerConfig.OPTIONS, Map.of("CARBONLEDGER_HTTP_BODY_BUDGET_BYTES", "800000"))
        .parse(List.of("--http-body-bytes-max", "100000")));
    assertEquals(800_000, set.requestBodyBudgetBytes());
    ConfigException tooSmall = assertThrows(ConfigException.class, () -> ServerConfig.from(
        new Options(ServerConfig.OPTIONS, Map.of()).parse(List.of("--http-body-budget-bytes", "799999", "--http-body-bytes-max", "100000"))));
    assertTrue(tooSmall.getMessage().contains("--http-body-budget-bytes must be at least 800000"), tooSmall.getMessage());
  }

  /** Sends a byte at a time until the server closes the connection; fails if it has not after 10 s. */
  private static void assertClosedWhileSending(Socket socket) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    socket.setSoTimeout(100);
    InputStream in = socket.getInputStream();
    OutputStream out = socket.getOutputStream();
    while (System.nanoTime() < deadline) {
      try {
        out.write('x');
        out.flush();
        if (in.read() == -1) {
          return;
        }
        // Another response after the refusal's would be a surprise; read on until the end.
      } catch (SocketTimeoutException stillOpen) {
        continue;
      } catch (SocketException closed) {
        return;
      }
    }
    throw new AssertionError("the server kept the connection past the deadline");
  }

  /** A body of 64 KiB from {@code client} that the server took, with its first KiB sent, held open. */
  private static Socket taken(TestServer server, String client) throws IOException {
    Socket socket = connect(server, client, BODY);
    Response answer = response(socket);
    if (answer.status != 100) {
      socket.close();
      throw new AssertionError("the body was not taken: " + answer);
    }
    socket.getOutputStream().write(new byte[1024]);
    socket.getOutputStream().flush();
    return socket;
  }

  /** Like {@link #taken}, waiting up to 10 s for bytes given back by a connection the server has yet to see closed. */
  private static Socket takenOnceFreed(TestServer server, String client) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      Socket socket = connect(server, client, BODY);
      Response answer = response(socket);
      if (answer.status == 100) {
        socket.getOutputStream().write(new byte[1024]);
        socket.getOutputStream().flush();
        return socket;
      }
      socket.close();
      assertTrue(answer.status == 429 || answer.status == 503, answer.toString());
      assertTrue(System.nanoTime() < deadline, "the bytes were never given back: " + answer);
      Thread.sleep(50);
    }
  }

  /** A body the server refused at once. */
  private static Response refused(TestServer server, String client) throws IOException {
    try (Socket socket = connect(server, client, BODY)) {
      return response(socket);
    }
  }

  /** A socket that has sent the head of a POST /graphql whose body is {@code length} bytes, and no body yet. */
  private static Socket connect(TestServer server, String client, int length) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", server.server.port()), 5_000);
    socket.setSoTimeout(10_000);
    String head = "POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-Forwarded-For: " + client
        + "\r\nContent-Length: " + length + "\r\nExpect: 100-continue\r\n\r\n";
    socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    return socket;
  }

  private static HttpResponse<String> query(TestServer server, String client) throws Exception {
    return server.send(server.request("/graphql").header("Content-Type", "application/json").header("X-Forwarded-For", client)
        .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ serverVersion }\"}")));
  }

  /** Response is what came back on a raw socket: the status, the headers (by lower-case name) and the body. */
  private record Response(int status, Map<String, String> headers, String body) {
    String code() {
      return new JsonObject(body).getJsonArray("errors").getJsonObject(0).getJsonObject("extensions").getString("code");
    }
  }

  /** Reads the next response's head, and its body by Content-Length (a 100 Continue has none). */
  private static Response response(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    String statusLine = line(in);
    Map<String, String> headers = new TreeMap<>();
    for (String header = line(in); !header.isEmpty(); header = line(in)) {
      int colon = header.indexOf(':');
      headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
    }
    byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
    return new Response(Integer.parseInt(statusLine.split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b == -1) {
        throw new IOException("the connection closed mid-response: " + line);
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }
}
