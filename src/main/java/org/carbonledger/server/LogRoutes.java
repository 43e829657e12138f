package org.carbonledger.server;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import org.carbonledger.api.AuthGate;
import org.carbonledger.api.ErrorCodes;
import org.carbonledger.ledger.BundleId;
import org.carbonledger.ledger.LedgerException;
import org.carbonledger.ledger.TileId;
import org.carbonledger.ledger.TilePath;
import org.carbonledger.store.Ledger;
import org.carbonledger.store.LogReader;

/**
 * LogRoutes serves the log to verifiers as C2SP tlog-tiles (https://c2sp.org/tlog-tiles) under {@code /log}:
 * the latest signed checkpoint, hash tiles, entry bundles, and the log's verifier key. Tiles are served up
 * to the latest checkpoint's size and never change once written, so they are cacheable forever; the
 * checkpoint moves and is not cached.
 *
 * <p>The log is public and read without a key, so every request to it counts against its client address's rate
 * limit, the budget of that address's requests without a key ({@link AuthGate#chargeAnonymous}), whatever
 * Authorization header it carries: each one reads the database. A tile or entry bundle costs a sixteenth of a
 * request ({@link #TILE_REQUEST_COST}): a verifier fetches two for every 256 entries, each a lookup by key of bytes
 * that never change, so that with the default limits one address verifies at 800 tiles a second, about 100,000
 * entries a second (the verifier's own target), rather than 50 tiles.
 */
final class LogRoutes {

  /** What one tile or entry bundle request takes from its client address's rate limit; other requests take 1. */
  static final double TILE_REQUEST_COST = 1.0 / 16;

  private static final String IMMUTABLE = "public, max-age=31536000, immutable";
  private static final String TEXT = "text/plain; charset=utf-8";
  private static final String BINARY = "application/octet-stream";

  private LogRoutes() {}

  static void mount(Router router, Ledger ledger, AuthGate gate) {
    LogReader reader = ledger.reader();
    router.route("/log/*").handler(context -> charge(context, gate));
    GetRoutes.get(router, "/log/checkpoint", context -> reader.latestCheckpoint()
        .onSuccess(latest -> {
          if (latest.isEmpty()) {
            text(context, 404, "no-store", "the log has no checkpoint yet\n");
          } else {
            text(context, 200, "no-cache", latest.get().signedNote());
          }
        })
        .onFailure(context::fail));
    GetRoutes.get(router, "/log/key", context -> text(context, 200, "public, max-age=300", ledger.verifierKey() + "\n"));
    GetRoutes.getWithRegex(router, "/log/tile/.+", context -> {
      String path = context.normalizedPath().substring("/log/".length());
      Future<Optional<Buffer>> tile;
      try {
        if (path.startsWith("tile/entries/")) {
          BundleId bundle = TilePath.parseEntryBundle(path);
          tile = reader.publishedSize().compose(size -> reader.entryBundle(bundle, size));
        } else {
          TileId hashes = TilePath.parseTile(path);
          tile = reader.publishedSize().compose(size -> reader.tile(hashes, size));
        }
      } catch (LedgerException e) {
        text(context, 400, "no-store", "malformed tile path: " + e.detail() + "\n");
        return;
      }
      tile.onSuccess(found -> {
        if (found.isEmpty()) {
          text(context, 404, "no-store", "no such tile in the log's signed tree\n");
        } else {
          context.response().setStatusCode(200)
              .putHeader(HttpHeaders.CONTENT_TYPE, BINARY)
              .putHeader(HttpHeaders.CACHE_CONTROL, IMMUTABLE)
              .end(found.get());
        }
      }).onFailure(context::fail);
    });
  }

  /** Lets the request on when its client address has the budget for it, else answers 429 RATE_LIMITED with the wait. */
  private static void charge(RoutingContext context, AuthGate gate) {
    // The path as the router matched it: "/log/tile/../checkpoint" is served as the checkpoint, so it costs one.
    double cost = context.normalizedPath().startsWith("/log/tile/") ? TILE_REQUEST_COST : 1;
    long wait = gate.chargeAnonymous(gate.clientAddress(context.request()), cost);
    if (wait > 0) {
      context.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(wait));
      HttpRoutes.error(context, 429, ErrorCodes.RATE_LIMITED, "rate limit reached; retry in " + wait + " s");
      return;
    }
    context.next();
  }

  private static void text(RoutingContext context, int status, String cacheControl, String body) {
    context.response().setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, TEXT)
        .putHeader(HttpHeaders.CACHE_CONTROL, cacheControl)
        .end(body);
  }
}
