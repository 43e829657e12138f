package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ClientLimitsTest holds one client address to its share of what the server keeps open and to its rate limit: at
 * most --ws-connections-per-address-max GraphQL WebSocket connections (the next upgrade is 429), at most
 * --feeds-per-address-max account feeds (the next is 429 TOO_MANY_FEEDS), and every subscribe charged against the
 * address's rate limit, shared with its HTTP requests (an error RATE_LIMITED for that id), and so is every request
 * to /log (429). The server trusts the loopback as its proxy, so each test is its own client by X-Forwarded-For, as
 * clients behind a load balancer are.
 */
class ClientLimitsTest {

  private static final String ACCOUNT = "A00000001L";

  private static TestServer server;
  private static Vertx clients;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start("--trusted-proxies", "127.0.0.1", "--ws-connections-per-address-max", "2",
        "--feeds-per-address-max", "2", "--rate-limit", "1", "--rate-limit-burst", "5");
    clients = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    clients.close().await(30, TimeUnit.SECONDS);
    server.close();
  }

  private static WebSocketConnectOptions from(String client) {
    return WsTestClient.options(server).putHeader("X-Forwarded-For", client);
  }

  @Test
  void oneAddressHoldsAtMostItsWebSocketConnectionsAndAnotherIsNotHeldBack() throws Exception {
    String client = "198.51.100.1";
    WsTestClient first = WsTestClient.connect(clients, from(client)).await(30, TimeUnit.SECONDS);
    try (WsTestClient second = WsTestClient.connect(clients, from(client)).await(30, TimeUnit.SECONDS)) {
      UpgradeRejectedException refused = assertThrows(UpgradeRejectedException.class,
          () -> WsTestClient.connect(clients, from(client)).await(30, TimeUnit.SECONDS));
      assertEquals(429, refused.getStatus());

      // The limit is the address's: another client is let in, and a closed connection frees its slot.
      WsTestClient.connect(clients, from("198.51.100.2")).await(30, TimeUnit.SECONDS).close();
      first.close();
      long deadline = System.nanoTime() + WsTestClient.WAIT.toNanos();
      while (true) {
        try {
          WsTestClient.connect(clients, from(client)).await(30, TimeUnit.SECONDS).close();
          break;
        } catch (UpgradeRejectedException stillHeld) {
          assertEquals(429, stillHeld.getStatus());
          assertTrue(System.nanoTime() < deadline, "the closed connection's slot was never freed");
          Thread.sleep(20);
        }
      }
    }
  }

  @Test
  void everySubscribeIsChargedToTheAddressRateLimitSharedWithItsHttpRequests() throws Exception {
    String client = "198.51.100.3";
    try (WsTestClient socket = WsTestClient.connect(clients, from(client)).await(30, TimeUnit.SECONDS)) {
      socket.send(new JsonObject().put("type", "connection_init"));
      assertEquals("connection_ack", socket.next().getString("type"));
      for (int i = 1; i <= 6; i++) {
        socket.subscribe(Integer.toString(i), "subscription { entries { seq } }", null);
      }
      // The burst is five: the sixth is refused by id, and the connection and the five others go on.
      JsonObject refused = socket.next();
      assertEquals("6", refused.getString("id"), refused.encode());
      assertEquals("error", refused.getString("type"), refused.encode());
      JsonObject extensions = refused.getJsonArray("payload").getJsonObject(0).getJsonObject("extensions");
      assertEquals("RATE_LIMITED", extensions.getString("code"), refused.encode());
      assertTrue(extensions.getLong("retryAfterSeconds") >= 1, refused.encode());
      socket.send(new JsonObject().put("type", "ping"));
      assertEquals("pong", socket.next().getString("type"));
      SubscriptionsTest.waitForFollowers(server, 5);

      HttpResponse<String> http = server.send(server.request("/graphql").header("Content-Type", "application/json")
          .header("X-Forwarded-For", client).POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ serverVersion }\"}")));
      assertEquals(429, http.statusCode(), "the subscribes spent the address's budget: " + http.body());
      assertEquals("RATE_LIMITED", new JsonObject(http.body()).getJsonArray("errors").getJsonObject(0)
          .getJsonObject("extensions").getString("code"));
    }
    SubscriptionsTest.waitForFollowers(server, 0);
  }

  @Test
  void oneAddressHoldsAtMostItsFeedsAndAnotherIsNotHeldBack() throws Exception {
    String client = "198.51.100.4";
    List<InputStream> open = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        HttpResponse<InputStream> feed = openFeed(client);
        assertEquals(200, feed.statusCode());
        open.add(feed.body());
      }
      SubscriptionsTest.waitForFollowers(server, 2);
      HttpResponse<InputStream> refused = openFeed(client);
      if (refused.statusCode() == 200) {
        refused.body().close(); // a feed that follows never ends: reading it would wait for ever
      }
      assertEquals(429, refused.statusCode(), "a third feed from one address");
      String body = new String(refused.body().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals("TOO_MANY_FEEDS", new JsonObject(body).getJsonArray("errors").getJsonObject(0)
          .getJsonObject("extensions").getString("code"));
      assertTrue(refused.headers().firstValue("Retry-After").isPresent());

      HttpResponse<InputStream> other = openFeed("198.51.100.5");
      assertEquals(200, other.statusCode(), "another client is not held back");
      other.body().close();

      // A closed feed frees its slot.
      open.remove(0).close();
      SubscriptionsTest.waitForFollowers(server, 1);
      HttpResponse<InputStream> again = openFeed(client);
      assertEquals(200, again.statusCode());
      open.add(again.body());
    } finally {
      for (InputStream feed : open) {
        feed.close();
      }
    }
    SubscriptionsTest.waitForFollowers(server, 0);
  }

  /**
   * /log is public and read without a key, and each request reads the database: every one is charged to its client
   * address (here, a burst of 5 at 1 a second), a tile or entry bundle a sixteenth of the others. A request without a
   * token is refused with 429 RATE_LIMITED and the wait, and the address's other requests share the budget.
   */
  @Test
  void logRequestsAreChargedToTheAddressRateLimitTilesASixteenthEach() throws Exception {
    HttpResponse<String> checkpoint = fromClient("198.51.100.6", "/log/checkpoint");
    assertEquals(200, checkpoint.statusCode(), checkpoint.body());
    long size = Long.parseLong(checkpoint.body().split("\n")[1]);
    String tile = "/log/tile/0/000" + (size < 256 ? ".p/" + size : "");

    // The first checkpoint read took one of the five: four more pass, then 429 (a slow machine may refill a token
    // or two meanwhile).
    int checkpoints = 1 + passedBeforeLimit("198.51.100.6", "/log/checkpoint", 10);
    assertTrue(checkpoints >= 5 && checkpoints <= 7, "checkpoints passed: " + checkpoints);
    // A checkpoint reached through a path that names a tile first costs a checkpoint: the cost is the route's, by the
    // path as the router matched it, not by how it was spelled.
    int disguised = passedBeforeLimit("198.51.100.8", "/log/tile/../checkpoint", 40);
    assertTrue(disguised >= 5 && disguised <= 7, "checkpoints through /log/tile/../ passed: " + disguised);
    // A burst of 5 is 80 tiles (and the refill, 16 a second, while they are sent).
    int tiles = passedBeforeLimit("198.51.100.7", tile, 200);
    assertTrue(tiles >= 80 && tiles <= 140, "tiles passed: " + tiles);

    HttpResponse<String> limited = fromClient("198.51.100.7", "/log/key");
    assertEquals(429, limited.statusCode(), "the tiles spent the budget of the address's other requests: " + limited.body());
    assertEquals("RATE_LIMITED", new JsonObject(limited.body()).getJsonArray("errors").getJsonObject(0)
        .getJsonObject("extensions").getString("code"));
    assertTrue(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow()) >= 1);
    HttpResponse<String> graphql = server.send(server.request("/graphql").header("Content-Type", "application/json")
        .header("X-Forwarded-For", "198.51.100.7").POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ serverVersion }\"}")));
    assertEquals(429, graphql.statusCode(), graphql.body());
    assertEquals(200, fromClient("198.51.100.8", tile).statusCode(), "another client is not held back");
  }

  private static HttpResponse<String> fromClient(String client, String path) throws Exception {
    return server.send(server.request(path).header("X-Forwarded-For", client));
  }

  /** GETs path for client until it is refused with 429; returns how many passed with 200 before (at most max). */
  private static int passedBeforeLimit(String client, String path, int max) throws Exception {
    for (int passed = 0; passed < max; passed++) {
      HttpResponse<String> response = fromClient(client, path);
      if (response.statusCode() == 429) {
        return passed;
      }
      assertEquals(200, response.statusCode(), path + ": " + response.body());
    }
    return max;
  }

  private static HttpResponse<InputStream> openFeed(String client) throws Exception {
    return server.http.send(server.request("/accounts/" + ACCOUNT + "/feed.ndjson?afterSeq=-1")
        .header("X-Forwarded-For", client).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofInputStream());
  }
}
