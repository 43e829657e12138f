package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.carbonledger.ledger.Hashes;
import org.carbonledger.ledger.Hex;
import org.carbonledger.ledger.InclusionReceipt;
import org.carbonledger.ledger.NoteVerifier;
import org.carbonledger.registry.Ids;
import org.carbonledger.store.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RegistryApiTest drives the registry through GraphQL over real HTTP, as a registry UI would: accounts, a
 * project, an issuance, transfers and a retirement; then reads them back, follows a unit's chain of custody
 * and checks every step's receipt offline, and checks that each rejected mutation answers its reject code
 * and leaves the log as it was.
 */
class RegistryApiTest {

  private static TestServer server;
  private static String issuanceAccount;
  private static String alice;
  private static String bob;
  private static String projectId;
  private static String aliceKey;
  private static String bobKey;
  private static String issuanceId;

  @BeforeAll
  static void setUp() throws Exception {
    server = TestServer.start();
    issuanceAccount = openAccount("J-Credit secretariat", "JCREDIT issuance", "ISSUANCE", "JCREDIT");
    alice = openAccount("Alice Forestry", "Alice", "HOLDING", null);
    bob = openAccount("Bob Airways", "Bob", "HOLDING", null);
    aliceKey = holderKey(alice);
    bobKey = holderKey(bob);
    projectId = mutation("registerProject", "project { projectId }", new JsonObject()
        .put("program", "JCREDIT").put("programProjectId", "JCL-1").put("name", "Forest").put("hostCountry", "JP")
        .put("methodology", "FO-001").put("category", "FORESTRY").put("mitigationType", "REMOVAL")
        .put("creditingPeriod", new JsonObject().put("start", "2020-01-01").put("end", "2030-12-31"))
        .put("activityStart", "2020-01-01").put("tseMarketClass", "FOREST"))
        .getJsonObject("project").getString("projectId");
    JsonObject issued = mutation("issueUnits", "issuance { issuanceId quantity serialStart serialEnd serialNumber correspondingAdjustment }",
        new JsonObject().put("projectId", projectId).put("vintage", 2022).put("quantity", 1000).put("unitType", "JCU")
            .put("monitoringPeriod", new JsonObject().put("start", "2022-01-01").put("end", "2022-12-31")));
    issuanceId = issued.getJsonObject("issuance").getString("issuanceId");
    assertEquals(1000, issued.getJsonObject("issuance").getLong("quantity"));
    assertEquals("NOT_REQUIRED", issued.getJsonObject("issuance").getString("correspondingAdjustment"));
    mutation("transferUnits", "quantity", new JsonObject().put("fromAccountId", issuanceAccount).put("toAccountId", alice)
        .put("units", new JsonObject().put("quantity", 1000)));
  }

  @AfterAll
  static void tearDown() {
    server.close();
  }

  /** An ACCOUNT_HOLDER key for the holder of {@code account}: movements out of an account need its holder's key. */
  static String holderKey(String account) throws Exception {
    String holderId = server.data("query($a: ID!) { account(accountId: $a) { holder { holderId } } }", new JsonObject().put("a", account))
        .getJsonObject("account").getJsonObject("holder").getString("holderId");
    return server.data("mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { token problems } }",
        new JsonObject().put("i", new JsonObject().put("role", "ACCOUNT_HOLDER").put("holderId", holderId).put("name", "holder " + holderId)))
        .getJsonObject("createApiKey").getString("token");
  }

  private static String openAccount(String holder, String name, String type, String program) throws Exception {
    return mutation("openAccount", "account { accountId }", new JsonObject().put("holderName", holder).put("holderCountry", "JP")
        .put("name", name).put("type", type).put("program", program)).getJsonObject("account").getString("accountId");
  }

  /** Sends a mutation as the admin; returns its payload, which MUST have no user errors. */
  private static JsonObject mutation(String field, String selection, JsonObject input) throws Exception {
    return mutation(server.adminToken, field, selection, input);
  }

  /** Sends a mutation with the key {@code token}; returns its payload, which MUST have no user errors. */
  private static JsonObject mutation(String token, String field, String selection, JsonObject input) throws Exception {
    JsonObject payload = attempt(token, field, selection, input);
    assertTrue(payload.getJsonArray("userErrors").isEmpty(), field + ": " + payload.encode());
    return payload;
  }

