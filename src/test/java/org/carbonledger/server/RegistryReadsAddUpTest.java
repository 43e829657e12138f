package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.carbonledger.store.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RegistryReadsAddUpTest checks that the registry's aggregate reads (conservation, statistics by every dimension,
 * balances and blocks by state) agree with one another and with the movements that made them. It has its own
 * server, so that what it counts is exactly what its setup wrote, whatever other tests do and in whatever order
 * they run: two projects that differ in every statistics dimension, issued, moved, retired and cancelled.
 */
class RegistryReadsAddUpTest {

  private static TestServer server;
  private static FaultFixture registry;
  private static String forestProject;
  private static String forestIssuance;
  private static String stovesProject;
  private static String alice;
  private static String bob;
  private static String jcreditIssuance;
  private static String gsIssuance;
  private static long forestFirst;
  /** What the setup's issuances, retirements and cancellations were: year of the entry, project, kind, units. */
  private static final List<Event> events = new ArrayList<>();

  private record Project(String program, String category, String mitigationType, String hostCountry) {
    String key(String dimension) {
      if (dimension == null) {
        return null;
      }
      return switch (dimension) {
        case "PROGRAM" -> program;
        case "CATEGORY" -> category;
        case "MITIGATION_TYPE" -> mitigationType;
        case "HOST_COUNTRY" -> hostCountry;
        default -> throw new IllegalArgumentException(dimension);
      };
    }
  }

  private record Event(int year, Project project, String kind, long units) {}

  private static final Project FOREST = new Project("JCREDIT", "FORESTRY", "REMOVAL", "JP");
  private static final Project STOVES = new Project("GS", "HOUSEHOLD_DEVICES", "REDUCTION", "KE");

  @BeforeAll
  static void setUp() throws Exception {
    server = TestServer.start();
    registry = new FaultFixture(server.base, server.adminToken);
    jcreditIssuance = registry.openAccount("J-Credit secretariat", "JCREDIT issuance", "ISSUANCE", "JCREDIT");
    gsIssuance = registry.openAccount("Gold Standard", "GS issuance", "ISSUANCE", "GS");
    alice = registry.openAccount("Alice Forestry", "Alice", "HOLDING", null);
    bob = registry.openAccount("Bob Airways", "Bob", "HOLDING", null);
    String aliceKey = registry.holderKey(alice);
    String bobKey = registry.holderKey(bob);
    forestProject = project(FOREST, "JCL-1", "Forest", "FO-001");
    stovesProject = project(STOVES, "GS-7", "Cookstoves", "TPDDTEC");

    JsonObject forest = issue(forestProject, 2022, 1000);
    forestIssuance = forest.getString("issuanceId");
    forestFirst = forest.getLong("serialStart");
    long stovesFirst = issue(stovesProject, 2021, 250).getLong("serialStart");

    // Transfers move units but are neither issued, retired nor cancelled: statistics must not count them.
    registry.mutation(server.adminToken, "transferUnits", "quantity", new JsonObject().put("fromAccountId", jcreditIssuance)
        .put("toAccountId", alice).put("units", range(forestFirst, forestFirst + 999)));
    registry.mutation(server.adminToken, "transferUnits", "quantity", new JsonObject().put("fromAccountId", gsIssuance)
        .put("toAccountId", bob).put("units", range(stovesFirst, stovesFirst + 49)));
    registry.mutation(aliceKey, "transferUnits", "quantity", new JsonObject().put("fromAccountId", alice).put("toAccountId", bob)
        .put("units", range(forestFirst + 120, forestFirst + 419)));
    record(FOREST, "RETIRED", 100, registry.mutation(aliceKey, "retireUnits", "", new JsonObject().put("accountId", alice)
        .put("units", range(forestFirst, forestFirst + 99)).put("purpose", "VOLUNTARY_OFFSET")
        .put("beneficiaryName", "Alice Forestry").put("reportingYear", 2024)));
    record(FOREST, "CANCELLED", 20, registry.mutation(aliceKey, "cancelUnits", "", new JsonObject().put("accountId", alice)
        .put("units", range(forestFirst + 100, forestFirst + 119)).put("reason", "OTHER")));
    record(STOVES, "RETIRED", 10, registry.mutation(bobKey, "retireUnits", "", new JsonObject().put("accountId", bob)
        .put("units", range(stovesFirst, stovesFirst + 9)).put("purpose", "VOLUNTARY_OFFSET")
        .put("beneficiaryName", "Bob Airways").put("reportingYear", 2024)));
  }

