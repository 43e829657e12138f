package org.carbonledger.server;

import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.logging.Logger;
import org.carbonledger.api.AuthGate;
import org.carbonledger.api.ClientSlots;
import org.carbonledger.api.ErrorCodes;

/**
 * RequestBodies bounds what request bodies hold before anyone is authenticated. The body handler keeps a body in
 * the heap while it arrives (up to --http-body-bytes-max), so without a bound a few hundred connections, each
 * sending a large body slowly and never finishing it, exhaust the heap; and since every byte restarts the idle
 * timeout, they would hold it for ever.
 *
 * <p>So before a byte of it is read, a POST body reserves its declared length (the largest body when it comes in
 * chunks) from the server's budget of {@code budgetBytes}, of which one client address (as {@link AuthGate#clientAddress}
 * finds it) may hold an {@link #ADDRESS_SHARES}th. Past the address's share it is refused with 429 RATE_LIMITED, past
 * the server's with 503 UNAVAILABLE, both with Retry-After, and the body is never read (what arrives of it is
 * dropped). The reservation is given back when the exchange ends with the body received, or when the connection
 * closes; a body answered before it has arrived (413 midway) keeps it until the deadline.
 *
 * <p>Every body, taken or refused, must arrive whole within {@code timeout} of its request's head, or its connection
 * is closed: a refused client that goes on sending holds no memory, but would hold its connection.
 */
final class RequestBodies {

  /** One client address may hold this fraction of the budget: more than one address is needed to fill it. */
  static final int ADDRESS_SHARES = 8;
  /** Seconds a refused client is told to wait: bodies in flight arrive, or reach their deadline, meanwhile. */
  static final long REFUSED_RETRY_AFTER_SECONDS = 2;

  private static final Logger LOG = Logger.getLogger(RequestBodies.class.getName());

  /** Reserved bytes by client address and in all. */
  private final ClientSlots reserved;
  private final long bodyBytesMax;
  private final long timeoutMillis;
  private final AuthGate gate;

  RequestBodies(long budgetBytes, long bodyBytesMax, Duration timeout, AuthGate gate) {
    if (budgetBytes / ADDRESS_SHARES < bodyBytesMax) {
      throw new IllegalArgumentException("a client address's share of the budget " + budgetBytes
          + " cannot hold the largest body, " + bodyBytesMax + " bytes");
    }
    this.reserved = new ClientSlots(budgetBytes / ADDRESS_SHARES, budgetBytes);
    this.bodyBytesMax = bodyBytesMax;
    this.timeoutMillis = timeout.toMillis();
    this.gate = gate;
  }

  /** The handler before the body handler: reserves the body's bytes and starts its deadline, or refuses it. */
  void admit(RoutingContext context) {
    HttpServerRequest request = context.request();
    long length = declaredLength(request);
    if (length == 0 || request.isEnded()) {
      context.next();
      return;
    }
    String client = gate.clientAddress(request);
    Body body = new Body(context.vertx(), request, client);
    if (length > bodyBytesMax) {
      body.refused();
      context.fail(413);
      return;
    }
    switch (reserved.take(client, length)) {
      case CLIENT_FULL -> {
        LOG.info("http.body_refused reason=address_share client=" + client + " bytes=" + length
            + " address_share_bytes=" + reserved.perClientMax());
        body.refused();
        refuse(context, 429, ErrorCodes.RATE_LIMITED, "this client address is already sending as many request body bytes"
            + " as it may (" + reserved.perClientMax() + "); retry in " + REFUSED_RETRY_AFTER_SECONDS + " s");
      }
      case SERVER_FULL -> {
        LOG.warning("http.body_refused reason=budget client=" + client + " bytes=" + length
            + " budget_bytes=" + reserved.totalMax());
        body.refused();
        refuse(context, 503, ErrorCodes.UNAVAILABLE, "the server is receiving as many request bodies as it holds at once;"
            + " retry in " + REFUSED_RETRY_AFTER_SECONDS + " s");
      }
      case YES -> {
        body.reserve(length);
        context.addEndHandler(body::exchangeEnded);
        context.next();
      }
    }
  }

  private static void refuse(RoutingContext context, int status, String code, String message) {
    // The body is not read: closing after the answer tells a client that has not sent it (Expect: 100-continue)
    // not to, instead of leaving the connection to read it as the next request's start.
    context.response().putHeader(HttpHeaders.CONNECTION, "close");
    context.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(REFUSED_RETRY_AFTER_SECONDS));
    HttpRoutes.error(context, status, code, message);
  }

  /**
   * The bytes a request's body may take: its Content-Length, the largest body when it comes in chunks, 0 when it
   * has none. (The HTTP decoder has refused a malformed Content-Length before the router sees the request.)
   */
  private long declaredLength(HttpServerRequest request) {
    if (request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
      return bodyBytesMax;
    }
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    try {
      return length == null ? 0 : Math.max(0, Long.parseLong(length.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * Body is one request body on its way: its reserved bytes (none when refused) and its deadline. Everything
   * happens on the request's event loop.
   */
  private final class Body {
    private final Vertx vertx;
    private final HttpServerRequest request;
    private final String client;
    private final long timer;
    private long bytes;
    /** The exchange's response has ended while the body may still be arriving. */
    private boolean answered;

    Body(Vertx vertx, HttpServerRequest request, String client) {
      this.vertx = vertx;
      this.request = request;
      this.client = client;
      this.timer = vertx.setTimer(timeoutMillis, fired -> expired());
    }

    void reserve(long length) {
      bytes = length;
    }

    /**
     * A refused body is not read, and holds nothing: its deadline ends with the request or its connection. The
     * body handler does not run for it, so these handlers are ours.
     */
    void refused() {
      request.endHandler(ended -> finished()).exceptionHandler(failure -> finished());
    }

    /** The exchange of a taken body ended: answered, failed, or its connection closed. */
    void exchangeEnded(AsyncResult<Void> end) {
      if (end.failed() || request.isEnded()) {
        finished();
      } else {
        // Answered before the body arrived (413 midway): the body handler still holds what came, until the
        // deadline closes the connection or finds the body arrived.
        answered = true;
      }
    }

    private void expired() {
      if (!request.isEnded()) {
        LOG.info("http.body_timeout client=" + client + " timeout_ms=" + timeoutMillis);
        request.connection().close();
        release();
      } else if (answered) {
        release();
      }
      // Otherwise the body arrived and its request still runs: the exchange's end gives the bytes back.
    }

    private void finished() {
      vertx.cancelTimer(timer);
      release();
    }

    private void release() {
      if (bytes > 0) {
        reserved.release(client, bytes);
        bytes = 0;
      }
    }
  }
}
