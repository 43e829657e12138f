package org.carbonledger.verify;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PfxOptions;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TileServer is a small real HTTP server on 127.0.0.1 (Vert.x, a free port) that serves a published map under
 * {@code /log/}, so the verifier's HTTP client is tested over a socket. A path in {@link #cutShort} is answered
 * with its full Content-Length but only half of the body before the connection closes; a path in
 * {@link #stalled} is never answered; a path in {@link #chunked} is sent without a Content-Length; a path in
 * {@link #rateLimited} is answered 429 with {@link #retryAfter} (when not null) as many times as it says. Made with a
 * {@link TestTls}, it serves https instead.
 */
final class TileServer implements AutoCloseable {

  private static final String PREFIX = "/log/";

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final String scheme;
  private volatile Map<String, byte[]> resources = Map.of();
  final Set<String> cutShort = ConcurrentHashMap.newKeySet();
  final Set<String> stalled = ConcurrentHashMap.newKeySet();
  final Set<String> chunked = ConcurrentHashMap.newKeySet();
  final Set<String> trickled = ConcurrentHashMap.newKeySet();
  final Map<String, Long> delayed = new ConcurrentHashMap<>();
  final Map<String, String> redirects = new ConcurrentHashMap<>();
  final Map<String, AtomicInteger> rateLimited = new ConcurrentHashMap<>();
  volatile String retryAfter;
  /** Requests for each path, answered or not. */
  final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

  TileServer() throws Exception {
    this(null);
  }

  /** A server of https with the certificate of tls, or of plain http when tls is null. */
  TileServer(TestTls tls) throws Exception {
    HttpServerOptions options = new HttpServerOptions();
    if (tls != null) {
      options.setSsl(true).setKeyCertOptions(new PfxOptions().setPath(tls.keystore.toString()).setPassword(TestTls.PASSWORD));
    }
    server = vertx.createHttpServer(options).requestHandler(this::handle).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    scheme = tls == null ? "http" : "https";
  }

  /** Serves these resources from now on, each answered plainly. */
  void serve(Map<String, byte[]> published) {
    cutShort.clear();
    stalled.clear();
    chunked.clear();
    trickled.clear();
    delayed.clear();
    redirects.clear();
    rateLimited.clear();
    retryAfter = null;
    requests.clear();
    resources = Map.copyOf(published);
  }

  String serverUrl() {
    return scheme + "://127.0.0.1:" + server.actualPort();
  }

  String logUrl() {
    return serverUrl() + "/log";
  }

  private void handle(HttpServerRequest request) {
    String path = request.path();
    String name = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : path;
    requests.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
    Long delay = delayed.get(name);
    if (delay != null) {
      vertx.setTimer(delay, timer -> answer(request, name));
    } else {
      answer(request, name);
    }
  }

  private void answer(HttpServerRequest request, String name) {
    byte[] body = request.path().startsWith(PREFIX) ? resources.get(name) : null;
    if (stalled.contains(name)) {
      return;
    }
    AtomicInteger refusals = rateLimited.get(name);
    if (refusals != null && refusals.getAndDecrement() > 0) {
      if (retryAfter != null) {
        request.response().putHeader("Retry-After", retryAfter);
      }
      request.response().setStatusCode(429).end("rate limit reached\n");
      return;
    }
    if (redirects.containsKey(name)) {
      request.response().setStatusCode(302).putHeader("Location", redirects.get(name)).end();
      return;
    }
    if (body == null) {
      request.response().setStatusCode(404).end("not found\n");
      return;
    }
    if (cutShort.contains(name)) {
      request.response().putHeader("Content-Length", Integer.toString(body.length))
          .write(Buffer.buffer(Arrays.copyOf(body, body.length / 2)))
          .onComplete(written -> request.connection().close());
      return;
    }
    if (trickled.contains(name)) {
      request.response().putHeader("Content-Length", Integer.toString(body.length));
      AtomicInteger sent = new AtomicInteger();
      vertx.setPeriodic(100, timer -> {
        int at = sent.getAndIncrement();
        if (request.response().closed()) {
          vertx.cancelTimer(timer);
        } else if (at == body.length) {
          vertx.cancelTimer(timer);
          request.response().end();
        } else {
          request.response().write(Buffer.buffer(new byte[] {body[at]}));
        }
      });
      return;
    }
    if (chunked.contains(name)) {
      request.response().setChunked(true).write(Buffer.buffer(body)).compose(written -> request.response().end());
      return;
    }
    request.response().putHeader("Content-Type", "application/octet-stream").end(Buffer.buffer(body));
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
