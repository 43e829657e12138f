package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import org.carbonledger.store.SubscriberTooSlowException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * AccountFeedStreamTest checks the HTTP side of a feed on a bare Vert.x server with a scripted subscription, where
 * the entry feed itself (tested in EntryFeedTest) cannot reach: a reader that stops reading stops the requests
 * for entries once the write queue is full, and they resume when it reads; the too-slow end writes its resume
 * line; an idle feed writes heartbeats; and a reader that leaves cancels the subscription and frees its slot.
 * Each test speaks HTTP/1.1 over a plain socket, so that "not reading" really leaves bytes in the socket.
 */
class AccountFeedStreamTest {

  private static final int LINE_BYTES = 64 * 1024;

  private Vertx vertx;
  private HttpServer http;
  /** What the current test does with each new stream. */
  private volatile Consumer<AccountFeedStream> script;
  private final AtomicInteger ended = new AtomicInteger();
  private volatile long heartbeatMillis = 60_000;
  private volatile long untilSeq = Long.MAX_VALUE;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    http = vertx.createHttpServer().requestHandler(request -> {
      AccountFeedStream stream = new AccountFeedStream(vertx, request.response(), -1, untilSeq, heartbeatMillis, ended::incrementAndGet);
      stream.open(16 * 1024);
      script.accept(stream);
    }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aReaderThatStopsReadingStopsTheRequestsUntilItReadsAgain() throws Exception {
    int lines = 200; // 12.5 MiB: more than any socket buffers hold
    untilSeq = lines - 1;
    AtomicLong requested = new AtomicLong();
    script = stream -> stream.onSubscribe(new Scripted(Vertx.currentContext(), requested, stream::onNext, seq -> line(seq)));
    try (Socket socket = connect()) {
      long seen;
      do { // wait until the requests stop
        seen = requested.get();
        Thread.sleep(300);
      } while (requested.get() != seen);
      assertTrue(seen < lines, "requests went on while nobody read: " + seen);
      String body = readAll(socket.getInputStream());
      assertEquals(lines, body.split("\\{\"seq\":", -1).length - 1, "every line arrived once the reader read");
      assertTrue(body.contains("{\"end\":{\"resumeAfterSeq\":" + (lines - 1) + "}}"), "the bounded feed ended");
    }
    assertEquals(1, ended.get());
  }

  @Test
  void aTooSlowReaderGetsAResumeLineAndTheEnd() throws Exception {
    script = stream -> {
      stream.onSubscribe(new Scripted(Vertx.currentContext(), new AtomicLong(), line -> {}, seq -> null));
      stream.onNext(new FeedLines.Line(3, true, Buffer.buffer("{\"seq\":3}\n")));
      stream.onError(new SubscriberTooSlowException(3, 10));
    };
    try (Socket socket = connect()) {
      String body = readAll(socket.getInputStream());
      assertTrue(body.contains("{\"seq\":3}\n"), body);
      String last = body.substring(body.indexOf("{\"error\""), body.indexOf('\n', body.indexOf("{\"error\"")));
      JsonObject error = new JsonObject(last).getJsonObject("error");
      assertEquals("SUBSCRIBER_TOO_SLOW", error.getString("code"));
      assertEquals(3, error.getLong("resumeAfterSeq"));
    }
    assertEquals(1, ended.get());
  }

  @Test
  void anIdleFeedWritesHeartbeatsAndALeavingReaderCancels() throws Exception {
    heartbeatMillis = 50;
    AtomicBoolean cancelled = new AtomicBoolean();
    script = stream -> stream.onSubscribe(new Flow.Subscription() {
      @Override public void request(long n) {}
      @Override public void cancel() {
        cancelled.set(true);
      }
    });
    try (Socket socket = connect()) {
      InputStream in = socket.getInputStream();
      StringBuilder seen = new StringBuilder();
      while (seen.indexOf("{\"heartbeat\":{\"time\":") < 0) {
        int read = in.read();
        assertTrue(read >= 0, "closed before a heartbeat: " + seen);
        seen.append((char) read);
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!cancelled.get() || ended.get() != 1) {
      assertTrue(System.nanoTime() < deadline, "the subscription was not cancelled when the reader left");
      Thread.sleep(20);
    }
  }

  private Socket connect() throws Exception {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(8 * 1024);
    socket.connect(new InetSocketAddress("127.0.0.1", http.actualPort()), 5_000);
    socket.setSoTimeout(20_000);
    socket.getOutputStream().write("GET /accounts/A/feed.ndjson HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return socket;
  }

  /** The whole response: the request asked for Connection: close, so the server closes after the last chunk. */
  private static String readAll(InputStream in) throws Exception {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  private static FeedLines.Line line(long seq) {
    String line = "{\"seq\":" + seq + ",\"pad\":\"" + "x".repeat(LINE_BYTES) + "\"}\n";
    return new FeedLines.Line(seq, true, Buffer.buffer(line));
  }

  /** Scripted hands over one line per request, on the stream's context, as the entry feed does. */
  private record Scripted(Context context, AtomicLong requested, Consumer<FeedLines.Line> onNext,
                          java.util.function.LongFunction<FeedLines.Line> lines) implements Flow.Subscription {
    @Override
    public void request(long n) {
      long seq = requested.getAndAdd(n);
      FeedLines.Line next = lines.apply(seq);
      if (next != null) {
        context.runOnContext(ignored -> onNext.accept(next));
      }
    }

    @Override
    public void cancel() {}
  }
}
