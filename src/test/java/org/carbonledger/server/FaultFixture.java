package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.carbonledger.store.Database;
import org.carbonledger.store.LogReader;
import org.carbonledger.store.ProjectionRebuild;
import org.carbonledger.store.TestDatabases;

/**
 * FaultFixture sets up a small registry over a server's GraphQL API (the fault tests' common ground: an
 * issuance account, a project, an issuance moved to a seller, holder keys) and checks a database after a
 * fault: the log's entries are read back and replayed into a fresh database whose projections must equal
 * the server's.
 */
final class FaultFixture {

  final String base;
  final String adminToken;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  FaultFixture(String base, String adminToken) {
    this.base = base;
    this.adminToken = adminToken;
  }

  /** POSTs a GraphQL request with {@code token} (none when null); the response, whatever it is. */
  HttpResponse<String> post(String token, String query, JsonObject variables, Duration timeout) throws IOException, InterruptedException {
    JsonObject body = new JsonObject().put("query", query).put("variables", variables);
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/graphql")).timeout(timeout)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode()));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The data of a request (as the admin) that must succeed without errors. */
  JsonObject data(String query, JsonObject variables) throws IOException, InterruptedException {
    HttpResponse<String> response = post(adminToken, query, variables, Duration.ofSeconds(30));
    JsonObject json = new JsonObject(response.body());
    if (response.statusCode() != 200 || json.containsKey("errors")) {
      throw new AssertionError("unexpected errors (" + response.statusCode() + "): " + response.body());
    }
    return json.getJsonObject("data");
  }

  /** A mutation with one {@code input} that must be accepted; its payload. */
  JsonObject mutation(String token, String field, String selection, JsonObject input) throws IOException, InterruptedException {
    JsonObject payload = attempt(token, field, selection, input, Duration.ofSeconds(30));
    if (!payload.getJsonArray("userErrors").isEmpty()) {
      throw new AssertionError(field + " was rejected: " + payload.encode());
    }
    return payload;
  }

  /** A mutation with one {@code input}; its payload (accepted or rejected). GraphQL errors fail the call. */
  JsonObject attempt(String token, String field, String selection, JsonObject input, Duration timeout) throws IOException, InterruptedException {
    JsonObject response = new JsonObject(post(token, mutationDocument(field, selection), new JsonObject().put("input", input), timeout).body());
    if (response.containsKey("errors")) {
      throw new AssertionError(field + ": " + response.encode());
    }
    return response.getJsonObject("data").getJsonObject(field);
  }

  static String mutationDocument(String field, String selection) {
    String inputType = Character.toUpperCase(field.charAt(0)) + field.substring(1) + "Input";
    return "mutation($input: " + inputType + "!) { " + field + "(input: $input) { seq leafHash userErrors { code message } " + selection + " } }";
  }

  String openAccount(String holder, String name, String type, String program) throws IOException, InterruptedException {
    return mutation(adminToken, "openAccount", "account { accountId }", new JsonObject().put("holderName", holder).put("holderCountry", "JP")
        .put("name", name).put("type", type).put("program", program)).getJsonObject("account").getString("accountId");
  }

  /** An ACCOUNT_HOLDER key for the holder of {@code account}. */
  String holderKey(String account) throws IOException, InterruptedException {
    String holderId = data("query($a: ID!) { account(accountId: $a) { holder { holderId } } }", new JsonObject().put("a", account))
        .getJsonObject("account").getJsonObject("holder").getString("holderId");
    return data("mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { token } }",
        new JsonObject().put("i", new JsonObject().put("role", "ACCOUNT_HOLDER").put("holderId", holderId).put("name", "holder " + holderId)))
        .getJsonObject("createApiKey").getString("token");
  }

  /** Opens a JCREDIT issuance account and a project, issues {@code quantity} units and moves them all to {@code seller}; the first serial. */
  long issueTo(String seller, long quantity) throws IOException, InterruptedException {
    String issuance = openAccount("J-Credit secretariat", "JCREDIT issuance", "ISSUANCE", "JCREDIT");
    String project = mutation(adminToken, "registerProject", "project { projectId }", new JsonObject()
        .put("program", "JCREDIT").put("programProjectId", "JCL-FAULT").put("name", "Forest").put("hostCountry", "JP")
        .put("methodology", "FO-001").put("category", "FORESTRY").put("mitigationType", "REMOVAL")
        .put("creditingPeriod", new JsonObject().put("start", "2020-01-01").put("end", "2030-12-31"))
        .put("activityStart", "2020-01-01").put("tseMarketClass", "FOREST"))
        .getJsonObject("project").getString("projectId");
    long serialStart = mutation(adminToken, "issueUnits", "issuance { serialStart }", new JsonObject().put("projectId", project)
        .put("vintage", 2022).put("quantity", quantity).put("unitType", "JCU")
        .put("monitoringPeriod", new JsonObject().put("start", "2022-01-01").put("end", "2022-12-31")))
        .getJsonObject("issuance").getLong("serialStart");
    mutation(adminToken, "transferUnits", "quantity", new JsonObject().put("fromAccountId", issuance).put("toAccountId", seller)
        .put("units", new JsonObject().put("quantity", quantity)));
    return serialStart;
  }

  long balance(String account) throws IOException, InterruptedException {
    return data("query($a: ID!) { account(accountId: $a) { balance } }", new JsonObject().put("a", account))
        .getJsonObject("account").getLong("balance");
  }

  long logSize() throws IOException, InterruptedException {
    return data("{ log { size } }", null).getJsonObject("log").getLong("size");
  }

  /** Every stored entry of {@code database}, in seq order. */
  static List<LogReader.StoredEntry> entries(Vertx vertx, PgConnectOptions database) {
    Pool pool = Database.pool(vertx, database, 2);
    try {
      LogReader reader = new LogReader(pool);
      List<LogReader.StoredEntry> entries = new ArrayList<>();
      for (List<LogReader.StoredEntry> page = reader.entries(0, LogReader.ENTRY_PAGE_MAX).await(); !page.isEmpty();
           page = reader.entries(entries.size(), LogReader.ENTRY_PAGE_MAX).await()) {
        entries.addAll(page);
      }
      for (int i = 0; i < entries.size(); i++) {
        assertEquals(i, entries.get(i).seq(), "entries are numbered without a gap");
      }
      return entries;
    } finally {
      pool.close().await();
    }
  }

  /** Replays the log of {@code database} into a new empty database and asserts every projection table is equal. */
  static void assertReplayRebuildsTheProjections(Vertx vertx, PgConnectOptions database) throws Exception {
    PgConnectOptions fresh = TestDatabases.create();
    Pool source = Database.pool(vertx, database, 2);
    Pool target = Database.pool(vertx, fresh, 2);
    try {
      Database.prepare(target, fresh).await();
      ProjectionRebuild.replay(new LogReader(source), target).await();
      for (String[] table : ProjectionRebuild.TABLES) {
        assertEquals(dump(database, table), dump(fresh, table), "table " + table[0] + " after replay");
      }
    } finally {
      target.close().await();
      source.close().await();
    }
  }

  private static String dump(PgConnectOptions database, String[] table) throws Exception {
    StringBuilder text = new StringBuilder(table[0]).append('\n');
    try (Connection connection = TestDatabases.jdbc(database); Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("SELECT * FROM " + table[0] + " ORDER BY " + table[1])) {
      ResultSetMetaData columns = rows.getMetaData();
      while (rows.next()) {
        for (int i = 1; i <= columns.getColumnCount(); i++) {
          text.append(rows.getString(i)).append('|');
        }
        text.append('\n');
      }
    }
    return text.toString();
  }
}