  @AfterAll
  static void tearDown() {
    server.close();
  }

  private static String project(Project project, String programId, String name, String methodology) throws Exception {
    return registry.mutation(server.adminToken, "registerProject", "project { projectId }", new JsonObject()
        .put("program", project.program()).put("programProjectId", programId).put("name", name).put("hostCountry", project.hostCountry())
        .put("methodology", methodology).put("category", project.category()).put("mitigationType", project.mitigationType())
        .put("creditingPeriod", new JsonObject().put("start", "2020-01-01").put("end", "2030-12-31"))
        .put("activityStart", "2020-01-01")).getJsonObject("project").getString("projectId");
  }

  private static JsonObject issue(String projectId, int vintage, long quantity) throws Exception {
    JsonObject payload = registry.mutation(server.adminToken, "issueUnits", "issuance { issuanceId serialStart }",
        new JsonObject().put("projectId", projectId).put("vintage", vintage).put("quantity", quantity).put("unitType", "JCU")
            .put("monitoringPeriod", new JsonObject().put("start", vintage + "-01-01").put("end", vintage + "-12-31")));
    record(projectId.equals(forestProject) ? FOREST : STOVES, "ISSUED", quantity, payload);
    return payload.getJsonObject("issuance");
  }

  /** Records an event at the year of the payload's entry: statistics count by the entry's year, not the vintage. */
  private static void record(Project project, String kind, long units, JsonObject payload) throws Exception {
    String time = server.data("{ entry(seq: " + payload.getLong("seq") + ") { time } }", null).getJsonObject("entry").getString("time");
    int year = Instant.parse(time).atZone(ZoneOffset.UTC).getYear();
    events.add(new Event(year, project, kind, units));
  }

  private static JsonObject range(long start, long end) {
    return new JsonObject().put("serialRanges", new JsonArray().add(new JsonObject().put("start", start).put("end", end)));
  }

  @Test
  void conservationBalancesEachProjectsVintageAndAgreesWithBalancesAndBlocks() throws Exception {
    JsonArray conservation = server.data("{ conservation { projectId vintage issued active retired cancelled balanced } }", null)
        .getJsonArray("conservation");
    JsonObject forest = new JsonObject().put("projectId", forestProject).put("vintage", 2022).put("issued", 1000).put("active", 880)
        .put("retired", 100).put("cancelled", 20).put("balanced", true);
    JsonObject stoves = new JsonObject().put("projectId", stovesProject).put("vintage", 2021).put("issued", 250).put("active", 240)
        .put("retired", 10).put("cancelled", 0).put("balanced", true);
    assertEquals(Map.of(forestProject, forest, stovesProject, stoves), byProject(conservation), conservation.encode());
    assertEquals(new JsonArray().add(forest), server.data("query($p: ID) { conservation(projectId: $p) { projectId vintage issued active "
        + "retired cancelled balanced } }", new JsonObject().put("p", forestProject)).getJsonArray("conservation"), "one project's rows");

    // The same units counted from balances and from blocks by state.
    long held = 0;
    for (String account : List.of(jcreditIssuance, gsIssuance, alice, bob)) {
      held += registry.balance(account);
    }
    assertEquals(880 + 240, held);
    assertEquals(100 + 10, blockQuantity("RETIRED"));
    assertEquals(20, blockQuantity("CANCELLED"));
    assertEquals(880 + 240, blockQuantity("ACTIVE"));
  }

  /** A vintage whose units do not add up (here a block shrunk by hand) is reported, not hidden. */
  @Test
  void conservationReportsAVintageThatDoesNotAddUp() throws Exception {
    JsonObject variables = new JsonObject().put("p", forestProject);
    String query = "query($p: ID) { conservation(projectId: $p) { issued active retired cancelled balanced } }";
    try (Connection connection = TestDatabases.jdbc(server.database); Statement statement = connection.createStatement()) {
      String alicesBlock = " WHERE issuance_id = '" + forestIssuance + "' AND serial_start = " + (forestFirst + 420);
      assertEquals(1, statement.executeUpdate("UPDATE blocks SET serial_end = serial_end - 5" + alicesBlock));
      try {
        assertEquals(new JsonObject().put("issued", 1000).put("active", 875).put("retired", 100).put("cancelled", 20).put("balanced", false),
            server.data(query, variables).getJsonArray("conservation").getJsonObject(0));
      } finally {
        statement.executeUpdate("UPDATE blocks SET serial_end = serial_end + 5" + alicesBlock);
      }
    }
    assertEquals(true, server.data(query, variables).getJsonArray("conservation").getJsonObject(0).getBoolean("balanced"));
  }

