package org.carbonledger.api;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * GraphQLWebSocketMessage is one graphql-transport-ws message (github.com/enisdenjo/graphql-ws,
 * PROTOCOL.md): {@link #parse} reads and checks one from a client, the static builders make the server's.
 * The checks are the reference implementation's: a {@code type}; an {@code id} for subscribe and complete;
 * an object or nothing as the payload of connection_init, ping and pong; for subscribe a payload with a
 * string {@code query} and, when present, a string operationName and object variables and extensions.
 *
 * @param type the message type, one of the constants below
 * @param id the operation id, for subscribe and complete; null otherwise
 * @param payload the payload object, or null when the message has none
 */
record GraphQLWebSocketMessage(String type, String id, JsonObject payload) {

  static final String CONNECTION_INIT = "connection_init";
  static final String CONNECTION_ACK = "connection_ack";
  static final String PING = "ping";
  static final String PONG = "pong";
  static final String SUBSCRIBE = "subscribe";
  static final String NEXT = "next";
  static final String ERROR = "error";
  static final String COMPLETE = "complete";

  /** The longest operation id accepted: graphql-ws clients send 36-character UUIDs. */
  static final int ID_LENGTH_MAX = 64;

  /** InvalidMessage: the text is not a message a client may send; its message is the close reason. */
  static final class InvalidMessage extends Exception {
    InvalidMessage(String message) {
      super(message, null, false, false);
    }
  }

  /** Reads one message from a client; throws InvalidMessage for anything the protocol does not allow. */
  static GraphQLWebSocketMessage parse(String text) throws InvalidMessage {
    Object decoded;
    try {
      decoded = Json.decodeValue(text);
    } catch (DecodeException e) {
      throw new InvalidMessage("Invalid message received: not JSON");
    }
    if (!(decoded instanceof JsonObject message) || !(message.getValue("type") instanceof String type)) {
      throw new InvalidMessage("Invalid message received: not an object with a string 'type'");
    }
    Object payload = message.getValue("payload");
    switch (type) {
      case CONNECTION_INIT, PING, PONG -> {
        return new GraphQLWebSocketMessage(type, null, optionalObject(payload, type + " payload"));
      }
      case SUBSCRIBE -> {
        String id = id(message);
        if (!(payload instanceof JsonObject subscribe)) {
          throw new InvalidMessage("Invalid message received: subscribe needs a payload object");
        }
        if (!(subscribe.getValue("query") instanceof String)) {
          throw new InvalidMessage("Invalid message received: subscribe payload needs a string 'query'");
        }
        Object operationName = subscribe.getValue("operationName");
        if (operationName != null && !(operationName instanceof String)) {
          throw new InvalidMessage("Invalid message received: 'operationName' must be a string");
        }
        optionalObject(subscribe.getValue("variables"), "'variables'");
        optionalObject(subscribe.getValue("extensions"), "'extensions'");
        return new GraphQLWebSocketMessage(type, id, subscribe);
      }
      case COMPLETE -> {
        return new GraphQLWebSocketMessage(type, id(message), null);
      }
      case CONNECTION_ACK, NEXT, ERROR -> throw new InvalidMessage("Unexpected message of type " + type + " received");
      default -> throw new InvalidMessage("Invalid message received: unknown type");
    }
  }

  private static String id(JsonObject message) throws InvalidMessage {
    if (!(message.getValue("id") instanceof String id) || id.isEmpty()) {
      throw new InvalidMessage("Invalid message received: needs a non-empty string 'id'");
    }
    if (id.length() > ID_LENGTH_MAX) {
      throw new InvalidMessage("Invalid message received: 'id' is longer than " + ID_LENGTH_MAX + " characters");
    }
    return id;
  }

  private static JsonObject optionalObject(Object value, String name) throws InvalidMessage {
    if (value == null || value instanceof JsonObject) {
      return (JsonObject) value;
    }
    throw new InvalidMessage("Invalid message received: " + name + " must be an object");
  }

  /** The subscribe payload's query. */
  String query() {
    return payload.getString("query");
  }

  /** The subscribe payload's operationName, or null. */
  String operationName() {
    return payload.getString("operationName");
  }

  /** The subscribe payload's variables, empty when absent. */
  Map<String, Object> variables() {
    JsonObject variables = payload.getJsonObject("variables");
    return variables == null ? Map.of() : variables.getMap();
  }

  /** The subscribe payload's extensions, empty when absent. */
  Map<String, Object> extensions() {
    JsonObject extensions = payload.getJsonObject("extensions");
    return extensions == null ? Map.of() : extensions.getMap();
  }

  static String connectionAck() {
    return new JsonObject().put("type", CONNECTION_ACK).encode();
  }

  /** The answer to a ping: a pong carrying the ping's payload, as graphql-ws servers send. */
  static String pong(JsonObject pingPayload) {
    JsonObject pong = new JsonObject().put("type", PONG);
    return (pingPayload == null ? pong : pong.put("payload", pingPayload)).encode();
  }

  /** One execution result of operation {@code id}, as the GraphQL response map (data, errors). */
  static String next(String id, Map<String, Object> result) {
    return new JsonObject().put("id", id).put("type", NEXT).put("payload", new JsonObject(result)).encode();
  }

  /** The errors that end operation {@code id} before or while it runs. */
  static String error(String id, List<Map<String, Object>> errors) {
    JsonArray payload = new JsonArray();
    errors.forEach(error -> payload.add(new JsonObject(error)));
    return new JsonObject().put("id", id).put("type", ERROR).put("payload", payload).encode();
  }

  /** One error with an {@code extensions.code}, as {@link #error} takes it. */
  static Map<String, Object> errorOf(String code, String message) {
    return errorOf(code, message, Map.of());
  }

  /** One error with an {@code extensions.code} and further {@code extensions}. */
  static Map<String, Object> errorOf(String code, String message, Map<String, Object> extensions) {
    Map<String, Object> all = new java.util.LinkedHashMap<>();
    all.put("code", code);
    all.putAll(extensions);
    return Map.of("message", message, "extensions", all);
  }

  static String complete(String id) {
    return new JsonObject().put("id", id).put("type", COMPLETE).encode();
  }
}
