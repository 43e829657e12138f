package org.carbonledger.api;

import graphql.GraphQL;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.carbonledger.api.GraphQLWebSocketMessage.InvalidMessage;

/**
 * GraphQLWebSocketConnection is the server side of one graphql-transport-ws connection: connection_init within
 * the timeout, then its acknowledgement; ping and pong; subscribe and complete, each by operation id. A
 * breach of the protocol closes the connection with the protocol's code ({@link WebSocketCloseCode}); an
 * operation that fails ends with an error message for its id alone, and the others go on.
 *
 * <p>Back-pressure: every message goes out through {@link WebSocketWrites}, which counts what the client has not
 * taken yet. While that is full the connection reads nothing from the client (so a client that sends pings, or
 * WebSocket ping frames, without reading cannot make the server queue pongs for it), and operations ask for no
 * further event: events wait in each operation's bounded buffer in the feed, whose overflow closes the
 * connection with 4503. When the writes drain, reading and the operations resume; when they stay full for the
 * write-stall timeout, {@link WriteStallWatch} closes the connection with 4504. Everything runs on the socket's
 * context.
 */
final class GraphQLWebSocketConnection {

  private static final Logger LOG = Logger.getLogger(GraphQLWebSocketConnection.class.getName());
  /**
   * Bytes written to the socket and not yet passed to the network past which the connection stops reading and
   * its operations stop asking for events: Vert.x's own write-queue mark, a few dozen entries.
   */
  static final long WRITE_QUEUE_BYTES_MAX = 64 * 1024;

  private final Vertx vertx;
  private final ServerWebSocket socket;
  private final GraphQL graphQL;
  private final GraphQLWebSocketOptions options;
  private final GraphQLWebSocketHandler.ConnectionInit connectionInit;
  /** Takes one request of the client's rate limit for a subscribe: 0 when it may start, else the seconds to wait. */
  private final LongSupplier subscribeCharge;
  private final Runnable onClosed;
  private final WebSocketWrites writes;
  private final WriteStallWatch stall;

  private final Map<String, GraphQLWebSocketOperation> operations = new HashMap<>();
  private final Set<GraphQLWebSocketOperation> awaitingDrain = new LinkedHashSet<>();
  private boolean initReceived;
  private boolean acknowledged;
  private boolean closing;
  private boolean closed;
  private long initTimer;

  GraphQLWebSocketConnection(Vertx vertx, ServerWebSocket socket, GraphQL graphQL, GraphQLWebSocketOptions options,
                             GraphQLWebSocketHandler.ConnectionInit connectionInit, LongSupplier subscribeCharge,
                             Runnable onClosed) {
    this.vertx = vertx;
    this.socket = socket;
    this.graphQL = graphQL;
    this.options = options;
    this.connectionInit = connectionInit;
    this.subscribeCharge = subscribeCharge;
    this.onClosed = onClosed;
    this.writes = new WebSocketWrites(socket, WRITE_QUEUE_BYTES_MAX, this::writesFull, this::writesDrained);
    this.stall = new WriteStallWatch(vertx, socket, options.writeStallTimeoutMillis(),
        () -> close(WebSocketCloseCode.CLIENT_NOT_READING, WebSocketCloseCode.CLIENT_NOT_READING.reason + ": nothing taken for "
            + options.writeStallTimeoutMillis() + " ms; resume after the last seq received"));
  }