  /** Sends a mutation with the key {@code token} and returns its payload, whatever it says. */
  private static JsonObject attempt(String token, String field, String selection, JsonObject input) throws Exception {
    String inputType = switch (field) {
      case "suspendAccount", "reactivateAccount", "closeAccount" -> "AccountStatusInput";
      default -> Character.toUpperCase(field.charAt(0)) + field.substring(1) + "Input";
    };
    JsonObject response = new JsonObject(server.post(token, "mutation($input: " + inputType + "!) { " + field
        + "(input: $input) { seq leafHash userErrors { code message } " + selection + " } }", new JsonObject().put("input", input)).body());
    if (response.containsKey("errors")) {
      throw new AssertionError(field + ": " + response.encode());
    }
    return response.getJsonObject("data").getJsonObject(field);
  }

  private static long logSize() throws Exception {
    return server.data("{ log { size } }", null).getJsonObject("log").getLong("size");
  }

  private static long balance(String account) throws Exception {
    return server.data("query($a: ID!) { account(accountId: $a) { balance } }", new JsonObject().put("a", account))
        .getJsonObject("account").getLong("balance");
  }

  @Test
  void aMutationAnswersItsCommittedEntry() throws Exception {
    JsonObject payload = mutation(aliceKey, "transferUnits", "quantity serialRanges { start end } entry { seq type canonicalJson }",
        new JsonObject().put("fromAccountId", alice).put("toAccountId", bob)
            .put("units", new JsonObject().put("quantity", 10)).put("reference", "TRADE-1"));
    assertEquals(10, payload.getLong("quantity"));
    JsonObject entry = payload.getJsonObject("entry");
    assertEquals(payload.getLong("seq"), entry.getLong("seq"));
    assertEquals("UNITS_TRANSFERRED", entry.getString("type"));
    assertEquals(payload.getString("leafHash"), Hex.encode(Hashes.leafHash(entry.getString("canonicalJson").getBytes(StandardCharsets.UTF_8))));
    assertTrue(entry.getString("canonicalJson").contains("\"reference\":\"TRADE-1\""));
    assertEquals(payload.getLong("seq") + 1, logSize(), "the answer came after the entry was in the signed log");
    mutation(bobKey, "transferUnits", "quantity", new JsonObject().put("fromAccountId", bob).put("toAccountId", alice)
        .put("units", new JsonObject().put("quantity", 10)));
  }

  @Test
  void rejectedMutationsAnswerTheirCodeAndWriteNothing() throws Exception {
    record Case(String token, String field, JsonObject input, String code) {}
    JsonObject quantity = new JsonObject().put("quantity", 5);
    String unknown = Ids.format(Ids.Kind.ACCOUNT, 99);
    String mistyped = unknown.substring(0, 9) + (unknown.charAt(9) == 'Z' ? 'Y' : 'Z');
    String admin = server.adminToken;
    for (Case c : new Case[] {
        new Case(aliceKey, "transferUnits", new JsonObject().put("fromAccountId", alice).put("toAccountId", alice).put("units", quantity), "SAME_ACCOUNT"),
        new Case(aliceKey, "transferUnits", new JsonObject().put("fromAccountId", alice).put("toAccountId", mistyped).put("units", quantity), "ID_MALFORMED"),
        new Case(aliceKey, "transferUnits", new JsonObject().put("fromAccountId", alice).put("toAccountId", unknown).put("units", quantity), "ACCOUNT_NOT_FOUND"),
        new Case(aliceKey, "transferUnits", new JsonObject().put("fromAccountId", alice).put("toAccountId", bob)
            .put("units", new JsonObject().put("quantity", 0)), "QUANTITY_MUST_BE_POSITIVE"),
        new Case(bobKey, "transferUnits", new JsonObject().put("fromAccountId", bob).put("toAccountId", alice).put("units", quantity), "UNITS_NOT_HELD"),
        new Case(aliceKey, "transferUnits", new JsonObject().put("fromAccountId", alice).put("toAccountId", bob)
            .put("units", new JsonObject().put("quantity", 5).put("serialRanges", new JsonArray())), "FIELD_INVALID"),
        new Case(aliceKey, "transferUnits", new JsonObject().put("fromAccountId", alice).put("toAccountId", issuanceAccount).put("units", quantity),
            "ACCOUNT_TYPE_CANNOT_RECEIVE"),
        new Case(admin, "issueUnits", new JsonObject().put("projectId", projectId).put("vintage", 2022).put("quantity", 5).put("unitType", "JCU")
            .put("monitoringPeriod", new JsonObject().put("start", "2022-06-01").put("end", "2022-06-30")), "MONITORING_PERIOD_ALREADY_ISSUED"),
        new Case(admin, "closeAccount", new JsonObject().put("accountId", alice).put("reason", "test"), "ACCOUNT_HAS_UNITS")}) {
      long before = logSize();
      JsonObject payload = attempt(c.token(), c.field(), "", c.input());
      assertEquals(c.code(), payload.getJsonArray("userErrors").getJsonObject(0).getString("code"), c.code() + ": " + payload.encode());
      assertNull(payload.getValue("seq"), c.code());
      assertNull(payload.getValue("leafHash"), c.code());
      assertEquals(before, logSize(), c.code() + " wrote an entry");
    }
  }

