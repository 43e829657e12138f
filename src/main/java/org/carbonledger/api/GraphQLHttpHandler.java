package org.carbonledger.api;

import com.fasterxml.jackson.core.JsonParser;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.introspection.Introspection;
import graphql.language.OperationDefinition;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.carbonledger.store.DatabaseUnreachable;
import graphql.execution.instrumentation.dataloader.DataLoaderDispatchingContextKeys;
import org.dataloader.DataLoaderRegistry;

/**
 * GraphQLHttpHandler serves {@code /graphql} per the GraphQL-over-HTTP spec (graphql.github.io/graphql-over-http,
 * draft): POST with a UTF-8 {@code application/json} body, GET for queries only (a mutation over GET is 405,
 * so a link or an image tag cannot change the registry), and {@code application/graphql-response+json}
 * responses when the client accepts them, with 400 for requests that never reached execution. The client
 * never sets the root value. {@code conformance/audit.mjs} runs the spec's audit suite against it.
 */
public final class GraphQLHttpHandler implements Handler<RoutingContext> {

  static final String GRAPHQL_RESPONSE_JSON = "application/graphql-response+json";
  static final String JSON = "application/json";

  private static final Logger LOG = Logger.getLogger(GraphQLHttpHandler.class.getName());

  private final GraphQL graphQL;
  private final Supplier<DataLoaderRegistry> dataLoaders;
  private final GraphQLLimits limits;
  private final Admission admission;

  /** Admission decides who a request is, or refuses it (AuthGate.Refused); the server's is an AuthGate. */
  public interface Admission {
    Future<Principal> admit(HttpServerRequest request);
  }

  /**
   * {@code dataLoaders} makes the DataLoaders of one request; every request gets its own, so nothing loaded
   * for one principal is served to another.
   */
  public GraphQLHttpHandler(GraphQL graphQL, Supplier<DataLoaderRegistry> dataLoaders, GraphQLLimits limits, Admission admission) {
    this.graphQL = graphQL;
    this.dataLoaders = dataLoaders;
    this.limits = limits;
    this.admission = admission;
  }

  /** GraphQLRequest is the four fields of a GraphQL-over-HTTP request. */
  record GraphQLRequest(String query, String operationName, Map<String, Object> variables, Map<String, Object> extensions) {}

  /** BadRequest is a request that is not a well-formed GraphQL-over-HTTP request. */
  static final class BadRequest extends Exception {
    final int status;

