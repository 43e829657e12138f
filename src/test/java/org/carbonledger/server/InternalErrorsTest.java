package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import org.carbonledger.store.TestDatabases;
import org.junit.jupiter.api.Test;

/**
 * InternalErrorsTest checks a fault that happens before any resolver runs: checking an API key fails for a reason
 * that is not the database being down (here its table lacks a column). GraphQLHttpHandler answers 500 INTERNAL in
 * either media type, with an incident id in the message and in {@code extensions.incident}, a new one per request,
 * and nothing of the SQL error it logged.
 */
class InternalErrorsTest {

  @Test
  void aFaultWhileCheckingTheKeyIsAnOpaqueInternalErrorWithAnIncident() throws Exception {
    try (TestServer server = TestServer.start()) {
      // A well-formed token of a key id nobody has: the server must ask the database about it.
      String unknownKey = server.adminToken.substring(0, 5) + "0123456789abcdef" + server.adminToken.substring(21);
      assertEquals(401, post(server, unknownKey, "application/json").statusCode(), "a key nobody has, while the table is whole");
      Set<String> incidents = new HashSet<>();
      try (Connection connection = TestDatabases.jdbc(server.database); Statement statement = connection.createStatement()) {
        statement.execute("ALTER TABLE api_keys RENAME COLUMN secret_hash TO secret_hash_moved");
        try {
          for (String accept : new String[] {"application/json", "application/graphql-response+json"}) {
            HttpResponse<String> response = post(server, unknownKey, accept);
            assertEquals(500, response.statusCode(), response.body());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith(accept), response.headers().map().toString());
            JsonObject body = new JsonObject(response.body());
            assertEquals(1, body.getJsonArray("errors").size(), response.body());
            assertEquals(null, body.getValue("data"), response.body());
            incidents.add(InternalErrors.assertOpaque(body.getJsonArray("errors").getJsonObject(0), response.body(),
                "secret_hash", "api_keys", "column", "does not exist", "42703", "SELECT", unknownKey.substring(4, 21)));
          }
        } finally {
          statement.execute("ALTER TABLE api_keys RENAME COLUMN secret_hash_moved TO secret_hash");
        }
      }
      assertEquals(2, incidents.size(), "each fault has its own incident");
      assertEquals(401, post(server, unknownKey, "application/json").statusCode(), "the fault, not the key, made the 500");
      assertEquals(200, post(server, server.adminToken, "application/json").statusCode(), "and the server answers again");
    }
  }

  private static HttpResponse<String> post(TestServer server, String token, String accept) throws Exception {
    return server.send(server.request("/graphql").header("Content-Type", "application/json").header("Accept", accept)
        .header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"{ log { size } }\"}")));
  }
}