  /** A unit passed back and forth has a long custody: its steps are all there, but not with a receipt each. */
  @Test
  void aLongCustodyIsAnsweredWithoutReceipts() throws Exception {
    String carol = openAccount("Carol Ping", "Carol ping", "HOLDING", null);
    String dave = openAccount("Dave Pong", "Dave pong", "HOLDING", null);
    Map<String, String> keyOf = Map.of(carol, holderKey(carol), dave, holderKey(dave));
    String project = mutation("registerProject", "project { projectId }", new JsonObject()
        .put("program", "JCREDIT").put("programProjectId", "JCL-PINGPONG").put("name", "Ping pong").put("hostCountry", "JP")
        .put("methodology", "EN-S-001").put("category", "ENERGY_SAVING").put("mitigationType", "REDUCTION")
        .put("creditingPeriod", new JsonObject().put("start", "2020-01-01").put("end", "2030-12-31"))
        .put("activityStart", "2020-01-01")).getJsonObject("project").getString("projectId");
    long serial = mutation("issueUnits", "issuance { serialStart }", new JsonObject().put("projectId", project).put("vintage", 2021)
        .put("quantity", 1).put("unitType", "JCU")
        .put("monitoringPeriod", new JsonObject().put("start", "2021-01-01").put("end", "2021-12-31")))
        .getJsonObject("issuance").getLong("serialStart");
    JsonObject one = new JsonObject().put("serialRanges", new JsonArray().add(new JsonObject().put("start", serial).put("end", serial)));
    mutation("transferUnits", "quantity", new JsonObject().put("fromAccountId", issuanceAccount).put("toAccountId", carol).put("units", one));
    String holder = carol;
    for (int pass = 0; pass < 200; pass++) { // ISSUED, then 201 transfers
      String next = holder.equals(carol) ? dave : carol;
      mutation(keyOf.get(holder), "transferUnits", "quantity", new JsonObject().put("fromAccountId", holder).put("toAccountId", next)
          .put("units", one));
      holder = next;
    }
    JsonObject variables = new JsonObject().put("s", Long.toString(serial));
    assertEquals(202, server.data("query($s: String!) { chainOfCustody(serial: $s) { steps { kind } } }", variables)
        .getJsonObject("chainOfCustody").getJsonArray("steps").size());
    assertEquals("CUSTODY_TOO_LONG", server.errorCode(
        "query($s: String!) { chainOfCustody(serial: $s) { steps { kind receipt { tlogProof } } } }", variables));
  }

