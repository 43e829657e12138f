package org.carbonledger.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * ErrorCodes are the protocol-level values of GraphQL {@code extensions.code}, the ones not produced by a
 * registry rule. Clients may branch on them; they never change meaning.
 */
public final class ErrorCodes {
  /** The HTTP request is not a GraphQL request (bad JSON, missing query, wrong types). */
  public static final String BAD_REQUEST = "BAD_REQUEST";
  /** The document is not valid GraphQL syntax. */
  public static final String GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED";
  /** The document does not validate against the schema, or the variables do not fit their types. */
  public static final String GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED";
  /** The operation type is not available here (e.g. a mutation over GET). */
  public static final String OPERATION_NOT_SUPPORTED = "OPERATION_NOT_SUPPORTED";
  /** An argument has a value the operation cannot accept (out of range, malformed). */
  public static final String BAD_USER_INPUT = "BAD_USER_INPUT";
  /** The requested object does not exist. */
  public static final String NOT_FOUND = "NOT_FOUND";
  /** The database cannot be reached right now; retrying later may succeed. */
  public static final String UNAVAILABLE = "UNAVAILABLE";
  /** A WebSocket connection already runs as many subscriptions as it may; complete one first. */
  public static final String TOO_MANY_SUBSCRIPTIONS = "TOO_MANY_SUBSCRIPTIONS";
  /** A client address already holds as many account feeds open as it may; close one first. HTTP 429. */
  public static final String TOO_MANY_FEEDS = "TOO_MANY_FEEDS";
  /** The request needs credentials and has none, or carries an API key that is not valid. HTTP 401. */
  public static final String UNAUTHENTICATED = "UNAUTHENTICATED";
  /** The principal is known but may not do this. */
  public static final String FORBIDDEN = "FORBIDDEN";
  /** Too many requests from this principal or address; retry after the seconds in Retry-After. HTTP 429. */
  public static final String RATE_LIMITED = "RATE_LIMITED";
  /** A mutation sent to a read-only server (a replica); send it to the registry's primary servers. */
  public static final String READ_ONLY = "READ_ONLY";
  /** A fault on our side; the response carries an incident id that is also in the server log. */
  public static final String INTERNAL = "INTERNAL";

  private ErrorCodes() {}

  /**
   * The body of an error answered outside GraphQL execution (refused requests, downloads, the log's routes):
   * {@code {"errors": [{"message", "extensions": {"code", "incident"}}]}}, with the incident under which the server
   * logged the details, when there is one (else null, and left out).
   */
  public static JsonObject errorsBody(String code, String message, String incident) {
    JsonObject extensions = new JsonObject().put("code", code);
    if (incident != null) {
      extensions.put("incident", incident);
    }
    JsonObject error = new JsonObject().put("message", message).put("extensions", extensions);
    return new JsonObject().put("errors", new JsonArray().add(error));
  }
}
