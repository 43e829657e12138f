package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.carbonledger.api.GraphQLWebSocketOptions;
import org.carbonledger.store.LogWriter.Appended;
import org.carbonledger.store.TestDatabases;
import org.carbonledger.store.TestLedger.Note;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SubscriptionProtocolTest holds the WebSocket endpoint to graphql-transport-ws and to its limits, on a server
 * whose limits are small: one row per protocol breach with the close code it earns; the Origin check at the
 * upgrade; the subscriptions-per-connection limit; an entry that cannot be shown, which is one error event
 * in a stream that goes on; and a subscriber that stops reading while the log grows, which is disconnected
 * with 4503 and then resumes from its last seq with nothing lost or repeated.
 */
class SubscriptionProtocolTest {

  private static final int BUFFER_MAX = 16;
  private static final String ALLOWED_ORIGIN = "https://registry.example.org";
  private static final JsonObject INIT = new JsonObject().put("type", "connection_init");
  private static final String LIVE = "subscription { entries { seq } }";

  private static TestServer server;
  private static Vertx clients;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(new GraphQLWebSocketOptions(BUFFER_MAX, 500, 3, 50,
        GraphQLWebSocketOptions.WRITE_STALL_TIMEOUT_MILLIS_DEFAULT, List.of(ALLOWED_ORIGIN)));
    clients = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    clients.close().await(30, TimeUnit.SECONDS);
    server.close();
  }

  private static JsonObject subscribe(String id, String query) {
    return new JsonObject().put("id", id).put("type", "subscribe").put("payload", new JsonObject().put("query", query));
  }

  @Test
  void eachProtocolBreachClosesWithItsCode() throws Exception {
    record Case(String name, List<Object> messages, int code, String reason) {}
    Case[] cases = {
        new Case("subscribe before connection_init", List.of(subscribe("1", LIVE)), 4401, "Unauthorized"),
        new Case("a second connection_init", List.of(INIT, INIT), 4429, "Too many initialisation requests"),
        new Case("the same id while it runs", List.of(INIT, subscribe("a", LIVE), subscribe("a", LIVE)), 4409,
            "Subscriber for a already exists"),
        new Case("not JSON", List.of("{\"type\":"), 4400, "Invalid message received: not JSON"),
        new Case("JSON but not an object", List.of("[1, 2]"), 4400, null),
        new Case("no type", List.of("{}"), 4400, null),
        new Case("an unknown type", List.of(new JsonObject().put("type", "start").put("id", "1")), 4400, null),
        new Case("next from a client", List.of(INIT, new JsonObject().put("id", "1").put("type", "next").put("payload", new JsonObject())),
            4400, "Unexpected message of type next received"),
        new Case("subscribe without an id", List.of(INIT, new JsonObject().put("type", "subscribe")
            .put("payload", new JsonObject().put("query", LIVE))), 4400, null),
        new Case("subscribe without a query", List.of(INIT, new JsonObject().put("id", "1").put("type", "subscribe")
            .put("payload", new JsonObject())), 4400, null),
        new Case("variables that are not an object", List.of(INIT, new JsonObject().put("id", "1").put("type", "subscribe")
            .put("payload", new JsonObject().put("query", LIVE).put("variables", "x"))), 4400, null),
        new Case("an id longer than 64 characters", List.of(INIT, subscribe("x".repeat(65), LIVE)), 4400, null),
        new Case("a connection_init payload that is not an object", List.of(new JsonObject().put("type", "connection_init")
            .put("payload", "key")), 4400, null),
        new Case("a binary message", List.of(new byte[] {1, 2, 3}), 4400, null),
        new Case("a message over the 256 KiB limit", List.of(INIT, subscribe("big", LIVE + "#" + "x".repeat(300_000))), 4400,
            "Invalid message received: larger than the server accepts"),
        new Case("no connection_init in time", List.of(), 4408, "Connection initialisation timeout")};
    for (Case c : cases) {
      try (WsTestClient client = WsTestClient.connect(clients, WsTestClient.options(server)).await(30, TimeUnit.SECONDS)) {
        for (Object message : c.messages()) {
          if (message instanceof JsonObject json) {
            client.send(json);
          } else if (message instanceof byte[] bytes) {
            client.sendBinary(bytes);
          } else {
            client.sendText((String) message);
          }
        }
        WsTestClient.Close close = client.awaitClose();
        assertEquals(c.code(), close.code(), c.name() + ": " + close);
        if (c.reason() != null) {
          assertEquals(c.reason(), close.reason(), c.name());
        }
      }
    }
  }

  @Test
  void withoutTheSubprotocolTheConnectionIsClosedWith4406() throws Exception {
    WebSocketConnectOptions options = WsTestClient.options(server).setSubProtocols(List.of());
    try (WsTestClient client = WsTestClient.connect(clients, options).await(30, TimeUnit.SECONDS)) {
      assertEquals(4406, client.awaitClose().code());
    }
  }

  @Test
  void pingIsAnsweredWithPongAndItsPayload() throws Exception {
    try (WsTestClient client = WsTestClient.connect(clients, WsTestClient.options(server)).await(30, TimeUnit.SECONDS)) {
      client.send(new JsonObject().put("type", "ping").put("payload", new JsonObject().put("n", 7)));
      assertEquals(new JsonObject().put("type", "pong").put("payload", new JsonObject().put("n", 7)), client.next());
      client.send(INIT);
      assertEquals("connection_ack", client.next().getString("type"));
    }
  }

  @Test
  void theUpgradeChecksOriginAndPath() throws Exception {
    record Case(String name, String path, String origin, int status) {}
    String self = "http://127.0.0.1:" + server.server.port();
    Case[] cases = {
        new Case("no Origin: not a browser", "/graphql", null, 101),
        new Case("the server's own origin", "/graphql", self, 101),
        new Case("an allowed origin", "/graphql", ALLOWED_ORIGIN, 101),
        new Case("an allowed origin, other case", "/graphql", ALLOWED_ORIGIN.toUpperCase(), 101),
        new Case("another site", "/graphql", "https://evil.example", 403),
        new Case("the server's host on another port", "/graphql", "http://127.0.0.1:1", 403),
        new Case("an opaque origin", "/graphql", "null", 403),
        new Case("another path", "/graphiql", null, 404)};
    for (Case c : cases) {
      WebSocketConnectOptions options = WsTestClient.options(server).setURI(c.path());
      if (c.origin() != null) {
        options.setAllowOriginHeader(true).putHeader("Origin", c.origin());
      }
      Future<WsTestClient> connecting = WsTestClient.connect(clients, options);
      try {
        WsTestClient client = connecting.await(30, TimeUnit.SECONDS);
        client.close();
        assertEquals(c.status(), 101, c.name() + ": accepted");
      } catch (UpgradeRejectedException rejected) {
        assertEquals(c.status(), rejected.getStatus(), c.name());
      }
    }
  }

  @Test
  void theOriginsAllowedToCallTheApiMaySubscribeToo() throws Exception {
    String ui = "https://ui.example.org";
    try (TestServer withCors = TestServer.start("--cors-origins", ui)) {
      for (String origin : List.of(ui, "https://evil.example")) {
        WebSocketConnectOptions options = WsTestClient.options(withCors).setAllowOriginHeader(true).putHeader("Origin", origin);
        try {
          WsTestClient.connect(clients, options).await(30, TimeUnit.SECONDS).close();
          assertEquals(ui, origin, origin + " was accepted");
        } catch (UpgradeRejectedException rejected) {
          assertEquals(403, rejected.getStatus(), origin);
          assertEquals("https://evil.example", origin, origin + " was refused");
        }
      }
    }
  }

  @Test
  void aConnectionRunsAtMostItsSubscriptionLimitAndCompleteFreesOne() throws Exception {
    try (WsTestClient client = WsTestClient.ready(clients, server)) {
      long start = SubscriptionsTest.lastSeq(server);
      String query = "subscription { entries(afterSeq: " + start + ") { seq } }";
      for (String id : List.of("1", "2", "3", "4")) {
        client.subscribe(id, query, null);
      }
      JsonObject refused = client.next();
      assertEquals("4", refused.getString("id"));
      assertEquals("error", refused.getString("type"));
      assertEquals("TOO_MANY_SUBSCRIPTIONS", refused.getJsonArray("payload").getJsonObject(0).getJsonObject("extensions").getString("code"));

      client.send(new JsonObject().put("id", "1").put("type", "complete"));
      client.subscribe("4", query, null);
      long seq = server.server.ledger().writer().append(new Note("limit")).await(30, TimeUnit.SECONDS).seq();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        JsonObject message = client.next();
        assertEquals(seq, message.getJsonObject("payload").getJsonObject("data").getJsonObject("entries").getLong("seq"));
        ids.add(message.getString("id"));
      }
      assertEquals(List.of("2", "3", "4"), ids.stream().sorted().toList(), "the completed one sends nothing more");
      assertNull(client.poll(Duration.ofMillis(200)));
    }
  }

  @Test
  void anEntryThatCannotBeShownIsAnErrorEventAndTheStreamGoesOn() throws Exception {
    long start = SubscriptionsTest.lastSeq(server);
    long before = server.server.ledger().writer().append(new Note("before")).await(30, TimeUnit.SECONDS).seq();
    long broken = server.server.ledger().writer().append(new Note("broken")).await(30, TimeUnit.SECONDS).seq();
    long after = server.server.ledger().writer().append(new Note("after")).await(30, TimeUnit.SECONDS).seq();
    try (Connection connection = TestDatabases.jdbc(server.database); Statement statement = connection.createStatement()) {
      statement.execute("SET session_replication_role = replica"); // triggers off: only a superuser can do this
      assertEquals(1, statement.executeUpdate("UPDATE entries SET body = convert_to('not an entry', 'UTF8') WHERE seq = " + broken));
    }
    try (WsTestClient client = WsTestClient.ready(clients, server)) {
      client.subscribe("s", "subscription($after: Long) { entries(afterSeq: $after) { seq } }", new JsonObject().put("after", start));
      assertEquals(before, client.next().getJsonObject("payload").getJsonObject("data").getJsonObject("entries").getLong("seq"));
      JsonObject failed = client.next().getJsonObject("payload");
      assertTrue(failed.getJsonObject("data").containsKey("entries"), failed.encode());
      assertNull(failed.getJsonObject("data").getValue("entries"), failed.encode());
      JsonObject extensions = failed.getJsonArray("errors").getJsonObject(0).getJsonObject("extensions");
      assertEquals("INTERNAL", extensions.getString("code"), failed.encode());
      assertEquals(broken, extensions.getLong("seq"), failed.encode());
      assertEquals(after, client.next().getJsonObject("payload").getJsonObject("data").getJsonObject("entries").getLong("seq"));
      long live = server.server.ledger().writer().append(new Note("live")).await(30, TimeUnit.SECONDS).seq();
      assertEquals(live, client.next().getJsonObject("payload").getJsonObject("data").getJsonObject("entries").getLong("seq"));
    }
  }

  @Test
  void aSubscriberThatStopsReadingIsDisconnectedAndResumesWithoutLossOrDuplicates() throws Exception {
    String query = "subscription($after: Long) { entries(afterSeq: $after) { seq canonicalJson data } }";
    long start = SubscriptionsTest.lastSeq(server);
    List<Long> seen = new ArrayList<>();
    try (WsTestClient client = WsTestClient.ready(clients, server)) {
      client.subscribe("slow", query, new JsonObject().put("after", start));
      long first = server.server.ledger().writer().append(new Note("first")).await(30, TimeUnit.SECONDS).seq();
      seen.addAll(SubscriptionsTest.seqs(SubscriptionsTest.receiveThrough(client, "slow", "entries", first)));

      // Stop reading; 2 KiB entries fill the socket buffers, then the subscription's buffer of BUFFER_MAX.
      client.pause();
      String text = "x".repeat(2048);
      int appended = 0;
      while (server.server.ledger().feed().followerCount() > 0) {
        assertTrue(appended < 30_000, "the server never gave up on a client that stopped reading");
        List<Future<Appended>> appends = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          appends.add(server.server.ledger().writer().append(new Note(text + (appended + i))));
        }
        Future.all(appends).await(60, TimeUnit.SECONDS);
        appended += appends.size();
      }
      client.resume();
      WsTestClient.Close close = client.awaitClose();
      for (JsonObject message = client.poll(Duration.ZERO); message != null; message = client.poll(Duration.ZERO)) {
        seen.add(message.getJsonObject("payload").getJsonObject("data").getJsonObject("entries").getLong("seq"));
      }
      assertEquals(4503, close.code(), close.toString());
      long last = seen.get(seen.size() - 1);
      assertEquals("Subscriber too slow: resume from seq " + last, close.reason(), "it names the last seq it sent");
      assertEquals(SubscriptionsTest.range(start + 1, last), seen);
    }

    CompletableFuture<Long> appending = SubscriptionsTest.appendInBackground(server, 600, 20, "after-slow-");
    try (WsTestClient again = WsTestClient.ready(clients, server)) {
      again.subscribe("slow", query, new JsonObject().put("after", seen.get(seen.size() - 1)));
      long last = appending.get(120, TimeUnit.SECONDS);
      seen.addAll(SubscriptionsTest.seqs(SubscriptionsTest.receiveThrough(again, "slow", "entries", last)));
      assertEquals(SubscriptionsTest.range(start + 1, last), seen);
    }
  }
}