  /** A letter of a named activity authorises that project's units, and no other project can draw on its quantity. */
  @Test
  void aLetterThatNamesItsProjectsAuthorisesOnlyThem() throws Exception {
    String other = mutation("registerProject", "project { projectId }", new JsonObject()
        .put("program", "JCREDIT").put("programProjectId", "JCL-OTHER-LOA").put("name", "Other").put("hostCountry", "JP")
        .put("methodology", "EN-S-001").put("category", "ENERGY_SAVING").put("mitigationType", "REDUCTION")
        .put("creditingPeriod", new JsonObject().put("start", "2020-01-01").put("end", "2030-12-31"))
        .put("activityStart", "2020-01-01")).getJsonObject("project").getString("projectId");
    JsonObject letter = mutation("recordAuthorisation", "authorisation { authorisationId projectIds }", new JsonObject()
        .put("hostCountry", "JP").put("loaReference", "LOA-NAMED").put("loaDate", "2024-01-01").put("purpose", "OIMP")
        .put("firstTransferDefinition", "ISSUANCE").put("authorisedQuantity", 100).put("vintageFrom", 2021).put("vintageTo", 2021)
        .put("projectIds", new JsonArray().add(other))).getJsonObject("authorisation");
    assertEquals(new JsonArray().add(other), letter.getJsonArray("projectIds"));
    JsonObject issue = new JsonObject().put("vintage", 2021).put("quantity", 10).put("unitType", "JCU")
        .put("authorisationId", letter.getString("authorisationId"))
        .put("monitoringPeriod", new JsonObject().put("start", "2021-01-01").put("end", "2021-12-31"));
    JsonObject refused = attempt(server.adminToken, "issueUnits", "issuance { issuanceId }", issue.copy().put("projectId", projectId));
    assertEquals("AUTHORISATION_PROJECT_NOT_COVERED", refused.getJsonArray("userErrors").getJsonObject(0).getString("code"),
        refused.encode());
    mutation("issueUnits", "issuance { issuanceId }", issue.copy().put("projectId", other));
    // A letter naming a project of another country is refused.
    JsonObject foreign = attempt(server.adminToken, "recordAuthorisation", "authorisation { authorisationId }", new JsonObject()
        .put("hostCountry", "TH").put("loaReference", "LOA-TH-NAMED").put("loaDate", "2024-01-01").put("purpose", "OIMP")
        .put("firstTransferDefinition", "ISSUANCE").put("authorisedQuantity", 100).put("vintageFrom", 2021).put("vintageTo", 2021)
        .put("projectIds", new JsonArray().add(other)));
    assertEquals("AUTHORISATION_HOST_COUNTRY_MISMATCH", foreign.getJsonArray("userErrors").getJsonObject(0).getString("code"),
        foreign.encode());
    // An empty list is not "any project" by accident: leaving it out is.
    JsonObject empty = attempt(server.adminToken, "recordAuthorisation", "authorisation { authorisationId }", new JsonObject()
        .put("hostCountry", "JP").put("loaReference", "LOA-EMPTY").put("loaDate", "2024-01-01").put("purpose", "OIMP")
        .put("firstTransferDefinition", "ISSUANCE").put("authorisedQuantity", 100).put("vintageFrom", 2021).put("vintageTo", 2021)
        .put("projectIds", new JsonArray()));
    assertEquals("FIELD_INVALID", empty.getJsonArray("userErrors").getJsonObject(0).getString("code"), empty.encode());
  }