  private static Map<String, JsonObject> byProject(JsonArray rows) {
    Map<String, JsonObject> found = new HashMap<>();
    for (Object row : rows) {
      assertEquals(null, found.put(((JsonObject) row).getString("projectId"), (JsonObject) row), "one row per project and vintage");
    }
    return found;
  }

  private static long blockQuantity(String state) throws Exception {
    return server.data("{ blocks(first: 100, filter: {state: " + state + "}) { edges { node { quantity } } } }", null)
        .getJsonObject("blocks").getJsonArray("edges").stream()
        .mapToLong(edge -> ((JsonObject) edge).getJsonObject("node").getLong("quantity")).sum();
  }

  @Test
  void statisticsCountIssuedRetiredAndCancelledUnitsPerYearAndDimension() throws Exception {
    for (String dimension : new String[] {null, "PROGRAM", "CATEGORY", "MITIGATION_TYPE", "HOST_COUNTRY"}) {
      Map<String, List<Long>> expected = new HashMap<>();
      for (Event event : events) {
        List<Long> counts = expected.computeIfAbsent(event.year() + "/" + event.project().key(dimension), k -> new ArrayList<>(List.of(0L, 0L, 0L)));
        int column = List.of("ISSUED", "RETIRED", "CANCELLED").indexOf(event.kind());
        counts.set(column, counts.get(column) + event.units());
      }
      JsonArray rows = server.data("{ statistics" + (dimension == null ? "" : "(groupBy: " + dimension + ")")
          + " { year key issued retired cancelled } }", null).getJsonArray("statistics");
      Map<String, List<Long>> answered = new HashMap<>();
      for (Object each : rows) {
        JsonObject row = (JsonObject) each;
        assertEquals(null, answered.put(row.getInteger("year") + "/" + row.getString("key"),
            List.of(row.getLong("issued"), row.getLong("retired"), row.getLong("cancelled"))), "one row per year and key: " + rows);
      }
      assertEquals(expected, answered, "statistics by " + dimension + ": " + rows.encode());
    }
  }

  @Test
  void readsJoinAcrossObjects() throws Exception {
    JsonObject page = server.data("{ blocks(first: 100, filter: {issuanceId: \"" + forestIssuance + "\"}) { edges { node { serialNumber "
        + "quantity state issuance { vintage project { name hostCountry } } account { accountId name holder { name accounts { accountId } } } } } } }",
        null).getJsonObject("blocks");
    JsonArray edges = page.getJsonArray("edges");
    assertTrue(edges.size() >= 4, "retired, cancelled, Alice's and Bob's: " + edges.encode());
    for (Object edge : edges) {
      JsonObject node = ((JsonObject) edge).getJsonObject("node");
      assertEquals(new JsonObject().put("vintage", 2022).put("project", new JsonObject().put("name", "Forest").put("hostCountry", "JP")),
          node.getJsonObject("issuance"), node.encode());
      assertTrue(node.getString("serialNumber").startsWith("JCREDIT-JCU-JP-" + forestProject + "-2022-" + forestIssuance + "-"), node.encode());
      JsonObject account = node.getJsonObject("account");
      assertTrue(account.getJsonObject("holder").getJsonArray("accounts").contains(new JsonObject().put("accountId", account.getString("accountId"))),
          "an account's holder holds it: " + node.encode());
    }
    JsonObject eligibility = server.data("query($s: String!) { corsiaEligibility(serial: $s, compliancePeriod: FIRST_PHASE) { eligible reasons } }",
        new JsonObject().put("s", Long.toString(forestFirst + 500))).getJsonObject("corsiaEligibility");
    assertEquals(false, eligibility.getBoolean("eligible"));
    assertTrue(eligibility.getJsonArray("reasons").contains("NOT_AUTHORISED_FOR_OIMP"), eligibility.encode());
  }
}
