package org.carbonledger.api;

import io.vertx.core.http.ServerWebSocket;

/**
 * WebSocketWrites is the one way a GraphQL WebSocket connection writes to its socket, so that every message it
 * sends (acknowledgement, pong, next, error, complete) counts against one budget: the bytes handed to the
 * socket that the socket has not yet passed to the network. A client that does not read stops those writes
 * from completing; past {@code bytesMax}, or when Vert.x's own write queue is full (it also holds the pongs
 * Vert.x answers WebSocket ping frames with, which never pass through here), the writes are <em>full</em> and
 * {@code onFull} runs once; when the budget is half free again and Vert.x's queue has room, {@code onDrained}
 * runs once. The connection stops reading from the client in between, so a client that sends without reading
 * cannot make the server queue answers for it without limit.
 *
 * <p>Everything runs on the socket's context: the write completions and the socket's drain handler too.
 */
final class WebSocketWrites {

  private final ServerWebSocket socket;
  private final long bytesMax;
  private final Runnable onFull;
  private final Runnable onDrained;
  /** Bytes of messages written whose write has not completed yet: they are still in the server's buffers. */
  private long unsentBytes;
  private boolean full;

  WebSocketWrites(ServerWebSocket socket, long bytesMax, Runnable onFull, Runnable onDrained) {
    this.socket = socket;
    this.bytesMax = bytesMax;
    this.onFull = onFull;
    this.onDrained = onDrained;
  }

  /** Writes {@code message} as one text message, whether or not the writes are full: callers check {@link #full}. */
  void write(String message) {
    long bytes = utf8Length(message);
    unsentBytes += bytes;
    socket.writeTextMessage(message).onComplete(written -> {
      // Completed when the socket took the bytes, or failed when it closed: either way they are no longer held.
      unsentBytes -= bytes;
      checkDrained();
    });
    checkFull();
  }

  /** True while the client is not taking what was written: write nothing that can wait, read nothing. */
  boolean full() {
    return full;
  }

  /** Looks again at the socket's write queue: something besides {@link #write} wrote to it (Vert.x's pong). */
  void checkFull() {
    if (!full && (unsentBytes > bytesMax || socketQueueFull())) {
      full = true;
      onFull.run();
    }
  }

  /** Called as writes complete and when the socket's write queue drains. */
  void checkDrained() {
    if (full && unsentBytes <= bytesMax / 2 && !socketQueueFull()) {
      full = false;
      onDrained.run();
    }
  }

  private boolean socketQueueFull() {
    // A closed socket answers writeQueueFull() with an exception; it takes nothing more anyway.
    return !socket.isClosed() && socket.writeQueueFull();
  }

  /** The bytes of {@code text} in UTF-8, without encoding it a second time (the socket encodes it to send it). */
  static long utf8Length(String text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