  @Test
  void theCorrespondingAdjustmentIsAStepOfTheUnitsCustody() throws Exception {
    String loa = mutation("recordAuthorisation", "authorisation { authorisationId }", new JsonObject().put("hostCountry", "JP")
        .put("loaReference", "LOA-CUSTODY").put("loaDate", "2024-01-01").put("purpose", "OIMP")
        .put("firstTransferDefinition", "ISSUANCE").put("authorisedQuantity", 100).put("vintageFrom", 2023).put("vintageTo", 2023))
        .getJsonObject("authorisation").getString("authorisationId");
    JsonObject issuance = mutation("issueUnits", "issuance { issuanceId serialStart serialEnd }", new JsonObject()
        .put("projectId", projectId).put("vintage", 2023).put("quantity", 100).put("unitType", "JCU").put("authorisationId", loa)
        .put("monitoringPeriod", new JsonObject().put("start", "2023-01-01").put("end", "2023-12-31"))).getJsonObject("issuance");
    long first = issuance.getLong("serialStart");
    long adjusted = mutation("applyCorrespondingAdjustment", "", new JsonObject().put("issuanceId", issuance.getString("issuanceId"))
        .put("hostCountry", "JP").put("reportReference", "BTR-2025")).getLong("seq");
    String carol = openAccount("Carol Trading", "Carol", "HOLDING", null); // the other tests count Alice's and Bob's units
    mutation("transferUnits", "quantity", new JsonObject().put("fromAccountId", issuanceAccount).put("toAccountId", carol)
        .put("units", new JsonObject().put("serialRanges", new JsonArray().add(new JsonObject().put("start", first).put("end", first + 9)))));

    JsonArray steps = server.data("query($s: String!) { chainOfCustody(serial: $s) { steps { kind fromAccountId toAccountId "
        + "serialRange { start end } entry { seq type canonicalJson } receipt { tlogProof } } } }",
        new JsonObject().put("s", Long.toString(first))).getJsonObject("chainOfCustody").getJsonArray("steps");
    assertEquals(List.of("ISSUED", "CORRESPONDING_ADJUSTMENT_APPLIED", "TRANSFERRED"),
        steps.stream().map(step -> ((JsonObject) step).getString("kind")).toList());
    JsonObject adjustment = steps.getJsonObject(1);
    assertEquals(adjusted, adjustment.getJsonObject("entry").getLong("seq"));
    assertEquals("CORRESPONDING_ADJUSTMENT_APPLIED", adjustment.getJsonObject("entry").getString("type"));
    assertNull(adjustment.getValue("fromAccountId"));
    assertNull(adjustment.getValue("toAccountId"));
    assertEquals(new JsonObject().put("start", first).put("end", issuance.getLong("serialEnd")), adjustment.getJsonObject("serialRange"));
    NoteVerifier key = NoteVerifier.parse(server.server.ledger().verifierKey());
    InclusionReceipt.parse(adjustment.getJsonObject("receipt").getString("tlogProof")).verifyEntry(
        adjustment.getJsonObject("entry").getString("canonicalJson").getBytes(StandardCharsets.UTF_8), "localhost/carbon-ledger", key);
    // A unit of an issuance without an adjustment has none in its history.
    JsonArray plain = server.data("query($s: String!) { chainOfCustody(serial: $s) { steps { kind } } }",
        new JsonObject().put("s", "1")).getJsonObject("chainOfCustody").getJsonArray("steps");
    assertTrue(plain.stream().noneMatch(step -> ((JsonObject) step).getString("kind").equals("CORRESPONDING_ADJUSTMENT_APPLIED")));
  }

  /**
   * ICAO's first phase accepts a letter attesting that the host will apply the corresponding adjustment: its units
   * are eligible and retire for CORSIA before the adjustment, which stays owed; without the attestation they wait
   * for it, and the second phase waits for it either way.
   */
  @Test
  void aFirstPhaseRetirementMayRestOnTheLettersAttestation() throws Exception {
    String attested = letter("LOA-ATTESTED", true);
    String plain = letter("LOA-PLAIN", false);
    assertEquals(true, attestation(attested));
    assertEquals(false, attestation(plain));
    JsonObject onAttestation = corsiaIssuance(attested, "2025-01-01", "2025-06-30");
    JsonObject onPlainLetter = corsiaIssuance(plain, "2025-07-01", "2025-12-31");

    assertEquals(List.of(), reasons(onAttestation, "FIRST_PHASE"));
    assertEquals(List.of("CORRESPONDING_ADJUSTMENT_NOT_APPLIED"), reasons(onAttestation, "SECOND_PHASE"));
    assertEquals(List.of("CORRESPONDING_ADJUSTMENT_NOT_APPLIED"), reasons(onPlainLetter, "FIRST_PHASE"));

    String airline = openAccount("Attested Airways", "Attested Airways", "HOLDING", null);
    for (JsonObject issuance : List.of(onAttestation, onPlainLetter)) {
      mutation("transferUnits", "quantity", new JsonObject().put("fromAccountId", issuanceAccount).put("toAccountId", airline)
          .put("units", firstTen(issuance)));
    }
    JsonObject retire = new JsonObject().put("accountId", airline).put("purpose", "CORSIA").put("beneficiaryName", "Attested Airways")
        .put("reportingYear", 2025).put("corsia", new JsonObject().put("operator", "Attested Airways").put("operatorState", "JP")
            .put("compliancePeriod", "FIRST_PHASE"));
    String airlineKey = holderKey(airline);
    mutation(airlineKey, "retireUnits", "quantity", retire.copy().put("units", firstTen(onAttestation)));
    assertEquals("CORRESPONDING_ADJUSTMENT_NOT_APPLIED", attempt(airlineKey, "retireUnits", "",
        retire.copy().put("units", firstTen(onPlainLetter))).getJsonArray("userErrors").getJsonObject(0).getString("code"));
    assertEquals("PENDING", server.data("query($id: ID!) { issuance(issuanceId: $id) { correspondingAdjustment } }",
        new JsonObject().put("id", onAttestation.getString("issuanceId"))).getJsonObject("issuance")
        .getString("correspondingAdjustment"), "the adjustment is still owed");
  }

