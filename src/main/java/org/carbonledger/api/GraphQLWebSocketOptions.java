package org.carbonledger.api;

import java.util.List;
import org.carbonledger.store.EntryFeed;

/**
 * GraphQLWebSocketOptions are the limits of GraphQL over WebSocket. With them, what one connection can hold
 * is bounded: subscriptions times buffered entries, plus the socket's own write buffer, which is only
 * written to while the socket is writable.
 *
 * @param subscriberBufferMax entries that may wait for one subscription while its socket is not writable;
 *     past that the connection is closed with 4503 and the client resumes from its last seq
 * @param connectionInitTimeoutMillis how long after the socket opens connection_init must arrive (4408)
 * @param subscriptionsPerConnectionMax running operations per connection; one more is refused with an
 *     error message for its id (TOO_MANY_SUBSCRIPTIONS), the connection stays
 * @param connectionsMax open GraphQL WebSocket connections per server; one more is refused at the upgrade
 *     with 503
 * @param writeStallTimeoutMillis how long a connection's writes may stay full (the client takes nothing) before it
 *     is closed with 4504, and then how long before its TCP connection is dropped (see {@link WriteStallWatch})
 * @param allowedOrigins browser origins allowed besides the server's own, e.g. {@code https://registry.example.org};
 *     {@code *} allows any (see {@link OriginPolicy})
 */
public record GraphQLWebSocketOptions(int subscriberBufferMax, long connectionInitTimeoutMillis,
                                      int subscriptionsPerConnectionMax, int connectionsMax, long writeStallTimeoutMillis,
                                      List<String> allowedOrigins) {

  /** 3 seconds to send connection_init is graphql-ws's default too. */
  public static final long CONNECTION_INIT_TIMEOUT_MILLIS_DEFAULT = 3_000;
  public static final int SUBSCRIPTIONS_PER_CONNECTION_MAX_DEFAULT = 100;
  public static final int CONNECTIONS_MAX_DEFAULT = 1_000;
  /**
   * Long enough for any client that reads at all (a mobile link that stalls, a process paused by its garbage
   * collector), short enough that one that never reads holds its buffers for a minute at most.
   */
  public static final long WRITE_STALL_TIMEOUT_MILLIS_DEFAULT = 30_000;

  public static final GraphQLWebSocketOptions DEFAULT = new GraphQLWebSocketOptions(
      EntryFeed.SUBSCRIBER_BUFFER_MAX_DEFAULT, CONNECTION_INIT_TIMEOUT_MILLIS_DEFAULT,
      SUBSCRIPTIONS_PER_CONNECTION_MAX_DEFAULT, CONNECTIONS_MAX_DEFAULT, WRITE_STALL_TIMEOUT_MILLIS_DEFAULT, List.of());

  public GraphQLWebSocketOptions {
    if (subscriberBufferMax < 1 || connectionInitTimeoutMillis < 1 || subscriptionsPerConnectionMax < 1 || connectionsMax < 1
        || writeStallTimeoutMillis < 1) {
      throw new IllegalArgumentException("GraphQL WebSocket limits must be positive: buffer " + subscriberBufferMax
          + ", init timeout " + connectionInitTimeoutMillis + " ms, subscriptions " + subscriptionsPerConnectionMax
          + ", connections " + connectionsMax + ", write stall timeout " + writeStallTimeoutMillis + " ms");
    }
    allowedOrigins = List.copyOf(allowedOrigins);
  }

  /** These limits with another write-stall timeout; tests make it short. */
  public GraphQLWebSocketOptions withWriteStallTimeoutMillis(long millis) {
    return new GraphQLWebSocketOptions(subscriberBufferMax, connectionInitTimeoutMillis, subscriptionsPerConnectionMax,
        connectionsMax, millis, allowedOrigins);
  }

  /** These limits, with {@code origins} allowed too (the origins a browser may call the HTTP API from). */
  public GraphQLWebSocketOptions allowingAlso(List<String> origins) {
    List<String> allowed = new java.util.ArrayList<>(allowedOrigins);
    origins.stream().filter(origin -> !allowed.contains(origin)).forEach(allowed::add);
    return new GraphQLWebSocketOptions(subscriberBufferMax, connectionInitTimeoutMillis, subscriptionsPerConnectionMax,
        connectionsMax, writeStallTimeoutMillis, allowed);
  }
}
