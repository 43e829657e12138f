package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * WsTestClient is a graphql-transport-ws client for tests: a real Vert.x WebSocket, whose received messages
 * and close are queued for the test thread. The client's handlers are set before it connects, so nothing
 * the server says is missed.
 */
final class WsTestClient implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(30);

  /** How the server closed the socket. */
  record Close(short code, String reason) {}

  private final WebSocketClient client;
  private final ClientWebSocket socket;
  final BlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
  final CompletableFuture<Close> closed = new CompletableFuture<>();

  private WsTestClient(WebSocketClient client, ClientWebSocket socket) {
    this.client = client;
    this.socket = socket;
  }

  /** Options for {@code /graphql} on the test server, offering graphql-transport-ws and sending no Origin. */
  static WebSocketConnectOptions options(TestServer server) {
    return options(server.server.port());
  }

  /** Options for {@code /graphql} on the server listening on {@code port}. */
  static WebSocketConnectOptions options(int port) {
    return new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/graphql")
        .addSubProtocol("graphql-transport-ws").setAllowOriginHeader(false);
  }

  /** Connects with the given options; the future fails when the server refuses the upgrade. */
  static Future<WsTestClient> connect(Vertx vertx, WebSocketConnectOptions options) {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(1 << 20));
    ClientWebSocket socket = client.webSocket();
    WsTestClient test = new WsTestClient(client, socket);
    socket.textMessageHandler(text -> test.messages.add(new JsonObject(text)));
    socket.closeHandler(ignored -> test.closed.complete(new Close(socket.closeStatusCode(), socket.closeReason())));
    return socket.connect(options).map(connected -> test).onFailure(failure -> client.close());
  }

  /** Connects, sends connection_init and waits for connection_ack. */
  static WsTestClient ready(Vertx vertx, TestServer server) throws Exception {
    WsTestClient client = connect(vertx, options(server)).await(WAIT.toSeconds(), TimeUnit.SECONDS);
    client.send(new JsonObject().put("type", "connection_init"));
    assertEquals("connection_ack", client.next().getString("type"));
    return client;
  }

  void send(JsonObject message) {
    socket.writeTextMessage(message.encode());
  }

  void sendText(String text) {
    socket.writeTextMessage(text);
  }

  void sendBinary(byte[] bytes) {
    socket.writeBinaryMessage(io.vertx.core.buffer.Buffer.buffer(bytes));
  }

  void subscribe(String id, String query, JsonObject variables) {
    send(new JsonObject().put("id", id).put("type", "subscribe")
        .put("payload", new JsonObject().put("query", query).put("variables", variables)));
  }

  /** The next message; fails the test after {@link #WAIT}. */
  JsonObject next() throws InterruptedException {
    JsonObject message = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (message == null) {
      throw new AssertionError("no message within " + WAIT + (closed.isDone() ? "; closed " + closed.getNow(null) : ""));
    }
    return message;
  }

  /** The next message within {@code wait}, or null. */
  JsonObject poll(Duration wait) throws InterruptedException {
    return messages.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  Close awaitClose() throws Exception {
    return closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** Stops reading: the server's writes pile up in the socket buffers, then in the server. */
  void pause() {
    socket.pause();
  }

  void resume() {
    socket.resume();
  }

  @Override
  public void close() {
    if (!closed.isDone()) {
      socket.close();
    }
    client.close();
  }
}