  /** Records an OIMP letter for vintage 2025, with or without the attestation; returns its id. */
  private static String letter(String reference, boolean attested) throws Exception {
    return mutation("recordAuthorisation", "authorisation { authorisationId }", new JsonObject().put("hostCountry", "JP")
        .put("loaReference", reference).put("loaDate", "2024-01-01").put("purpose", "OIMP").put("firstTransferDefinition", "ISSUANCE")
        .put("authorisedQuantity", 100).put("vintageFrom", 2025).put("vintageTo", 2025).put("correspondingAdjustmentAttested", attested))
        .getJsonObject("authorisation").getString("authorisationId");
  }

  private static boolean attestation(String authorisationId) throws Exception {
    return server.data("query($id: ID!) { authorisation(authorisationId: $id) { correspondingAdjustmentAttested } }",
        new JsonObject().put("id", authorisationId)).getJsonObject("authorisation").getBoolean("correspondingAdjustmentAttested");
  }

  /** Issues 100 units of vintage 2025 labelled for both CORSIA phases under the letter. */
  private static JsonObject corsiaIssuance(String letter, String start, String end) throws Exception {
    return mutation("issueUnits", "issuance { issuanceId serialStart }", new JsonObject().put("projectId", projectId)
        .put("vintage", 2025).put("quantity", 100).put("unitType", "JCU").put("authorisationId", letter)
        .put("labels", new JsonArray().add("CORSIA_FIRST_PHASE").add("CORSIA_SECOND_PHASE"))
        .put("monitoringPeriod", new JsonObject().put("start", start).put("end", end))).getJsonObject("issuance");
  }

  private static JsonObject firstTen(JsonObject issuance) {
    long first = issuance.getLong("serialStart");
    return new JsonObject().put("serialRanges", new JsonArray().add(new JsonObject().put("start", first).put("end", first + 9)));
  }

  private static List<Object> reasons(JsonObject issuance, String period) throws Exception {
    return server.data("query($s: String!) { corsiaEligibility(serial: $s, compliancePeriod: " + period + ") { reasons } }",
        new JsonObject().put("s", Long.toString(issuance.getLong("serialStart")))).getJsonObject("corsiaEligibility")
        .getJsonArray("reasons").getList();
  }

