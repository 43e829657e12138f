package org.carbonledger.server;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.graphql.GraphiQLHandler;
import io.vertx.ext.web.handler.graphql.GraphiQLHandlerOptions;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.carbonledger.store.DatabaseUnreachable;
import org.carbonledger.api.ErrorCodes;
import org.carbonledger.api.AuthGate;
import org.carbonledger.api.GraphQLApi;
import org.carbonledger.api.ResolverErrors;
import org.carbonledger.store.Ledger;
import org.carbonledger.store.StandbyWatch;

/** HttpRoutes maps the server's URLs to their handlers. */
final class HttpRoutes {

  private static final Logger LOG = Logger.getLogger(HttpRoutes.class.getName());

  private HttpRoutes() {}

  /** {@code standby}: how far a read-only server's standby is behind its primary (absent on a writing server). */
  static Router create(Vertx vertx, ServerConfig config, GraphQLApi api, Pool pool, Ledger ledger, AuthGate gate,
      Optional<StandbyWatch> standby) {
    Router router = Router.router(vertx);
    HttpResponseCounts responses = new HttpResponseCounts();
    router.route().handler(context -> {
      securityHeaders(context, config);
      if (config.metricsEnabled()) {
        context.addEndHandler(ended -> responses.count(context.response().getStatusCode()));
      }
      context.next();
    });
    if (!config.corsOrigins().isEmpty()) {
      router.route().handler(CorsHandler.create().addOrigins(config.corsOrigins())
          .allowedMethods(java.util.Set.of(HttpMethod.GET, HttpMethod.POST))
          .allowedHeaders(java.util.Set.of("Content-Type", "Authorization", "Accept"))
          .maxAgeSeconds(600));
    }

    // The body handler only for POST: on a GET with a multipart or form Content-Type it throws (a 500), and a
    // GET's request is in its query string anyway. Before it, the body's share of the memory bodies may take.
    RequestBodies bodies = new RequestBodies(config.requestBodyBudgetBytes(), config.requestBodyBytesMax(),
        config.requestBodyTimeout(), gate);
    router.post("/graphql").handler(bodies::admit);
    router.post("/graphql").handler(BodyHandler.create(false).setBodyLimit(config.requestBodyBytesMax()));
    router.route("/graphql").method(HttpMethod.GET).method(HttpMethod.POST)
        .handler(api.httpHandler(gate::admit));
    router.route("/graphql").handler(context -> {
      context.response().putHeader(HttpHeaders.ALLOW, "GET, POST");
      error(context, 405, ErrorCodes.BAD_REQUEST, "use GET for queries or POST for any operation");
    });

    if (config.graphiqlEnabled()) {
      GraphiQLHandler graphiql = GraphiQLHandler.create(vertx, new GraphiQLHandlerOptions().setEnabled(true).setGraphQLUri("/graphql"));
      // Vert.x matches "/graphiql" for "/graphiql/" too: redirect only the bare path, or it would loop.
      router.route("/graphiql").handler(context -> {
        if (context.request().path().equals("/graphiql")) {
          context.redirect("/graphiql/");
        } else {
          context.next();
        }
      });
      router.route("/graphiql/*").subRouter(graphiql.router());
    }

    LogRoutes.mount(router, ledger, gate);
    StatementRoutes.mount(router, pool, ledger, gate);
    FeedRoutes.mount(router, ledger, gate, config.feedsPerAddressMax());
    if (config.metricsEnabled()) {
      MetricsRoutes.mount(router, ledger, standby, responses);
    }

    GetRoutes.get(router, "/health/live", context -> json(context, 200, new JsonObject().put("status", "UP")));
    GetRoutes.get(router, "/health/ready", context -> {
      if (standby.isPresent()) {
        replicaHealth(context, standby.get());
        return;
      }
      pool.query("SELECT 1 FROM schema_migrations LIMIT 1").execute()
          .onSuccess(rows -> json(context, 200, new JsonObject().put("status", "UP").put("database", "UP")))
          .onFailure(failure -> json(context, 503, new JsonObject().put("status", "DOWN").put("database", "DOWN")));
    });

    router.route().last().handler(context -> error(context, 404, ErrorCodes.NOT_FOUND, "no such resource"));
    // A client that leaves while its body arrives (closing or resetting its connection) fails the body handler:
    // nothing to answer, and nothing wrong here; anyone can do it, so it must not raise an alert.
    router.route().failureHandler(context -> {
      Throwable failure = context.failure();
      if ((failure instanceof HttpClosedException || failure instanceof IOException) && !context.request().isEnded()) {
        LOG.fine("http.client_left path=" + context.normalizedPath() + " error=\"" + failure + "\"");
        return;
      }
      context.next();
    });
    router.errorHandler(500, HttpRoutes::internalError);
    router.errorHandler(403, context -> error(context, 403, ErrorCodes.FORBIDDEN, "this origin may not call the API from a browser"));
    router.errorHandler(413, context -> error(context, 413, "REQUEST_TOO_LARGE",
        "the request body is larger than " + config.requestBodyBytesMax() + " bytes"));
    return router;
  }

