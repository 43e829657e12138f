package org.carbonledger.server;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.carbonledger.api.AuthGate;
import org.carbonledger.api.ClientSlots;
import org.carbonledger.api.DecimalText;
import org.carbonledger.api.ErrorCodes;
import org.carbonledger.api.ResolverErrors;
import org.carbonledger.registry.Ids;
import org.carbonledger.store.EntryFeed;
import org.carbonledger.store.Ledger;

/**
 * FeedRoutes serves {@code GET /accounts/<accountId>/feed.ndjson?afterSeq=N}: the entries touching an account
 * (the rule is {@code registry.EntryAccounts}) after seq N, as NDJSON over a chunked response, for systems
 * that cannot hold a WebSocket. It is the GraphQL {@code entriesOfAccount} subscription over plain HTTP: the
 * same {@link EntryFeed}, so every entry arrives exactly once and in seq order across catch-up and live, and a
 * reader resumes by asking again after the last seq it has. docs/API.md, "Feeds for systems without
 * WebSockets", is the contract.
 *
 * <p>Access: the feed is public, like the subscription and the log it is cut from (AccessPolicy: the log is
 * public, and every entry names its accounts). A request with an Authorization header must still carry a
 * valid key (401 otherwise), and every request counts against the AuthGate's rate limits (429). A feed is held
 * open for as long as its reader likes, so besides the rate limit, which counts only its opening, one client
 * address may hold only so many open at once (429 TOO_MANY_FEEDS), and the server only {@link #FEEDS_OPEN_MAX} (503).
 */
final class FeedRoutes {

  /** How often an idle feed writes a heartbeat line; well under common proxy timeouts and the server's idle timeout. */
  static final long HEARTBEAT_INTERVAL_MILLIS = 15_000;
  /** Feeds open at once on this server; past it a new one is answered 503 with Retry-After. */
  static final int FEEDS_OPEN_MAX = 1_000;
  /** Seconds a refused feed is told to wait. */
  static final long FEEDS_FULL_RETRY_AFTER_SECONDS = 5;
  /** Entries that may wait for one reader before it is cut off with SUBSCRIBER_TOO_SLOW: the subscription's buffer. */
  static final int FEED_BUFFER_MAX = EntryFeed.SUBSCRIBER_BUFFER_MAX_DEFAULT;
  /** Bytes the response may queue before the feed stops asking for entries until the socket drains. */
  static final int WRITE_QUEUE_BYTES_MAX = 256 * 1024;
  /** The same code, for the same condition, as the GraphQL API's. */
  static final String SEQ_NOT_IN_TREE = "SEQ_NOT_IN_TREE";

  private static final Logger LOG = Logger.getLogger(FeedRoutes.class.getName());

  private final Ledger ledger;
  private final AuthGate gate;
  /** Open feeds, by client address and in all. */
  private final ClientSlots slots;

  private FeedRoutes(Ledger ledger, AuthGate gate, int feedsPerAddressMax) {
    this.ledger = ledger;
    this.gate = gate;
    this.slots = new ClientSlots(feedsPerAddressMax, FEEDS_OPEN_MAX);
  }

  /** Serves the feeds; one client address may keep {@code feedsPerAddressMax} open. */
  static void mount(Router router, Ledger ledger, AuthGate gate, int feedsPerAddressMax) {
    FeedRoutes routes = new FeedRoutes(ledger, gate, feedsPerAddressMax);
    GetRoutes.get(router, "/accounts/:accountId/feed.ndjson", routes::feed);
  }

  /** FeedRequest is a feed's parsed query: after which seq, until which (Long.MAX_VALUE: none), and whether to follow. */
  record FeedRequest(String accountId, long afterSeq, long untilSeq, boolean follow) {}

  /** BadRequest is a query the feed refuses with 400 and a code. */
  static final class BadRequest extends RuntimeException {
    final String code;