    BadRequest(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  @Override
  public void handle(RoutingContext context) {
    // The body's media type depends on Accept, so a cache must not give one client's GET answer to another.
    context.response().putHeader(HttpHeaders.VARY, "Accept");
    String mediaType = negotiate(context.request().getHeader(HttpHeaders.ACCEPT));
    if (mediaType == null) {
      context.response().setStatusCode(406);
      writeErrors(context, JSON, ErrorCodes.BAD_REQUEST,
          "Accept must allow " + GRAPHQL_RESPONSE_JSON + " or " + JSON);
      return;
    }
    GraphQLRequest request;
    try {
      request = context.request().method() == HttpMethod.GET ? fromQueryString(context) : fromBody(context);
      refuseNul(request);
    } catch (BadRequest bad) {
      context.response().setStatusCode(bad.status);
      if (bad.status == 405) {
        context.response().putHeader(HttpHeaders.ALLOW, "POST");
      }
      writeErrors(context, mediaType, bad.status == 405 ? ErrorCodes.OPERATION_NOT_SUPPORTED : ErrorCodes.BAD_REQUEST, bad.getMessage());
      return;
    }
    admission.admit(context.request())
        .onSuccess(principal -> execute(context, mediaType, request, principal))
        .onFailure(failure -> refuse(context, mediaType, failure));
  }

  private void execute(RoutingContext context, String mediaType, GraphQLRequest request, Principal principal) {
    ExecutionInput input = ExecutionInput.newExecutionInput()
        .query(request.query())
        .operationName(request.operationName())
        .variables(request.variables())
        .extensions(request.extensions())
        .dataLoaderRegistry(dataLoaders.get())
        .graphQLContext(Map.of(
            // Resolvers chain loaders (a block's issuance, then its project); without this they would wait forever.
            DataLoaderDispatchingContextKeys.ENABLE_DATA_LOADER_CHAINING, true,
            Introspection.INTROSPECTION_DISABLED, !limits.introspectionEnabled(),
            Connections.PAGE_SIZE_MAX, limits.pageSizeMax(),
            Principal.class, principal))
        .build();
    long timer = context.vertx().setTimer(limits.executionTimeoutMillis(), fired -> {
      input.cancel();
      if (!context.response().ended()) {
        // This answer has no data, which graphql-response+json MUST pair with a 4xx or 5xx status; plain
        // JSON keeps 200, as the spec asks for every well-formed request in that media type.
        if (GRAPHQL_RESPONSE_JSON.equals(mediaType)) {
          context.response().setStatusCode(503);
        }
        // Parsed again only here: the cached document is inside graphql-java, and timeouts are rare.
        if (isMutation(request)) {
          // A command already queued still commits: the client must not read this as "nothing happened".
          writeErrors(context, mediaType, "OUTCOME_UNKNOWN", "the request ran longer than " + limits.executionTimeoutMillis()
              + " ms; a command it queued may still commit: repeat it with the same idempotency key to learn the outcome");
        } else {
          writeErrors(context, mediaType, "EXECUTION_TIMEOUT",
              "the request ran longer than " + limits.executionTimeoutMillis() + " ms and was cancelled");
        }
      }
    });
    graphQL.executeAsync(input).whenComplete((result, failure) -> context.vertx().runOnContext(ignored -> {
      context.vertx().cancelTimer(timer);
      if (context.response().ended()) {
        return; // timed out: the client has its answer
      }
      if (failure != null) {
        String incident = ResolverErrors.newIncidentId();
        LOG.log(Level.SEVERE, "api.execution_failed incident=" + incident, failure);
        context.response().setStatusCode(500);
        writeInternalError(context, mediaType, incident);
        return;
      }
      respond(context, mediaType, result);
    }));
  }

  private static void refuse(RoutingContext context, String mediaType, Throwable failure) {
    if (failure instanceof AuthGate.Refused refused) {
      refused.applyTo(context.response());
      writeErrors(context, mediaType, refused.code, refused.getMessage());
      return;
    }
    String incident = ResolverErrors.newIncidentId();
    if (DatabaseUnreachable.is(failure)) {
      LOG.warning("api.admission_unavailable incident=" + incident + " error=\"" + failure + "\"");
      context.response().setStatusCode(503);
      writeErrors(context, mediaType, ErrorCodes.UNAVAILABLE, "cannot check credentials now; retry later (incident " + incident + ")",
          incident);
      return;
    }
    LOG.log(Level.SEVERE, "api.admission_failed incident=" + incident, failure);
    context.response().setStatusCode(500);
    writeInternalError(context, mediaType, incident);
  }

  private static void respond(RoutingContext context, String mediaType, ExecutionResult result) {
    String encoded;
    try {
      encoded = new JsonObject(GraphQLErrorShapes.toSpecification(result)).encode();
    } catch (RuntimeException e) {
      // A result that cannot be written as JSON is our fault; the client still gets an answer, never a hang.
      String incident = ResolverErrors.newIncidentId();
      LOG.log(Level.SEVERE, "api.response_unencodable incident=" + incident, e);
      context.response().setStatusCode(500);
      writeInternalError(context, mediaType, incident);
      return;
    }
    // graphql-response+json: a request error (parse, validation, variables) has no data and answers 400.
    boolean requestError = !result.isDataPresent() && !result.getErrors().isEmpty();
    if (GRAPHQL_RESPONSE_JSON.equals(mediaType) && requestError) {
      context.response().setStatusCode(400);
    }
    context.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, mediaType + "; charset=utf-8")
        .end(encoded);
  }

  static void writeErrors(RoutingContext context, String mediaType, String code, String message) {
    writeErrors(context, mediaType, code, message, null);
  }

