package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import org.carbonledger.store.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GraphQLHttpTest checks /graphql against the GraphQL-over-HTTP spec over real HTTP: methods, media types,
 * status codes, and that every error carries a stable extensions.code and no internals.
 */
class GraphQLHttpTest {

  // The smallest execution budget the server accepts; the timeout test waits this long per request.
  private static final long TIMEOUT_MILLIS = 100;

  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> post(String contentType, String accept, String body) throws Exception {
    HttpRequest.Builder request = server.request("/graphql").POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (accept != null) {
      request.header("Accept", accept);
    }
    return server.send(request);
  }

  private static HttpResponse<String> get(String query, String accept) throws Exception {
    HttpRequest.Builder request = server.request("/graphql?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)).GET();
    if (accept != null) {
      request.header("Accept", accept);
    }
    return server.send(request);
  }

  private static String firstCode(HttpResponse<String> response) {
    return new JsonObject(response.body()).getJsonArray("errors").getJsonObject(0).getJsonObject("extensions").getString("code");
  }

  @Test
  void postAnswersJsonByDefault() throws Exception {
    HttpResponse<String> response = post("application/json", null, "{\"query\":\"{ serverVersion log { size } }\"}");
    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
    assertEquals(1, new JsonObject(response.body()).getJsonObject("data").getJsonObject("log").getLong("size"));
  }

  @Test
  void postAnswersGraphqlResponseJsonWhenAccepted() throws Exception {
    HttpResponse<String> response = post("application/json; charset=utf-8", "application/graphql-response+json, application/json;q=0.9",
        "{\"query\":\"{ serverVersion }\"}");
    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("application/graphql-response+json"));
  }

  @Test
  void getRunsQueries() throws Exception {
    HttpResponse<String> response = get("{ log { origin } }", null);
    assertEquals(200, response.statusCode());
    assertEquals("localhost/carbon-ledger", new JsonObject(response.body()).getJsonObject("data").getJsonObject("log").getString("origin"));
  }

  @Test
  void getRefusesMutationsWith405() throws Exception {
    HttpResponse<String> response = get("mutation { anything }", null);
    assertEquals(405, response.statusCode());
    assertEquals("POST", response.headers().firstValue("Allow").orElseThrow());
    assertEquals("OPERATION_NOT_SUPPORTED", firstCode(response));
  }

  /**
   * An empty operationName runs the document's first operation, as graphql-java selects: a mutation sent that way
   * over GET is refused like any other, and nothing is written.
   */
  @Test
  void getWithAnEmptyOperationNameRefusesTheMutationItWouldRun() throws Exception {
    long sizeBefore = logSize();
    for (String document : new String[] {
        "mutation M { openAccount(input: {holderName: \"x\", holderCountry: \"JP\", name: \"x\", type: HOLDING}) { seq } }",
        "mutation M { openAccount(input: {holderName: \"x\", holderCountry: \"JP\", name: \"x\", type: HOLDING}) { seq } }"
            + " query Q { serverVersion }"}) {
      HttpResponse<String> response = server.send(server.request("/graphql?operationName=&query="
          + URLEncoder.encode(document, StandardCharsets.UTF_8)).header("Authorization", "Bearer " + server.adminToken).GET());
      assertEquals(405, response.statusCode(), document + ": " + response.body());
      assertEquals("OPERATION_NOT_SUPPORTED", firstCode(response));
    }
    HttpResponse<String> query = server.send(server.request("/graphql?operationName=&query="
        + URLEncoder.encode("query Q { serverVersion } mutation M { anything }", StandardCharsets.UTF_8)).GET());
    assertEquals(200, query.statusCode(), "the first operation, a query, runs: " + query.body());
    assertEquals(sizeBefore, logSize(), "nothing was written");
  }

  private long logSize() throws Exception {
    return new JsonObject(get("{ log { size } }", null).body()).getJsonObject("data").getJsonObject("log").getLong("size");
  }

  /** A document of no operation (a fragment alone, type definitions) is the client's error by GET too, not a fault. */
  @Test
  void getWithNoOperationIsAValidationError() throws Exception {
    for (String document : new String[] {"fragment F on Query { serverVersion }", "type T { a: Int }"}) {
      HttpResponse<String> response = get(document, null);
      assertEquals(200, response.statusCode(), document + ": " + response.body());
      assertEquals("GRAPHQL_VALIDATION_FAILED", firstCode(response), response.body());
    }
  }

