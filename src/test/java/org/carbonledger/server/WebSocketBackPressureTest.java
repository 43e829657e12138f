package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.carbonledger.api.GraphQLWebSocketOptions;
import org.carbonledger.store.LogWriter.Appended;
import org.carbonledger.store.TestLedger.Note;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * WebSocketBackPressureTest holds the GraphQL WebSocket endpoint to back-pressure on every message it sends: a
 * client that sends pings (graphql-transport-ws messages or WebSocket ping frames) and never reads is no longer
 * read once the server's writes to it are full, so its answers cannot pile up in the server; it is read again, and
 * answered in full, once it reads. Subscriptions catching up for a client that does not read hold about a page of
 * entries each, not the log. A client that takes nothing for the write-stall timeout is closed with 4504, and its
 * TCP connection dropped if it does not take that either. Real server, real sockets, real PostgreSQL.
 */
class WebSocketBackPressureTest {

  /** As much as a client tries to send without reading: far more than any socket buffers hold. */
  private static final long FLOOD_BYTES = 128L << 20;
  /**
   * What a client may write to a server that has stopped reading: the kernel's buffers on both ends of a loopback
   * connection (a 4 MiB send buffer, a receive buffer that grows only while the server reads) and what the server
   * read before its writes filled, with room to spare. Without back-pressure the server reads all of FLOOD_BYTES.
   */
  private static final long WRITTEN_UNREAD_MAX = 32L << 20;
  /** No progress for this long: the server has stopped reading. */
  private static final Duration STALLED = Duration.ofSeconds(2);
  private static final String INIT = "{\"type\":\"connection_init\"}";
  /** The entries a catch-up reads at once (FeedSubscription.PAGE_MAX): what a follower may hold that its client has not taken. */
  private static final long PAGE_ENTRIES = 100;

  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start("--metrics", "true");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static RawWebSocket acknowledged(int port) throws Exception {
    RawWebSocket socket = RawWebSocket.open(port);
    socket.writeFully(RawWebSocket.text(INIT));
    RawWebSocket.Frame ack = socket.next(WsTestClient.WAIT);
    assertNotNull(ack, "no connection_ack");
    assertEquals("connection_ack", new JsonObject(ack.text()).getString("type"));
    return socket;
  }

  private static String bigPing() {
    return new JsonObject().put("type", "ping").put("payload", new JsonObject().put("x", "a".repeat(60_000))).encode();
  }

  @Test
  void pingMessagesFromAClientThatDoesNotReadStopBeingReadUntilItReads() throws Exception {
    try (RawWebSocket socket = acknowledged(server.server.port())) {
      long written = socket.writeWithoutReading(RawWebSocket.text(bigPing()), FLOOD_BYTES, STALLED);
      assertTrue(written < WRITTEN_UNREAD_MAX, "the server kept reading a client that reads nothing: " + written + " bytes");

      // Reading again, the client gets a pong for every ping it sent: the server read on once it could write.
      for (long i = 0; i < socket.framesStarted(); i++) {
        RawWebSocket.Frame pong = socket.next(WsTestClient.WAIT);
        assertNotNull(pong, "pong " + i + " of " + socket.framesStarted());
        assertEquals(RawWebSocket.TEXT, pong.opcode());
        assertEquals("pong", new JsonObject(pong.text()).getString("type"));
      }
    }
  }