  void start() {
    socket.closeHandler(ignored -> closed());
    if (!GraphQLWebSocketHandler.SUBPROTOCOL.equals(socket.subProtocol())) {
      close(WebSocketCloseCode.SUBPROTOCOL_NOT_ACCEPTABLE, WebSocketCloseCode.SUBPROTOCOL_NOT_ACCEPTABLE.reason);
      return;
    }
    socket.textMessageHandler(this::received);
    socket.binaryMessageHandler(ignored ->
        close(WebSocketCloseCode.BAD_REQUEST, "Invalid message received: binary messages are not part of graphql-transport-ws"));
    socket.drainHandler(ignored -> writes.checkDrained());
    // Vert.x answers a WebSocket ping frame with a pong by itself, past WebSocketWrites: look at the queue after each.
    socket.frameHandler(frame -> {
      if (frame.type() == WebSocketFrameType.PING) {
        writes.checkFull();
      }
    });
    // A graceful server shutdown asks every connection to end; the clients reconnect elsewhere and resume.
    socket.shutdownHandler(ignored -> close(WebSocketCloseCode.GOING_AWAY, WebSocketCloseCode.GOING_AWAY.reason));
    socket.exceptionHandler(failure -> {
      // Vert.x drops a message over its size limit and reports it only here; the client would wait forever.
      if (failure instanceof IllegalStateException) {
        close(WebSocketCloseCode.BAD_REQUEST, "Invalid message received: larger than the server accepts");
      } else {
        LOG.fine("ws.socket_failed error=\"" + failure.getMessage() + "\"");
      }
    });
    initTimer = vertx.setTimer(options.connectionInitTimeoutMillis(), fired -> {
      if (!initReceived) {
        close(WebSocketCloseCode.CONNECTION_INITIALISATION_TIMEOUT, WebSocketCloseCode.CONNECTION_INITIALISATION_TIMEOUT.reason);
      }
    });
  }

  private void received(String text) {
    if (closing) {
      return;
    }
    GraphQLWebSocketMessage message;
    try {
      message = GraphQLWebSocketMessage.parse(text);
    } catch (InvalidMessage invalid) {
      close(WebSocketCloseCode.BAD_REQUEST, invalid.getMessage());
      return;
    }
    try {
      switch (message.type()) {
        case GraphQLWebSocketMessage.CONNECTION_INIT -> init(message);
        case GraphQLWebSocketMessage.PING -> send(GraphQLWebSocketMessage.pong(message.payload()));
        case GraphQLWebSocketMessage.PONG -> { } // an answer to nothing we sent, or a keep-alive: nothing to do
        case GraphQLWebSocketMessage.SUBSCRIBE -> subscribe(message);
        case GraphQLWebSocketMessage.COMPLETE -> complete(message.id());
        default -> throw new IllegalStateException("parse let through message type " + message.type());
      }
    } catch (RuntimeException e) {
      String incident = ResolverErrors.newIncidentId();
      LOG.log(Level.SEVERE, "ws.message_failed incident=" + incident + " type=" + message.type(), e);
      close(WebSocketCloseCode.INTERNAL_SERVER_ERROR, "Internal server error (incident " + incident + ")");
    }
  }

  private void init(GraphQLWebSocketMessage message) {
    if (initReceived) {
      close(WebSocketCloseCode.TOO_MANY_INITIALISATION_REQUESTS, WebSocketCloseCode.TOO_MANY_INITIALISATION_REQUESTS.reason);
      return;
    }
    initReceived = true;
    vertx.cancelTimer(initTimer);
    connectionInit.check(message.payload()).onComplete(checked -> {
      if (closing) {
        return;
      }
      if (checked.failed()) {
        close(WebSocketCloseCode.FORBIDDEN, WebSocketCloseCode.FORBIDDEN.reason);
        return;
      }
      acknowledged = true;
      send(GraphQLWebSocketMessage.connectionAck());
    });
  }

