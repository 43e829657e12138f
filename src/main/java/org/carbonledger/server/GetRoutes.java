package org.carbonledger.server;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.carbonledger.api.ErrorCodes;

/**
 * GetRoutes mounts resources that are only read: GET, and HEAD with it (RFC 9110, section 9.1: a server that
 * answers GET answers HEAD; load balancers check health with HEAD), which runs the same handler and gets the same
 * status and headers without the body (Vert.x sends no body to a HEAD). Any other method on such a resource is
 * 405 with {@code Allow}, as on {@code /graphql}, not the 404 of a resource that does not exist.
 */
final class GetRoutes {

  static final String ALLOW = "GET, HEAD";

  private GetRoutes() {}

  /** Serves {@code path} (a Vert.x path, which may have parameters such as {@code :accountId}) to GET and HEAD. */
  static void get(Router router, String path, Handler<RoutingContext> handler) {
    readOnly(router.route(path), router.route(path), handler);
  }

  /** Serves the paths that match {@code regex} to GET and HEAD. */
  static void getWithRegex(Router router, String regex, Handler<RoutingContext> handler) {
    readOnly(router.routeWithRegex(regex), router.routeWithRegex(regex), handler);
  }

  private static void readOnly(Route reads, Route others, Handler<RoutingContext> handler) {
    reads.method(HttpMethod.GET).method(HttpMethod.HEAD).handler(handler);
    others.handler(GetRoutes::methodNotAllowed);
  }

  private static void methodNotAllowed(RoutingContext context) {
    context.response().putHeader(HttpHeaders.ALLOW, ALLOW);
    HttpRoutes.error(context, 405, ErrorCodes.BAD_REQUEST, "this resource is only read: use GET or HEAD");
  }
}
