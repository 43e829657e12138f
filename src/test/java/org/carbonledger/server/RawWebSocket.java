package org.carbonledger.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * RawWebSocket is a WebSocket client on a bare TCP socket, for tests of clients that misbehave: it decides itself
 * when it reads and when it writes, which a WebSocket library does not let a test do. It speaks just enough
 * RFC 6455 for graphql-transport-ws: the upgrade, masked frames out, and unmasked frames in.
 */
final class RawWebSocket implements AutoCloseable {

  static final int TEXT = 0x1;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  static final int PONG = 0xA;

  /** Frame is one frame from the server: its opcode, whether it ends a message, and its payload. */
  record Frame(int opcode, boolean fin, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The code of a close frame, or -1 when it has none. */
    int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
    }
  }

  private final SocketChannel channel;
  private final ByteBuffer in = ByteBuffer.allocate(1 << 20).flip();

  private RawWebSocket(SocketChannel channel) {
    this.channel = channel;
  }

  /** Upgrades a connection to {@code /graphql} with the graphql-transport-ws subprotocol; fails unless the answer is 101. */
  static RawWebSocket open(int port) throws IOException {
    SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
    byte[] key = new byte[16];
    ThreadLocalRandom.current().nextBytes(key);
    String request = "GET /graphql HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n"
        + "Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n";
    RawWebSocket socket = new RawWebSocket(channel);
    socket.writeFully(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
    String head = socket.readHead();
    if (!head.startsWith("HTTP/1.1 101")) {
      channel.close();
      throw new IOException("upgrade refused: " + head.lines().findFirst().orElse(head));
    }
    channel.configureBlocking(false);
    return socket;
  }

  /** A masked frame as a client must send it. */
  static ByteBuffer frame(int opcode, byte[] payload) {
    int length = payload.length;
    int header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
    ByteBuffer frame = ByteBuffer.allocate(header + 4 + length);
    frame.put((byte) (0x80 | opcode));
    if (length < 126) {
      frame.put((byte) (0x80 | length));
    } else if (length < 65_536) {
      frame.put((byte) (0x80 | 126)).putShort((short) length);
    } else {
      frame.put((byte) (0x80 | 127)).putLong(length);
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    frame.put(mask);
    for (int i = 0; i < length; i++) {
      frame.put((byte) (payload[i] ^ mask[i & 3]));
    }
    return frame.flip();
  }

  static ByteBuffer text(String message) {
    return frame(TEXT, message.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes all of {@code buffer}, waiting for the socket as long as it takes. */
  void writeFully(ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.write(buffer) == 0) {
        Thread.onSpinWait();
      }
    }
  }

  /** The copy of a frame {@link #writeWithoutReading} is writing; the rest is written while {@link #next} reads. */
  private ByteBuffer pending;
  private long framesStarted;

  /**
   * Writes copies of {@code frame} without reading, until {@code bytesMax} are written or the socket has taken
   * nothing for {@code stall}: the server stopped reading. The frame under way then is finished while {@link #next}
   * reads. Returns the bytes written.
   */
  long writeWithoutReading(ByteBuffer frame, long bytesMax, Duration stall) throws IOException, InterruptedException {
    long written = 0;
    long lastProgress = System.nanoTime();
    while (written < bytesMax) {
      if (pending == null || !pending.hasRemaining()) {
        pending = frame.duplicate();
      }
      boolean starting = pending.position() == 0;
      int n = channel.write(pending);
      if (n > 0) {
        framesStarted += starting ? 1 : 0;
        written += n;
        lastProgress = System.nanoTime();
      } else if (System.nanoTime() - lastProgress > stall.toNanos()) {
        break;
      } else {
        Thread.sleep(1);
      }
    }
    return written;
  }

  /** How many frames {@link #writeWithoutReading} began: all of them are written once {@link #next} has read on. */
  long framesStarted() {
    return framesStarted;
  }

  /** The next frame, or null when none arrives within {@code wait}; throws at the end of the stream. */
  Frame next(Duration wait) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      Frame frame = parse();
      if (frame != null) {
        return frame;
      }
      if (pending != null && pending.hasRemaining()) {
        channel.write(pending); // the server reads the rest once the client has read enough
      }
      in.compact();
      int n = channel.read(in);
      in.flip();
      if (n < 0) {
        throw new java.io.EOFException("the server closed the connection");
      }
      if (n == 0) {
        if (System.nanoTime() > deadline) {
          return null;
        }
        Thread.sleep(1);
      }
    }
  }

  /**
   * Reads and discards until the server ends the connection, and says whether it did within {@code wait}: the
   * stream's end, or a reset, is the end.
   */
  boolean endsWithin(Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    ByteBuffer sink = ByteBuffer.allocate(1 << 16);
    while (System.nanoTime() < deadline) {
      try {
        sink.clear();
        if (channel.read(sink) < 0) {
          return true;
        }
      } catch (IOException reset) {
        return true;
      }
      Thread.sleep(1);
    }
    return false;
  }

  private Frame parse() {
    if (in.remaining() < 2) {
      return null;
    }
    int start = in.position();
    int first = in.get(start) & 0xff;
    int second = in.get(start + 1) & 0xff;
    long length = second & 0x7f;
    int header = 2;
    if (length == 126) {
      if (in.remaining() < 4) {
        return null;
      }
      length = in.getShort(start + 2) & 0xffff;
      header = 4;
    } else if (length == 127) {
      if (in.remaining() < 10) {
        return null;
      }
      length = in.getLong(start + 2);
      header = 10;
    }
    if (in.remaining() < header + length) {
      return null;
    }
    byte[] payload = new byte[(int) length];
    in.position(start + header);
    in.get(payload);
    return new Frame(first & 0x0f, (first & 0x80) != 0, payload);
  }

  private String readHead() throws IOException {
    ByteBuffer head = ByteBuffer.allocate(8192);
    while (true) {
      if (channel.read(head) < 0) {
        throw new IOException("the server closed the connection during the upgrade");
      }
      String text = new String(head.array(), 0, head.position(), StandardCharsets.US_ASCII);
      int end = text.indexOf("\r\n\r\n");
      if (end >= 0) {
        // Anything after the head is the first frame: keep it.
        in.clear().put(head.array(), end + 4, head.position() - end - 4).flip();
        return text.substring(0, end);
      }
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