  @Test
  void retiredUnitsNeverMoveAgainAndTheirCustodyIsProvable() throws Exception {
    JsonObject retired = mutation(aliceKey, "retireUnits", "serialRanges { start end } entry { seq canonicalJson receipt { seq tlogProof } }",
        new JsonObject().put("accountId", alice)
        .put("units", new JsonObject().put("quantity", 100)).put("purpose", "VOLUNTARY_OFFSET")
        .put("beneficiaryName", "Alice Forestry").put("reportingYear", 2024));
    // The retirement's payload carries its own receipt, which a buyer checks offline with the log's key.
    JsonObject retirement = retired.getJsonObject("entry");
    assertEquals(retired.getLong("seq"), retirement.getJsonObject("receipt").getLong("seq"));
    InclusionReceipt.parse(retirement.getJsonObject("receipt").getString("tlogProof")).verifyEntry(
        retirement.getString("canonicalJson").getBytes(StandardCharsets.UTF_8), "localhost/carbon-ledger",
        NoteVerifier.parse(server.server.ledger().verifierKey()));
    JsonObject range = retired.getJsonArray("serialRanges").getJsonObject(0);
    long serial = range.getLong("start");
    JsonObject again = attempt(aliceKey, "transferUnits", "", new JsonObject().put("fromAccountId", alice).put("toAccountId", bob)
        .put("units", new JsonObject().put("serialRanges", new JsonArray().add(range))));
    assertEquals("UNITS_ALREADY_RETIRED", again.getJsonArray("userErrors").getJsonObject(0).getString("code"), "double use");
    JsonObject eligibility = server.data("query($s: String!) { corsiaEligibility(serial: $s, compliancePeriod: FIRST_PHASE) "
        + "{ eligible reasons } }", new JsonObject().put("s", Long.toString(serial))).getJsonObject("corsiaEligibility");
    assertEquals(false, eligibility.getBoolean("eligible"));
    assertEquals("UNITS_RETIRED", eligibility.getJsonArray("reasons").getString(0), "a retired unit is claimed by no one again");

    JsonObject custody = server.data("query($s: String!) { chainOfCustody(serial: $s) { serial block { state serialNumber } "
        + "steps { kind fromAccountId toAccountId entry { seq canonicalJson } receipt { tlogProof } } } }",
        new JsonObject().put("s", Long.toString(serial))).getJsonObject("chainOfCustody");
    assertEquals("RETIRED", custody.getJsonObject("block").getString("state"));
    JsonArray steps = custody.getJsonArray("steps");
    assertEquals("ISSUED", steps.getJsonObject(0).getString("kind"));
    assertEquals("TRANSFERRED", steps.getJsonObject(1).getString("kind"));
    assertEquals("RETIRED", steps.getJsonObject(steps.size() - 1).getString("kind"));
    NoteVerifier key = NoteVerifier.parse(server.server.ledger().verifierKey());
    for (Object step : steps) {
      JsonObject json = (JsonObject) step;
      byte[] entry = json.getJsonObject("entry").getString("canonicalJson").getBytes(StandardCharsets.UTF_8);
      InclusionReceipt.parse(json.getJsonObject("receipt").getString("tlogProof")).verifyEntry(entry, "localhost/carbon-ledger", key);
    }
    // Entries and receipts are fetched only when selected, however they are selected (here through a fragment).
    JsonArray kindsOnly = server.data("query($s: String!) { chainOfCustody(serial: $s) { steps { kind } } }",
        new JsonObject().put("s", Long.toString(serial))).getJsonObject("chainOfCustody").getJsonArray("steps");
    assertEquals(steps.size(), kindsOnly.size());
    assertEquals(new JsonObject().put("kind", "RETIRED"), kindsOnly.getJsonObject(steps.size() - 1));
    JsonArray viaFragment = server.data("query($s: String!) { chainOfCustody(serial: $s) { steps { ...Proven } } } "
            + "fragment Proven on CustodyStep { r: receipt { tlogProof } }",
        new JsonObject().put("s", Long.toString(serial))).getJsonObject("chainOfCustody").getJsonArray("steps");
    assertEquals(steps.getJsonObject(0).getJsonObject("receipt").getString("tlogProof"),
        viaFragment.getJsonObject(0).getJsonObject("r").getString("tlogProof"));
    String serialNumber = custody.getJsonObject("block").getString("serialNumber");
    JsonObject resolved = server.data("query($s: String!) { resolveSerial(serial: $s) { serialStart block { state account { accountId } } } }",
        new JsonObject().put("s", serialNumber)).getJsonObject("resolveSerial");
    assertEquals(alice, resolved.getJsonObject("block").getJsonObject("account").getString("accountId"));
    assertEquals("SERIAL_NUMBER_MALFORMED", server.errorCode("{ resolveSerial(serial: \"JCREDIT-nonsense\") { serialStart } }", null));
    assertEquals("SERIAL_NOT_ISSUED", server.errorCode("{ resolveSerial(serial: \"9000000\") { serialStart } }", null));
  }