  /** A subscription over HTTP is refused before it runs, in either media type, instead of hanging unanswered. */
  @Test
  void postRefusesASubscription() throws Exception {
    for (String accept : new String[] {"application/json", "application/graphql-response+json"}) {
      HttpResponse<String> response = post("application/json", accept,
          new JsonObject().put("query", "subscription { entries(afterSeq: -1) { seq } }").encode());
      assertEquals(accept.equals("application/json") ? 200 : 400, response.statusCode(), response.body());
      assertEquals("OPERATION_NOT_SUPPORTED", firstCode(response), response.body());
      assertFalse(new JsonObject(response.body()).containsKey("data"), response.body());
    }
  }

  @Test
  void getPicksTheOperationBeforeRefusing() throws Exception {
    record Case(String name, String operationName, String accept, int status, String contentType) {}
    String document = "query Q { serverVersion } mutation M($input: OpenAccountInput!) { openAccount(input: $input) { __typename } }";
    for (Case c : new Case[] {
        new Case("the mutation is selected", "M", null, 405, "application/json"),
        new Case("the mutation, in graphql-response+json", "M", "application/graphql-response+json", 405,
            "application/graphql-response+json"),
        new Case("the query is selected", "Q", null, 200, "application/json")}) {
      HttpResponse<String> response = server.send(server.request("/graphql?query=" + URLEncoder.encode(document, StandardCharsets.UTF_8)
          + "&operationName=" + c.operationName()).header("Accept", c.accept() == null ? "*/*" : c.accept()).GET());
      assertEquals(c.status(), response.statusCode(), c.name());
      assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith(c.contentType()), c.name());
      assertEquals(c.status() == 200, new JsonObject(response.body()).containsKey("data"), c.name() + ": " + response.body());
    }
  }

  @Test
  void otherMethodsAre405() throws Exception {
    HttpResponse<String> response = server.send(server.request("/graphql").PUT(HttpRequest.BodyPublishers.ofString("{}")));
    assertEquals(405, response.statusCode());
    assertEquals("GET, POST", response.headers().firstValue("Allow").orElseThrow());
  }

  @Test
  void malformedRequestsAre4xxWithCodes() throws Exception {
    record Case(String name, String contentType, String body, int status) {}
    for (Case c : new Case[] {
        new Case("text/plain body", "text/plain", "{\"query\":\"{ serverVersion }\"}", 415),
        new Case("no content type", null, "{\"query\":\"{ serverVersion }\"}", 415),
        new Case("not UTF-8", "application/json; charset=iso-8859-1", "{\"query\":\"{ serverVersion }\"}", 415),
        new Case("not JSON", "application/json", "{query", 400),
        new Case("JSON array", "application/json", "[1]", 400),
        new Case("no query", "application/json", "{}", 400),
        new Case("query not a string", "application/json", "{\"query\":1}", 400),
        new Case("variables not an object", "application/json", "{\"query\":\"{ serverVersion }\",\"variables\":[]}", 400),
        new Case("operationName not a string", "application/json", "{\"query\":\"{ serverVersion }\",\"operationName\":5}", 400),
        // A name twice: a proxy reading the first and the server the last would disagree on what ran.
        new Case("query twice", "application/json", "{\"query\":\"{ serverVersion }\",\"query\":\"{ log { size } }\"}", 400),
        new Case("a variable twice", "application/json",
            "{\"query\":\"query($s: Long!) { entry(seq: $s) { seq } }\",\"variables\":{\"s\":1,\"s\":2}}", 400)}) {
      HttpResponse<String> response = post(c.contentType(), null, c.body());
      assertEquals(c.status(), response.statusCode(), c.name());
      assertEquals("BAD_REQUEST", firstCode(response), c.name());
    }
  }

  @Test
  void utf8InAnySpellingIsAccepted() throws Exception {
    for (String contentType : new String[] {"application/json;charset=UTF-8", "Application/JSON; charset=\"utf-8\"",
        "application/json; charset=utf8"}) {
      HttpResponse<String> response = post(contentType, null, "{\"query\":\"# Run\u00e9 \ud83c\udfc3\\n{ serverVersion }\"}");
      assertEquals(200, response.statusCode(), contentType);
      assertTrue(new JsonObject(response.body()).getJsonObject("data").containsKey("serverVersion"), contentType);
    }
  }

  @Test
  void acceptIsNegotiatedWithQualities() throws Exception {
    record Case(String name, String accept, int status, String contentType) {}
    String json = "application/json";
    String graphql = "application/graphql-response+json";
    for (Case c : new Case[] {
        new Case("no Accept", null, 200, json),
        new Case("any type", "*/*", 200, json),
        new Case("any application type", "application/*", 200, json),
        new Case("graphql-response+json named", graphql, 200, graphql),
        new Case("both named, same quality", json + ", " + graphql, 200, graphql),
        new Case("graphql-response+json named beside */*", graphql + ", */*", 200, graphql),
        new Case("application/json preferred", graphql + ";q=0.5, " + json, 200, json),
        new Case("graphql-response+json refused", graphql + ";q=0, */*", 200, json),
        new Case("application/json refused", json + ";q=0, */*", 200, graphql),
        new Case("both refused", json + ";q=0, " + graphql + ";q=0", 406, json),
        new Case("only other types", "text/html, image/png", 406, json)}) {
      HttpResponse<String> response = post(json, c.accept(), "{\"query\":\"{ serverVersion }\"}");
      assertEquals(c.status(), response.statusCode(), c.name());
      assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith(c.contentType()), c.name());
      assertEquals("Accept", response.headers().firstValue("Vary").orElse(""), c.name() + ": caches must key on Accept");
    }
  }

  @Test
  void clientCannotSetTheRootValue() throws Exception {
    // The stock vertx-web-graphql handler passed a client's initialValue to graphql-java as the root object.
    HttpResponse<String> response = post("application/json", null,
        "{\"query\":\"{ serverVersion }\",\"initialValue\":{\"serverVersion\":\"forged\"},\"rootValue\":{\"serverVersion\":\"forged\"}}");
    assertEquals(200, response.statusCode());
    assertNotEquals("forged", new JsonObject(response.body()).getJsonObject("data").getString("serverVersion"));
  }

  @Test
  void timeoutsHaveNoDataSoGraphqlResponseJsonIs503() throws Exception {
    String body = new JsonObject().put("query", "{ projects { pageInfo { hasNextPage } } }").encode();
    try (TestServer slow = TestServer.start("--graphql-timeout-ms", Long.toString(TIMEOUT_MILLIS));
         Connection lock = TestDatabases.jdbc(slow.database)) {
      // Holding the table's lock stalls the server's read, so the request outlives its budget every time.
      lock.setAutoCommit(false);
      try (Statement statement = lock.createStatement()) {
        statement.execute("LOCK TABLE projects IN ACCESS EXCLUSIVE MODE");
      }
      for (String accept : new String[] {"application/graphql-response+json", "application/json"}) {
        HttpResponse<String> response = slow.send(slow.request("/graphql")
            .header("Content-Type", "application/json").header("Accept", accept).POST(HttpRequest.BodyPublishers.ofString(body)));
        assertEquals(accept.equals("application/json") ? 200 : 503, response.statusCode(), accept);
        assertEquals("EXECUTION_TIMEOUT", firstCode(response), accept);
        assertFalse(new JsonObject(response.body()).containsKey("data"), accept);
      }
      lock.rollback();
    }
  }

  @Test
  void aMutationThatOutlivesItsTimeIsOutcomeUnknownAndMayStillCommit() throws Exception {
    try (TestServer slow = TestServer.start("--graphql-timeout-ms", Long.toString(TIMEOUT_MILLIS));
         Connection lock = TestDatabases.jdbc(slow.database)) {
      long before = slow.data("{ log { size } }", null).getJsonObject("log").getLong("size");
      // Holding the entries table stalls the writer: the mutation is queued, then outlives its budget.
      lock.setAutoCommit(false);
      try (Statement statement = lock.createStatement()) {
        statement.execute("LOCK TABLE entries IN ACCESS EXCLUSIVE MODE");
      }
      HttpResponse<String> response = slow.post(slow.adminToken,
          "mutation { openAccount(input: {holderName: \"Late\", holderCountry: \"JP\", name: \"late\", type: HOLDING}) { seq } }", null);
      assertEquals("OUTCOME_UNKNOWN", firstCode(response), "never 'cancelled' for a command that may commit");
      lock.rollback();
      for (int attempt = 0; attempt < 100 && slow.data("{ log { size } }", null).getJsonObject("log").getLong("size") == before; attempt++) {
        Thread.sleep(50);
      }
      assertEquals(before + 1, slow.data("{ log { size } }", null).getJsonObject("log").getLong("size"), "the queued command committed");
    }
  }

  @Test
  void badFaithIntrospectionIsALimitNotAFault() throws Exception {
    HttpResponse<String> response = post("application/json", null,
        "{\"query\":\"{ a: __schema { types { name fields { name } } } b: __schema { types { name fields { name } } } }\"}");
    assertEquals("QUERY_TOO_COMPLEX", firstCode(response));
  }

  @Test
  void unacceptableAcceptIs406() throws Exception {
    HttpResponse<String> response = post("application/json", "text/html", "{\"query\":\"{ serverVersion }\"}");
    assertEquals(406, response.statusCode());
  }

  @Test
  void parseAndValidationErrorsHaveCodesAndStatusPerMediaType() throws Exception {
    HttpResponse<String> parseJson = post("application/json", "application/json", "{\"query\":\"{ serverVersion \"}");
    assertEquals(200, parseJson.statusCode(), "application/json keeps 200 for GraphQL errors");
    assertEquals("GRAPHQL_PARSE_FAILED", firstCode(parseJson));

    HttpResponse<String> parse = post("application/json", "application/graphql-response+json", "{\"query\":\"{ serverVersion \"}");
    assertEquals(400, parse.statusCode(), "a request error answers 400 in graphql-response+json");
    assertEquals("GRAPHQL_PARSE_FAILED", firstCode(parse));

    HttpResponse<String> invalid = post("application/json", "application/graphql-response+json", "{\"query\":\"{ noSuchField }\"}");
    assertEquals(400, invalid.statusCode());
    assertEquals("GRAPHQL_VALIDATION_FAILED", firstCode(invalid));
    JsonObject error = new JsonObject(invalid.body()).getJsonArray("errors").getJsonObject(0);
    assertEquals(1, error.getJsonArray("locations").getJsonObject(0).getInteger("line"));
    assertFalse(new JsonObject(invalid.body()).containsKey("data"));

    HttpResponse<String> badVariable = post("application/json", "application/graphql-response+json",
        "{\"query\":\"query($s: Long!) { entry(seq: $s) { seq } }\",\"variables\":{\"s\":\"not a number\"}}");
    assertEquals(400, badVariable.statusCode());
    assertEquals("GRAPHQL_VALIDATION_FAILED", firstCode(badVariable));
  }

  @Test
  void resolverErrorsKeepTheirCode() throws Exception {
    HttpResponse<String> response = post("application/json", "application/graphql-response+json",
        "{\"query\":\"{ entry(seq: -1) { seq } }\"}");
    assertEquals(200, response.statusCode(), "an execution error is a 200 with partial data");
    assertEquals("BAD_USER_INPUT", firstCode(response));
    assertFalse(response.body().contains("Exception"), "no internals: " + response.body());
  }

  @Test
  void oversizedBodiesAre413() throws Exception {
    String huge = "{\"query\":\"{ serverVersion }\",\"variables\":{\"pad\":\"" + "x".repeat(1 << 20) + "\"}}";
    HttpResponse<String> response = post("application/json", null, huge);
    assertEquals(413, response.statusCode());
    assertEquals("REQUEST_TOO_LARGE", firstCode(response));
  }

  @Test
  void unknownPathsAre404WithACode() throws Exception {
    HttpResponse<String> response = server.send(server.request("/nothing/here").GET());
    assertEquals(404, response.statusCode());
    assertEquals("NOT_FOUND", firstCode(response));
  }

  @Test
  void healthAndGraphiql() throws Exception {
    assertEquals(200, server.send(server.request("/health/live").GET()).statusCode());
    HttpResponse<String> ready = server.send(server.request("/health/ready").GET());
    assertEquals(200, ready.statusCode());
    assertEquals("UP", new JsonObject(ready.body()).getString("database"));
    HttpResponse<String> graphiql = server.send(server.request("/graphiql/").GET());
    assertEquals(200, graphiql.statusCode());
    assertTrue(graphiql.body().contains("GraphiQL"));
  }
}