  /** An INTERNAL error as ResolverErrors answers one: the incident in the message and in {@code extensions.incident}. */
  private static void writeInternalError(RoutingContext context, String mediaType, String incident) {
    writeErrors(context, mediaType, ErrorCodes.INTERNAL, ResolverErrors.internalErrorMessage(incident), incident);
  }

  /** An error whose details the server logged under {@code incident} (when not null), given in {@code extensions.incident}. */
  private static void writeErrors(RoutingContext context, String mediaType, String code, String message, String incident) {
    context.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, mediaType + "; charset=utf-8")
        .end(ErrorCodes.errorsBody(code, message, incident).encode());
  }

  /**
   * The response media type for an Accept header, or null when the client accepts neither of ours. Quality
   * values count and q=0 refuses a type (RFC 9110, section 12.5.1). On a tie graphql-response+json wins only
   * when the client named it, so a bare wildcard ({@code *}/{@code *}) still gets application/json, which the
   * spec asks for until clients have moved to the new type.
   */
  static String negotiate(String accept) {
    if (accept == null || accept.isBlank()) {
      return JSON; // the spec: no Accept header means application/json
    }
    Preference json = preference(accept, JSON);
    Preference graphql = preference(accept, GRAPHQL_RESPONSE_JSON);
    boolean namedOnTie = graphql.quality() == json.quality() && graphql.specificity() == Preference.EXACT;
    if (graphql.quality() > json.quality() || (graphql.quality() > 0 && namedOnTie)) {
      return GRAPHQL_RESPONSE_JSON;
    }
    return json.quality() > 0 ? JSON : null;
  }

  /** Preference is how much a client wants one media type, and how specific the range was that said so. */
  private record Preference(double quality, int specificity) {
    static final int NONE = -1;
    static final int ANY = 0;
    static final int SAME_TYPE = 1;
    static final int EXACT = 2;
  }

  /** The quality the most specific matching media range of {@code accept} gives {@code mediaType}. */
  private static Preference preference(String accept, String mediaType) {
    String type = mediaType.substring(0, mediaType.indexOf('/'));
    Preference best = new Preference(0, Preference.NONE);
    for (String range : accept.split(",")) {
      String[] parts = range.split(";", -1); // -1: ";;" still has a (blank) first part
      String name = parts[0].trim().toLowerCase(Locale.ROOT);
      int specificity = name.equals(mediaType) ? Preference.EXACT
          : name.equals(type + "/*") ? Preference.SAME_TYPE
          : name.equals("*/*") ? Preference.ANY
          : Preference.NONE;
      if (specificity > best.specificity()) {
        best = new Preference(quality(parts), specificity);
      }
    }
    return best;
  }

  /** The q parameter of a media range; a missing or malformed one means 1, the default. */
  private static double quality(String[] rangeParts) {
    for (int i = 1; i < rangeParts.length; i++) {
      String parameter = rangeParts[i].trim();
      if (parameter.length() > 2 && parameter.substring(0, 2).equalsIgnoreCase("q=")) {
        try {
          double quality = Double.parseDouble(parameter.substring(2).trim());
          return Double.isNaN(quality) ? 1 : Math.max(0, Math.min(1, quality));
        } catch (NumberFormatException e) {
          return 1;
        }
      }
    }
    return 1;
  }

