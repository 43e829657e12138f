package org.carbonledger.api;

import graphql.GraphQL;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.json.JsonObject;
import java.util.logging.Logger;

/**
 * GraphQLWebSocketHandler accepts WebSocket upgrades of {@code /graphql} for GraphQL subscriptions over the
 * graphql-transport-ws protocol (docs/SUBSCRIPTIONS.md). It checks each upgrade before the socket exists:
 * the path (else 404), the Origin header (else 403, see {@link OriginPolicy}), the connections of the client's
 * address (else 429, see {@link ClientSlots}) and of the server (else 503); each accepted socket becomes one
 * {@link GraphQLWebSocketConnection}, whose subscribes the {@link AuthGate} charges to the client's address like
 * requests without a key. Install it as the HTTP server's WebSocket handshake handler, with {@link #SUBPROTOCOL}
 * among the server's WebSocket subprotocols.
 */
public final class GraphQLWebSocketHandler implements Handler<ServerWebSocketHandshake> {

  /** The path of GraphQL over WebSocket: the same as GraphQL over HTTP. */
  public static final String PATH = "/graphql";
  /** The WebSocket subprotocol of github.com/enisdenjo/graphql-ws; the older subscriptions-transport-ws is not spoken. */
  public static final String SUBPROTOCOL = "graphql-transport-ws";

  /**
   * ConnectionInit decides on a connection_init payload (null when it has none): a succeeded future lets
   * the connection in, a failed one closes it with 4403. Where a later version checks an API key.
   */
  @FunctionalInterface
  public interface ConnectionInit {
    /** Lets every connection in: the log is public. */
    ConnectionInit ACCEPT_ALL = payload -> Future.succeededFuture();

    Future<Void> check(JsonObject payload);
  }

  private static final Logger LOG = Logger.getLogger(GraphQLWebSocketHandler.class.getName());

  private final Vertx vertx;
  private final GraphQL graphQL;
  private final GraphQLWebSocketOptions options;
  private final ConnectionInit connectionInit;
  private final OriginPolicy origins;
  private final AuthGate gate;
  /** Open connections, by client address and in all; handshakes arrive on any event loop, so the counts are shared. */
  private final ClientSlots slots;

  /**
   * @param gate finds each upgrade's client address, and charges each subscribe to it
   * @param connectionsPerAddressMax the connections one client address may hold open
   */
  public GraphQLWebSocketHandler(Vertx vertx, GraphQL graphQL, GraphQLWebSocketOptions options, AuthGate gate,
                                 int connectionsPerAddressMax) {
    this(vertx, graphQL, options, gate, connectionsPerAddressMax, ConnectionInit.ACCEPT_ALL);
  }

  public GraphQLWebSocketHandler(Vertx vertx, GraphQL graphQL, GraphQLWebSocketOptions options, AuthGate gate,
                                 int connectionsPerAddressMax, ConnectionInit connectionInit) {
    this.vertx = vertx;
    this.graphQL = graphQL;
    this.options = options;
    this.connectionInit = connectionInit;
    this.origins = new OriginPolicy(options.allowedOrigins());
    this.gate = gate;
    this.slots = new ClientSlots(connectionsPerAddressMax, options.connectionsMax());
  }

  @Override
  public void handle(ServerWebSocketHandshake handshake) {
    if (!PATH.equals(handshake.path())) {
      handshake.reject(404);
      return;
    }
    String origin = handshake.headers().get(HttpHeaders.ORIGIN);
    if (!origins.allows(origin, handshake.headers().get(HttpHeaders.HOST))) {
      LOG.info("ws.upgrade_refused reason=origin origin=\"" + origin + "\" remote=" + handshake.remoteAddress());
      handshake.reject(403);
      return;
    }
    String client = gate.clientAddress(handshake.remoteAddress(), handshake.headers());
    switch (slots.take(client)) {
      case CLIENT_FULL -> {
        // One client must not take the slots of all: 429, as for any request over a client's own limit.
        LOG.info("ws.upgrade_refused reason=connections_per_address client=" + client + " connections_per_address_max="
            + slots.perClientMax());
        handshake.reject(429);
        return;
      }
      case SERVER_FULL -> {
        LOG.warning("ws.upgrade_refused reason=connections_max connections_max=" + slots.totalMax());
        handshake.reject(503);
        return;
      }
      case YES -> { }
    }
    Runnable release = () -> slots.release(client);
    handshake.accept().onComplete(accepted -> {
      if (accepted.failed()) {
        release.run();
        return;
      }
      new GraphQLWebSocketConnection(vertx, accepted.result(), graphQL, options, connectionInit,
          () -> gate.chargeAnonymous(client), release).start();
    });
  }
}