  @Test
  void pingFramesFromAClientThatDoesNotReadStopBeingReadUntilItReads() throws Exception {
    // Vert.x answers these itself, before any handler of ours; the connection still stops reading when they fill it.
    try (RawWebSocket socket = acknowledged(server.server.port())) {
      ByteBuffer ping = RawWebSocket.frame(RawWebSocket.PING, "p".repeat(125).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      long written = socket.writeWithoutReading(ping, FLOOD_BYTES / 2, STALLED);
      assertTrue(written < WRITTEN_UNREAD_MAX, "the server kept reading a client that reads nothing: " + written + " bytes");

      for (long i = 0; i < socket.framesStarted(); i++) {
        RawWebSocket.Frame pong = socket.next(WsTestClient.WAIT);
        assertNotNull(pong, "pong " + i + " of " + socket.framesStarted());
        assertEquals(RawWebSocket.PONG, pong.opcode());
      }
    }
  }

  @Test
  void subscriptionsCatchingUpForAClientThatDoesNotReadHoldAboutAPageEach() throws Exception {
    List<Future<Appended>> appends = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      appends.add(server.server.ledger().writer().append(new Note("catch-up " + i)));
    }
    Future.all(appends).await(60, TimeUnit.SECONDS);
    String subscribe = "subscription { entries(afterSeq: -1) { seq type time leafHash prevHash canonicalJson data } }";
    List<RawWebSocket> sockets = new ArrayList<>();
    try {
      for (int s = 0; s < 2; s++) {
        RawWebSocket socket = acknowledged(server.server.port());
        sockets.add(socket);
        for (int i = 0; i < 50; i++) {
          socket.writeFully(RawWebSocket.text(new JsonObject().put("id", "s" + i).put("type", "subscribe")
              .put("payload", new JsonObject().put("query", subscribe)).encode()));
        }
        // Read until every subscription has sent an entry, so that each has started before the client stops
        // reading (a server that cannot write to a client reads none of its later messages).
        java.util.Set<String> started = new java.util.HashSet<>();
        while (started.size() < 50) {
          RawWebSocket.Frame frame = socket.next(WsTestClient.WAIT);
          assertNotNull(frame, "subscriptions started: " + started.size());
          JsonObject message = new JsonObject(frame.text());
          assertEquals("next", message.getString("type"), message.encode());
          started.add(message.getString("id"));
        }
      }
      SubscriptionsTest.waitForFollowers(server, 100);
      // Each reads a page at once; on demand none reads further, while reading ahead each would take in the log.
      long bound = 100L * PAGE_ENTRIES;
      long deadline = System.nanoTime() + WsTestClient.WAIT.toNanos();
      while (metric("carbonledger_feed_entries_waiting") < bound / 2) {
        assertTrue(System.nanoTime() < deadline, "the subscriptions never read their first pages");
        Thread.sleep(20);
      }
      long watchUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      while (System.nanoTime() < watchUntil) {
        long waiting = metric("carbonledger_feed_entries_waiting");
        assertTrue(waiting <= bound, waiting + " entries held for 100 subscriptions whose client reads nothing");
        Thread.sleep(20);
      }
    } finally {
      for (RawWebSocket socket : sockets) {
        socket.close();
      }
    }
    SubscriptionsTest.waitForFollowers(server, 0);
    assertEquals(0, metric("carbonledger_feed_entries_waiting"), "nothing held once the clients are gone");
  }

  private static long metric(String name) throws Exception {
    String text = server.send(server.request("/metrics").GET()).body();
    return text.lines().filter(line -> line.startsWith(name + " ")).findFirst()
        .map(line -> Long.parseLong(line.substring(name.length() + 1).trim()))
        .orElseThrow(() -> new AssertionError(name + " not in /metrics"));
  }

  @Test
  void aClientThatTakesNothingIsClosedWith4504AndDroppedIfItTakesNothingStill() throws Exception {
    long stallMillis = 1_000;
    Vertx clients = Vertx.vertx();
    try (TestServer stalling = TestServer.start(GraphQLWebSocketOptions.DEFAULT.withWriteStallTimeoutMillis(stallMillis))) {
      // A client that stops reading, and reads again once the server has given up on it, gets the close code.
      try (WsTestClient client = WsTestClient.ready(clients, stalling)) {
        client.subscribe("live", "subscription { entries { seq } }", null);
        SubscriptionsTest.waitForFollowers(stalling, 1);
        client.pause();
        // 40 MB of pongs, more than the kernel can buffer for a client that reads nothing (a send buffer of up to
        // 4 MiB, and a receive buffer that may have grown to 32 MiB): 200 pings were not always enough in a full run.
        for (int i = 0; i < 700; i++) {
          client.sendText(bigPing());
        }
        // Closing ends the connection's subscriptions at once, before the close frame can reach a client that does not read.
        SubscriptionsTest.waitForFollowers(stalling, 0);
        client.resume();
        WsTestClient.Close close = client.awaitClose();
        assertEquals(4504, close.code(), close.toString());
        assertTrue(close.reason().startsWith("Client not reading: nothing taken for 1000 ms"), close.reason());
      }

      // One that never reads does not hold its connection: it is dropped, and the first read finds it reset.
      try (RawWebSocket socket = acknowledged(stalling.server.port())) {
        socket.writeWithoutReading(RawWebSocket.text(bigPing()), FLOOD_BYTES, Duration.ofMillis(stallMillis / 2));
        Thread.sleep(3 * stallMillis + 500);
        assertThrows(IOException.class, () -> socket.next(Duration.ofSeconds(5)),
            "the connection is still open after the write-stall timeout twice over");
      }
    } finally {
      clients.close().await(30, TimeUnit.SECONDS);
    }
  }
}