  @Test
  void frozenAccountsCannotMoveUnits() throws Exception {
    mutation("suspendAccount", "account { status }", new JsonObject().put("accountId", alice).put("reason", "court order"));
    JsonObject frozen = attempt(aliceKey, "transferUnits", "", new JsonObject().put("fromAccountId", alice).put("toAccountId", bob)
        .put("units", new JsonObject().put("quantity", 1)));
    assertEquals("ACCOUNT_NOT_ACTIVE", frozen.getJsonArray("userErrors").getJsonObject(0).getString("code"));
    JsonObject reactivated = mutation("reactivateAccount", "account { status }", new JsonObject().put("accountId", alice).put("reason", "lifted"));
    assertEquals("ACTIVE", reactivated.getJsonObject("account").getString("status"));
  }

  @Test
  void aBalanceIsReadWithItsAccountAndAMissingBalanceRowIsAnErrorNotZero() throws Exception {
    long aliceBalance = balance(alice);
    JsonArray page = server.data("{ accounts(first: 100) { edges { node { accountId balance } } } }", null)
        .getJsonObject("accounts").getJsonArray("edges");
    for (Object edge : page) {
      JsonObject node = ((JsonObject) edge).getJsonObject("node");
      assertEquals(balance(node.getString("accountId")), node.getLong("balance"), "a page's balances are the accounts' own");
    }
    try (Connection connection = TestDatabases.jdbc(server.database); Statement statement = connection.createStatement()) {
      statement.execute("DELETE FROM account_balances WHERE account_id = '" + alice + "'");
      try {
        String body = server.post(server.adminToken, "query($a: ID!) { account(accountId: $a) { name balance } }",
            new JsonObject().put("a", alice)).body();
        JsonObject response = new JsonObject(body);
        assertEquals("Alice", response.getJsonObject("data").getJsonObject("account").getString("name"), "the rest of the account still reads");
        assertNull(response.getJsonObject("data").getJsonObject("account").getValue("balance"));
        JsonObject error = response.getJsonArray("errors").getJsonObject(0);
        InternalErrors.assertOpaque(error, body, alice, "balance row", "projection");
        assertEquals(List.of("account", "balance"), error.getJsonArray("path").getList());
      } finally {
        statement.execute("INSERT INTO account_balances (account_id, active) VALUES ('" + alice + "', " + aliceBalance + ")");
      }
    }
    assertEquals(aliceBalance, balance(alice));
  }

  @Test
  void aCustodyStepWithoutItsEntryIsAnErrorWhenTheEntryIsAskedFor() throws Exception {
    JsonObject serial = new JsonObject().put("s", "1");
    long steps = server.data("query($s: String!) { chainOfCustody(serial: $s) { steps { kind } } }", serial)
        .getJsonObject("chainOfCustody").getJsonArray("steps").size();
    long beyondTheLog = 1_000_000_000L;
    try (Connection connection = TestDatabases.jdbc(server.database); Statement statement = connection.createStatement()) {
      statement.execute("INSERT INTO movements (seq, position, kind, serial_start, serial_end, issuance_id, from_account, to_account) "
          + "VALUES (" + beyondTheLog + ", 0, 'TRANSFERRED', 1, 1, '" + issuanceId + "', '" + alice + "', '" + bob + "')");
      try {
        JsonArray kinds = server.data("query($s: String!) { chainOfCustody(serial: $s) { steps { kind toAccountId } } }", serial)
            .getJsonObject("chainOfCustody").getJsonArray("steps");
        assertEquals(steps + 1, kinds.size(), "without entries, the step is listed as the projection has it");
        assertEquals(bob, kinds.getJsonObject(kinds.size() - 1).getString("toAccountId"), "steps in seq order");
        String body = server.post(server.adminToken, "query($s: String!) { chainOfCustody(serial: $s) { steps { entry { seq } } } }",
            serial).body();
        JsonObject response = new JsonObject(body);
        assertNull(response.getValue("data") == null ? null : response.getJsonObject("data").getValue("chainOfCustody"),
            "a step whose entry the log lacks is never answered without it: " + body);
        InternalErrors.assertOpaque(response.getJsonArray("errors").getJsonObject(0), body, Long.toString(beyondTheLog), "no entry in the log");
      } finally {
        statement.execute("DELETE FROM movements WHERE seq = " + beyondTheLog);
      }
    }
  }
}