  private void subscribe(GraphQLWebSocketMessage message) {
    if (!acknowledged) {
      close(WebSocketCloseCode.UNAUTHORIZED, WebSocketCloseCode.UNAUTHORIZED.reason);
      return;
    }
    String id = message.id();
    if (operations.containsKey(id)) {
      close(WebSocketCloseCode.SUBSCRIBER_ALREADY_EXISTS, "Subscriber for " + id + " already exists");
      return;
    }
    // Every subscribe counts, refused or not: each one that starts reads the database, and the limit is on asking.
    long wait = subscribeCharge.getAsLong();
    if (wait > 0) {
      send(GraphQLWebSocketMessage.error(id, List.of(GraphQLWebSocketMessage.errorOf(ErrorCodes.RATE_LIMITED,
          "rate limit reached; subscribe again in " + wait + " s", Map.of("retryAfterSeconds", wait)))));
      return;
    }
    if (operations.size() >= options.subscriptionsPerConnectionMax()) {
      send(GraphQLWebSocketMessage.error(id, List.of(GraphQLWebSocketMessage.errorOf(ErrorCodes.TOO_MANY_SUBSCRIPTIONS,
          "this connection already runs " + options.subscriptionsPerConnectionMax() + " subscriptions; complete one first"))));
      return;
    }
    GraphQLWebSocketOperation operation = new GraphQLWebSocketOperation(this, graphQL, id, message, options.subscriberBufferMax());
    operations.put(id, operation);
    operation.start();
  }

  /** The client is done with operation {@code id}; an unknown id is one that already ended, so nothing to do. */
  private void complete(String id) {
    GraphQLWebSocketOperation operation = operations.remove(id);
    if (operation != null) {
      awaitingDrain.remove(operation);
      operation.cancel();
    }
  }

  /** The client takes nothing more for now: read nothing from it, and let the operations wait. */
  private void writesFull() {
    socket.pause();
    // A ping frame being handed over when the writes fill asks Vert.x for one more frame right after this returns
    // (ping frames do not count against demand), so pause again on the next turn: a flood of ping frames must
    // not keep itself read.
    vertx.runOnContext(ignored -> {
      if (writes.full()) {
        socket.pause();
      }
    });
    stall.stalled();
  }

  /** The client took what was waiting: read again (also while closing, so its close frame is heard), resume operations. */
  private void writesDrained() {
    stall.drained();
    socket.resume();
    List<GraphQLWebSocketOperation> waiting = new ArrayList<>(awaitingDrain);
    awaitingDrain.clear();
    waiting.forEach(GraphQLWebSocketOperation::resume);
  }

  // What operations call.

  /** Sends a message, or drops it once the connection is closing. */
  void send(String message) {
    if (!closing) {
      writes.write(message);
    }
  }

  /** True while the client has not taken what was written: ask for no more events, {@link #awaitDrain} instead. */
  boolean writeQueueFull() {
    return writes.full();
  }

  /** Resumes {@code operation} when the socket's write queue has drained. */
  void awaitDrain(GraphQLWebSocketOperation operation) {
    awaitingDrain.add(operation);
  }

  /** The operation ended by itself (completed or failed): its id may be used again. */
  void ended(GraphQLWebSocketOperation operation) {
    operations.remove(operation.id(), operation);
    awaitingDrain.remove(operation);
  }

  /** The operation's buffer overflowed: the client reads more slowly than the log grows, so it is disconnected. */
  void tooSlow(GraphQLWebSocketOperation operation, long lastSentSeq) {
    LOG.info("ws.subscriber_too_slow id=\"" + operation.id() + "\" last_sent_seq=" + lastSentSeq
        + " buffer_max=" + options.subscriberBufferMax());
    close(WebSocketCloseCode.SUBSCRIBER_TOO_SLOW, "Subscriber too slow: resume from seq " + lastSentSeq);
  }

  private void close(WebSocketCloseCode code, String reason) {
    if (closing) {
      return;
    }
    closing = true;
    stopAll();
    socket.close(code.code, WebSocketCloseCode.fit(reason));
  }

  private void closed() {
    if (closed) {
      return;
    }
    closed = true;
    closing = true;
    stall.cancel();
    stopAll();
    onClosed.run();
  }

  private void stopAll() {
    vertx.cancelTimer(initTimer);
    List<GraphQLWebSocketOperation> running = new ArrayList<>(operations.values());
    operations.clear();
    awaitingDrain.clear();
    running.forEach(GraphQLWebSocketOperation::cancel);
  }
}