    BadRequest(String code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  private void feed(RoutingContext context) {
    FeedRequest request;
    try {
      request = parse(context);
    } catch (BadRequest bad) {
      HttpRoutes.error(context, 400, bad.code, bad.getMessage());
      return;
    }
    Context requestContext = context.vertx().getOrCreateContext();
    gate.admit(context.request())
        .compose(principal -> ledger.reader().publishedSize())
        .onSuccess(size -> onContext(requestContext, () -> open(context, request, size)))
        .onFailure(failure -> onContext(requestContext, () -> refuse(context, failure)));
  }

  /** The query of a feed request, checked; throws BadRequest. Pure but for reading the request. */
  static FeedRequest parse(RoutingContext context) {
    String accountId = context.pathParam("accountId");
    if (!Ids.isValid(Ids.Kind.ACCOUNT, accountId)) {
      throw new BadRequest(ErrorCodes.BAD_USER_INPUT, "'" + accountId + "' is not an account id (e.g. A00000001L) with a valid check character");
    }
    String after = single(context, "afterSeq");
    if (after == null) {
      throw new BadRequest(ErrorCodes.BAD_USER_INPUT, "'afterSeq' is required: the last seq you have, or -1 for from the first entry");
    }
    long afterSeq = seq(after, "afterSeq", -1);
    String until = single(context, "untilSeq");
    long untilSeq = until == null ? Long.MAX_VALUE : seq(until, "untilSeq", 0);
    String follow = single(context, "follow");
    if (follow != null && !follow.equals("true") && !follow.equals("false")) {
      throw new BadRequest(ErrorCodes.BAD_USER_INPUT, "'follow' must be true or false, got '" + follow + "'");
    }
    return new FeedRequest(accountId, afterSeq, untilSeq, !"false".equals(follow));
  }

  private static String single(RoutingContext context, String name) {
    List<String> values = context.queryParam(name);
    if (values.size() > 1) {
      throw new BadRequest(ErrorCodes.BAD_USER_INPUT, "'" + name + "' is given " + values.size() + " times");
    }
    return values.isEmpty() ? null : values.get(0);
  }

  private static long seq(String text, String name, long min) {
    long value;
    try {
      value = DecimalText.parseLong(text);
    } catch (NumberFormatException e) {
      throw new BadRequest(ErrorCodes.BAD_USER_INPUT, "'" + name + "' must be a whole number, got '" + text + "'");
    }
    if (value < min) {
      throw new BadRequest(ErrorCodes.BAD_USER_INPUT, "'" + name + "' must be " + min + " or more, got " + value);
    }
    return value;
  }

  /** Starts the stream, once the principal is admitted and the log's published size is known. */
  private void open(RoutingContext context, FeedRequest request, long publishedSize) {
    if (context.response().closed()) {
      return; // the reader left while it was being admitted
    }
    if (request.afterSeq() >= publishedSize) {
      // A resume point from another log (or a future one): following from it would silently skip entries.
      HttpRoutes.error(context, 400, SEQ_NOT_IN_TREE, "'afterSeq' " + request.afterSeq() + " is not in the log of size " + publishedSize);
      return;
    }
    if (context.request().method() == HttpMethod.HEAD) {
      // The feed's status and headers, and no stream: there is no body to follow, so nothing to hold open.
      AccountFeedStream.head(context.response()).end();
      return;
    }
    String client = gate.clientAddress(context.request());
    ClientSlots.Taken taken = slots.take(client);
    if (taken != ClientSlots.Taken.YES) {
      context.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(FEEDS_FULL_RETRY_AFTER_SECONDS));
      if (taken == ClientSlots.Taken.CLIENT_FULL) {
        HttpRoutes.error(context, 429, ErrorCodes.TOO_MANY_FEEDS, "this client already has " + slots.perClientMax()
            + " feeds open; close one, or follow several accounts with GraphQL subscriptions over one WebSocket");
      } else {
        HttpRoutes.error(context, 503, ErrorCodes.UNAVAILABLE, "the server has " + FEEDS_OPEN_MAX + " feeds open; retry later");
      }
      return;
    }
    // Without follow, the feed ends at the log's end as the request found it.
    long untilSeq = request.follow() ? request.untilSeq() : Math.min(request.untilSeq(), publishedSize - 1);
    AccountFeedStream stream = new AccountFeedStream(context.vertx(), context.response(), request.afterSeq(), untilSeq,
        HEARTBEAT_INTERVAL_MILLIS, () -> slots.release(client));
    stream.open(WRITE_QUEUE_BYTES_MAX);
    // A graceful shutdown waits for open responses, and a feed never ends by itself: end it as the shutdown begins,
    // as WebSocket subscriptions are closed with 1001. (The handler stays with a kept-alive connection after the
    // feed ends, and then does nothing.)
    context.request().connection().shutdownHandler(ignored -> stream.shutDown());
    if (untilSeq <= request.afterSeq()) {
      stream.endEmpty();
      return;
    }
    String accountId = request.accountId();
    // The entry at untilSeq passes the filter even when it touches another account: it tells the stream to end.
    ledger.feed().follow(request.afterSeq(),
        entry -> entry.seq() == untilSeq || FeedLines.touches(entry, accountId),
        entry -> FeedLines.line(entry, accountId), FEED_BUFFER_MAX).subscribe(stream);
  }

  private static void refuse(RoutingContext context, Throwable failure) {
    if (failure instanceof AuthGate.Refused refused) {
      refused.applyTo(context.response());
      HttpRoutes.error(context, refused.status, refused.code, refused.getMessage());
      return;
    }
    String incident = ResolverErrors.newIncidentId();
    LOG.log(Level.SEVERE, "feed.open_failed incident=" + incident, failure);
    HttpRoutes.error(context, 503, ErrorCodes.UNAVAILABLE, "cannot open the feed now (incident " + incident + ")", incident);
  }

  private static void onContext(Context context, Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(ignored -> action.run());
    }
  }
}