  private GraphQLRequest fromBody(RoutingContext context) throws BadRequest {
    String contentType = context.request().getHeader(HttpHeaders.CONTENT_TYPE);
    String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!mediaType.equals(JSON)) {
      throw new BadRequest(415, "POST requests must have Content-Type: application/json");
    }
    // The spec requires UTF-8; decoding another charset as UTF-8 would run a different query than was sent.
    String charset = parameter(contentType, "charset");
    if (charset != null && !charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
      throw new BadRequest(415, "the request body must be UTF-8, not " + charset);
    }
    JsonObject body;
    try {
      Object parsed = context.body().buffer() == null ? null : decodeStrictly(context.body().buffer());
      if (!(parsed instanceof JsonObject object)) {
        throw new BadRequest(400, "the request body must be a JSON object");
      }
      body = object;
    } catch (DecodeException e) {
      throw new BadRequest(400, "the request body is not valid JSON");
    }
    return new GraphQLRequest(
        requireQuery(body.getValue("query")),
        optionalString(body.getValue("operationName"), "operationName"),
        optionalObject(body.getValue("variables"), "variables"),
        optionalObject(body.getValue("extensions"), "extensions"));
  }

  private GraphQLRequest fromQueryString(RoutingContext context) throws BadRequest {
    MultiMap params = context.queryParams();
    GraphQLRequest request = new GraphQLRequest(
        requireQuery(params.get("query")),
        params.get("operationName"),
        optionalObject(decodeJson(params.get("variables"), "variables"), "variables"),
        optionalObject(decodeJson(params.get("extensions"), "extensions"), "extensions"));
    if (isMutation(request)) {
      throw new BadRequest(405, "only queries may be sent with GET; send mutations with POST");
    }
    return request;
  }

  /** The value of a parameter of a Content-Type header, unquoted, or null when it is absent. */
  private static String parameter(String contentType, String name) {
    String[] parts = contentType.split(";");
    for (int i = 1; i < parts.length; i++) {
      String[] pair = parts[i].split("=", 2);
      if (pair.length == 2 && pair[0].trim().equalsIgnoreCase(name)) {
        return pair[1].trim().replace("\"", "");
      }
    }
    return null;
  }

  /** True when the operation to run is not a query; a document that would run none is left to execution. */
  private static boolean isMutation(GraphQLRequest request) {
    return SelectedOperation.of(request.query(), request.operationName())
        .filter(operation -> operation != OperationDefinition.Operation.QUERY).isPresent();
  }

  /**
   * Refuses a request with U+0000 anywhere in its query (raw, or as the GraphQL escape) or variables: no id or
   * text may hold it, and PostgreSQL cannot store it in a text parameter, so it would reach the database as a
   * fault (and fail every command of the writer's batch) instead of as the client's error.
   */
  private static void refuseNul(GraphQLRequest request) throws BadRequest {
    if (hasNul(request.query()) || NUL_ESCAPE.matcher(request.query()).find() || hasNul(request.operationName())
        || hasNul(request.variables())) {
      throw new BadRequest(400, "the request holds the character U+0000, which no field accepts");
    }
  }

  private static final java.util.regex.Pattern NUL_ESCAPE = java.util.regex.Pattern.compile("\\\\u0000|\\\\u\\{0+\\}");

  private static boolean hasNul(Object value) {
    if (value instanceof String text) {
      return text.indexOf('\u0000') >= 0;
    } else if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (hasNul(entry.getKey()) || hasNul(entry.getValue())) {
          return true;
        }
      }
    } else if (value instanceof Iterable<?> list) {
      for (Object each : list) {
        if (hasNul(each)) {
          return true;
        }
      }
    } else if (value instanceof JsonObject object) {
      return hasNul(object.getMap());
    } else if (value instanceof JsonArray array) {
      return hasNul(array.getList());
    }
    return false;
  }

  private static String requireQuery(Object query) throws BadRequest {
    if (!(query instanceof String text) || text.isBlank()) {
      throw new BadRequest(400, "the request must have a 'query' string");
    }
    return text;
  }

  private static String optionalString(Object value, String name) throws BadRequest {
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw new BadRequest(400, "'" + name + "' must be a string");
  }

  private static Map<String, Object> optionalObject(Object value, String name) throws BadRequest {
    if (value == null) {
      return Map.of();
    }
    if (value instanceof JsonObject object) {
      return object.getMap();
    }
    throw new BadRequest(400, "'" + name + "' must be a JSON object");
  }

  private static Object decodeJson(String text, String name) throws BadRequest {
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      return decodeStrictly(Buffer.buffer(text));
    } catch (DecodeException e) {
      throw new BadRequest(400, "'" + name + "' is not valid JSON");
    }
  }

  /**
   * JSON with every member name once in its object: with a name twice, parsers differ on which value counts (a
   * proxy or a firewall in front may read the first, we the last), so such a request is refused, not guessed at.
   */
  private static Object decodeStrictly(Buffer json) {
    JsonParser parser = JacksonCodec.createParser(json);
    parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    return JacksonCodec.fromParser(parser, Object.class);
  }
}