  /**
   * The readiness of a read-only server, from its latest look at its standby ({@link StandbyWatch}): not ready
   * while it is behind the primary, with the reason.
   */
  private static void replicaHealth(RoutingContext context, StandbyWatch watch) {
    String behind = watch.behind();
    StandbyWatch.Status status = watch.status();
    JsonObject health = new JsonObject().put("status", behind == null ? "UP" : "DOWN")
        .put("database", watch.answering() ? "UP" : "DOWN").put("readOnly", true).put("standby", status.standby())
        .put("walReceiver", status.walReceiver()).put("replayLagSeconds", status.replayLagSeconds());
    if (behind != null) {
      health.put("reason", behind);
    }
    json(context, behind == null ? 200 : 503, health);
  }

  /**
   * The usual protective headers: no MIME sniffing, no referrer, no framing; a content security policy that
   * allows nothing on API responses (GraphiQL, a page, keeps its own needs); HSTS when serving TLS.
   */
  private static void securityHeaders(RoutingContext context, ServerConfig config) {
    var headers = context.response().headers();
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("X-Frame-Options", "DENY");
    if (!context.request().path().startsWith("/graphiql")) {
      headers.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    }
    if (config.tls().isPresent()) {
      headers.set("Strict-Transport-Security", "max-age=31536000");
    }
  }

  private static void internalError(RoutingContext context) {
    String incident = ResolverErrors.newIncidentId();
    if (DatabaseUnreachable.is(context.failure())) {
      // As on /graphql: an outage is the retryable UNAVAILABLE, not our fault.
      LOG.warning("http.database_unavailable incident=" + incident + " path=" + context.normalizedPath()
          + " error=\"" + context.failure() + "\"");
      error(context, 503, ErrorCodes.UNAVAILABLE, "the database cannot be reached now; retry later (incident " + incident + ")",
          incident);
      return;
    }
    LOG.log(Level.SEVERE, "http.failed incident=" + incident + " path=" + context.normalizedPath(), context.failure());
    error(context, 500, ErrorCodes.INTERNAL, ResolverErrors.internalErrorMessage(incident), incident);
  }

  static void error(RoutingContext context, int status, String code, String message) {
    error(context, status, code, message, null);
  }

  /** An error whose details the server logged under {@code incident}, given to the client in {@code extensions.incident}. */
  static void error(RoutingContext context, int status, String code, String message, String incident) {
    json(context, status, ErrorCodes.errorsBody(code, message, incident));
  }

  static void json(RoutingContext context, int status, JsonObject body) {
    if (context.response().ended()) {
      return;
    }
    context.response().setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
        .end(body.encode());
  }
}
