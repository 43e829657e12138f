package org.carbonledger.api;

import graphql.GraphQL;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * GraphQLWebSocketHandler accepts WebSocket upgrades of {@code /graphql} for GraphQL subscriptions over the
 * graphql-transport-ws protocol (docs/SUBSCRIPTIONS.md). It checks each upgrade before the socket exists:
 * the path (else 404), the Origin header (else 403, see {@link OriginPolicy}) and the connection limit
 * (else 503); each accepted socket becomes one {@link GraphQLWebSocketConnection}. Install it as the HTTP
 * server's WebSocket handshake handler, with {@link #SUBPROTOCOL} among the server's WebSocket subprotocols.
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
  /** Handshakes arrive on any event loop, so the count is shared. */
  private final AtomicInteger connections = new AtomicInteger();

  public GraphQLWebSocketHandler(Vertx vertx, GraphQL graphQL, GraphQLWebSocketOptions options) {
    this(vertx, graphQL, options, ConnectionInit.ACCEPT_ALL);
  }

  public GraphQLWebSocketHandler(Vertx vertx, GraphQL graphQL, GraphQLWebSocketOptions options, ConnectionInit connectionInit) {
    this.vertx = vertx;
    this.graphQL = graphQL;
    this.options = options;
    this.connectionInit = connectionInit;
    this.origins = new OriginPolicy(options.allowedOrigins());
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
    if (connections.incrementAndGet() > options.connectionsMax()) {
      connections.decrementAndGet();
      LOG.warning("ws.upgrade_refused reason=connections_max connections_max=" + options.connectionsMax());
      handshake.reject(503);
      return;
    }
    handshake.accept().onComplete(accepted -> {
      if (accepted.failed()) {
        connections.decrementAndGet();
        return;
      }
      new GraphQLWebSocketConnection(vertx, accepted.result(), graphQL, options, connectionInit, connections::decrementAndGet)
          .start();
    });
  }

  /** Open connections now. */
  public int connectionCount() {
    return connections.get();
  }
}
