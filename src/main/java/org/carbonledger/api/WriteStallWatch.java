package org.carbonledger.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import java.util.logging.Logger;

/**
 * WriteStallWatch ends a WebSocket connection whose client has stopped taking what the server writes. Once the
 * connection's writes are full ({@link WebSocketWrites}) for {@code timeoutMillis} on end, it asks the connection
 * to close ({@code close}: a close frame with its code, queued behind what the client has not read). A client
 * that still takes nothing never reads that frame either, and Vert.x finishes a close only once the frame is
 * written, so after another {@code timeoutMillis} the watch drops the TCP connection, which frees its buffers.
 *
 * <p>Everything runs on the socket's context.
 */
final class WriteStallWatch {

  private static final Logger LOG = Logger.getLogger(WriteStallWatch.class.getName());

  private final Vertx vertx;
  private final ServerWebSocket socket;
  private final long timeoutMillis;
  private final Runnable close;
  private long timer = -1;
  private boolean closeAsked;

  WriteStallWatch(Vertx vertx, ServerWebSocket socket, long timeoutMillis, Runnable close) {
    this.vertx = vertx;
    this.socket = socket;
    this.timeoutMillis = timeoutMillis;
    this.close = close;
  }

  /** The writes became full: the client has this long to take some of them. */
  void stalled() {
    if (timer < 0 && !closeAsked) {
      timer = vertx.setTimer(timeoutMillis, fired -> {
        timer = -1;
        closeAsked = true;
        close.run();
        timer = vertx.setTimer(timeoutMillis, dropped -> drop());
      });
    }
  }

  /**
   * The client took enough: no close. Once the close is asked for, the drop stays due: a client that reads
   * again takes the close frame in time, and the connection ends the usual way before the drop.
   */
  void drained() {
    if (!closeAsked) {
      cancel();
    }
  }

  /** The connection closed: nothing left to do. */
  void cancel() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void drop() {
    timer = -1;
    if (socket.isClosed()) {
      return;
    }
    LOG.info("ws.connection_dropped reason=not_reading remote=" + socket.remoteAddress() + " timeout_ms=" + timeoutMillis);
    // Vert.x's public API closes a WebSocket only through the close handshake; its internal interface reaches the
    // channel. Were it ever missing, the server's idle timeout would still drop a connection that reads nothing.
    if (socket instanceof WebSocketInternal internal) {
      internal.channelHandlerContext().close();
    }
  }
}
