package org.carbonledger.api;

import java.nio.charset.StandardCharsets;

/**
 * WebSocketCloseCode lists every code the GraphQL WebSocket endpoint closes a connection with. The 44xx codes
 * and their reasons are those of graphql-transport-ws (github.com/enisdenjo/graphql-ws, PROTOCOL.md), so a
 * stock client reacts as it should. A client resumes each of its streams after the last seq it received.
 */
enum WebSocketCloseCode {
  /** The server is shutting down; reconnect (to another server) and resume. */
  GOING_AWAY(1001, "Server shutting down"),
  /** A message that is not JSON, not a graphql-transport-ws message, or not expected from a client. */
  BAD_REQUEST(4400, "Invalid message received"),
  /** A subscribe before the server acknowledged connection_init. */
  UNAUTHORIZED(4401, "Unauthorized"),
  /** The connection_init payload was refused (a later version checks an API key there). */
  FORBIDDEN(4403, "Forbidden"),
  /** The client did not ask for the graphql-transport-ws subprotocol. */
  SUBPROTOCOL_NOT_ACCEPTABLE(4406, "Subprotocol not acceptable"),
  /** No connection_init within the connection-init timeout after the socket opened. */
  CONNECTION_INITIALISATION_TIMEOUT(4408, "Connection initialisation timeout"),
  /** A subscribe with the id of an operation still running on this connection. */
  SUBSCRIBER_ALREADY_EXISTS(4409, "Subscriber already exists"),
  /** A second connection_init. */
  TOO_MANY_INITIALISATION_REQUESTS(4429, "Too many initialisation requests"),
  /** A fault of the server; the server log has the incident id given in the reason. */
  INTERNAL_SERVER_ERROR(4500, "Internal server error"),
  /**
   * More entries waited for a subscription than its buffer holds: the client read too slowly. Not 4429,
   * which the protocol gives to repeated connection_init and which graphql-ws clients treat as fatal; this
   * one they retry. The reason names the slow subscription's last seq sent; resume each stream after the
   * last seq it received.
   */
  SUBSCRIBER_TOO_SLOW(4503, "Subscriber too slow"),
  /**
   * The client took nothing of what the server wrote for the write-stall timeout, so the server stopped reading
   * from it and now ends it: a client that neither reads nor disconnects must not keep its buffers. Not 4503,
   * whose reason names a seq; graphql-ws clients retry this one too. Resume each stream after the last seq
   * received.
   */
  CLIENT_NOT_READING(4504, "Client not reading");

  /** RFC 6455: a close frame's payload is at most 125 bytes, two of them the code. */
  static final int REASON_BYTES_MAX = 123;

  final short code;
  final String reason;

  WebSocketCloseCode(int code, String reason) {
    this.code = (short) code;
    this.reason = reason;
  }

  /** {@code reason}, cut to what a close frame can carry without splitting a character. */
  static String fit(String reason) {
    byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= REASON_BYTES_MAX) {
      return reason;
    }
    int end = reason.length();
    while (reason.substring(0, end).getBytes(StandardCharsets.UTF_8).length > REASON_BYTES_MAX) {
      end--;
    }
    if (end > 0 && Character.isHighSurrogate(reason.charAt(end - 1))) {
      end--;
    }
    return reason.substring(0, end);
  }
}
