package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.carbonledger.registry.Ids;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * AccessControlTest is the access matrix, over real HTTP: every mutation and every private query, for every
 * role (and a holder of another account). Allowed requests succeed; denied ones answer UNAUTHENTICATED or
 * FORBIDDEN and write nothing (the log's size is unchanged). Then the failure paths of authentication:
 * revoked, malformed and foreign keys, and brute force meeting the rate limit.
 */
class AccessControlTest {

  private static TestServer server;
  private static final Map<String, String> keys = new LinkedHashMap<>();
  private static String alice;
  private static String aliceHolder;
  private static String spareKey;
  private static String authorisedIssuance;
  private static String projectId;

  @BeforeAll
  static void setUp() throws Exception {
    server = TestServer.start();
    String issuanceAccount = open("Secretariat", "ISSUANCE", "JCREDIT");
    alice = open("Alice", "HOLDING", null);
    String bob = open("Bob", "HOLDING", null);
    aliceHolder = holderOf(alice);
    keys.put("admin", server.adminToken);
    keys.put("alice (owner)", createKey("ACCOUNT_HOLDER", aliceHolder));
    keys.put("bob (other holder)", createKey("ACCOUNT_HOLDER", holderOf(bob)));
    keys.put("auditor", createKey("AUDITOR", null));
    keys.put("public", null);
    spareKey = server.data("mutation { createApiKey(input: {role: AUDITOR, name: \"spare\"}) { key { keyId } } }", null)
        .getJsonObject("createApiKey").getJsonObject("key").getString("keyId");
    projectId = server.data("mutation { registerProject(input: {program: \"JCREDIT\", programProjectId: \"P-1\", name: \"Forest\", "
        + "hostCountry: \"JP\", methodology: \"FO-001\", category: FORESTRY, mitigationType: REMOVAL, "
        + "creditingPeriod: {start: \"2020-01-01\", end: \"2030-12-31\"}, activityStart: \"2020-01-01\"}) { project { projectId } } }", null)
        .getJsonObject("registerProject").getJsonObject("project").getString("projectId");
    String loa = server.data("mutation { recordAuthorisation(input: {hostCountry: \"JP\", loaReference: \"LOA-1\", loaDate: \"2024-01-01\", "
        + "purpose: OIMP, firstTransferDefinition: ISSUANCE, authorisedQuantity: 1000, vintageFrom: 2021, vintageTo: 2030}) "
        + "{ authorisation { authorisationId } } }", null)
        .getJsonObject("recordAuthorisation").getJsonObject("authorisation").getString("authorisationId");
    authorisedIssuance = issue(2021, loa);
    issue(2022, null);
    server.data("mutation($i: TransferUnitsInput!) { transferUnits(input: $i) { seq } }", new JsonObject().put("i", new JsonObject()
        .put("fromAccountId", issuanceAccount).put("toAccountId", alice).put("units", new JsonObject().put("quantity", 100))));
  }

  @AfterAll
  static void tearDown() {
    server.close();
  }

  private static String open(String name, String type, String program) throws Exception {
    return server.data("mutation($i: OpenAccountInput!) { openAccount(input: $i) { account { accountId } } }", new JsonObject().put("i",
        new JsonObject().put("holderName", name).put("holderCountry", "JP").put("name", name).put("type", type).put("program", program)))
        .getJsonObject("openAccount").getJsonObject("account").getString("accountId");
  }

  private static String holderOf(String account) throws Exception {
    return server.data("query($a: ID!) { account(accountId: $a) { holder { holderId } } }", new JsonObject().put("a", account))
        .getJsonObject("account").getJsonObject("holder").getString("holderId");
  }

  private static String createKey(String role, String holderId) throws Exception {
    return server.data("mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { token } }", new JsonObject().put("i",
        new JsonObject().put("role", role).put("holderId", holderId).put("name", role + " " + holderId)))
        .getJsonObject("createApiKey").getString("token");
  }

  private static String issue(int vintage, String authorisation) throws Exception {
    return server.data("mutation($i: IssueUnitsInput!) { issueUnits(input: $i) { issuance { issuanceId } } }", new JsonObject().put("i",
        new JsonObject().put("projectId", projectId).put("vintage", vintage).put("quantity", 500).put("unitType", "JCU")
            .put("authorisationId", authorisation)
            .put("monitoringPeriod", new JsonObject().put("start", vintage + "-01-01").put("end", vintage + "-12-31"))))
        .getJsonObject("issueUnits").getJsonObject("issuance").getString("issuanceId");
  }

  private static long logSize() throws Exception {
    return server.data("{ log { size } }", null).getJsonObject("log").getLong("size");
  }

  /** An operation of the matrix: its GraphQL document, and the keys that may run it. */
  private record Operation(String name, String document, List<String> allowed) {}

  private static List<Operation> mutations() {
    List<String> admin = List.of("admin");
    List<String> owner = List.of("alice (owner)");
    return List.of(
        new Operation("openAccount", "mutation { openAccount(input: {holderName: \"N\", holderCountry: \"JP\", name: \"N\", type: HOLDING}) { seq } }", admin),
        new Operation("suspendAccount", "mutation { suspendAccount(input: {accountId: \"" + alice + "\", reason: \"r\"}) { seq } }", admin),
        new Operation("reactivateAccount", "mutation { reactivateAccount(input: {accountId: \"" + alice + "\", reason: \"r\"}) { seq } }", admin),
        new Operation("registerProject", "mutation { registerProject(input: {program: \"JCREDIT\", programProjectId: \"P-2\", name: \"X\", "
            + "hostCountry: \"JP\", methodology: \"M\", category: WASTE, mitigationType: REDUCTION, "
            + "creditingPeriod: {start: \"2020-01-01\", end: \"2030-12-31\"}, activityStart: \"2020-01-01\"}) { seq } }", admin),
        new Operation("recordAuthorisation", "mutation { recordAuthorisation(input: {hostCountry: \"JP\", loaReference: \"LOA-2\", "
            + "loaDate: \"2024-01-01\", purpose: NDC, firstTransferDefinition: ISSUANCE, authorisedQuantity: 10, vintageFrom: 2021, vintageTo: 2030}) { seq } }", admin),
        new Operation("issueUnits", "mutation { issueUnits(input: {projectId: \"" + projectId + "\", vintage: 2023, quantity: 5, unitType: \"JCU\", "
            + "monitoringPeriod: {start: \"2023-01-01\", end: \"2023-12-31\"}}) { seq } }", admin),
        new Operation("applyCorrespondingAdjustment", "mutation { applyCorrespondingAdjustment(input: {issuanceId: \"" + authorisedIssuance
            + "\", hostCountry: \"JP\", reportReference: \"BTR-1\"}) { seq } }", admin),
        new Operation("transferUnits", "mutation { transferUnits(input: {fromAccountId: \"" + alice + "\", toAccountId: \"OTHER_ACCOUNT\", units: {quantity: 1}}) { seq } }", owner),
        new Operation("retireUnits", "mutation { retireUnits(input: {accountId: \"" + alice + "\", units: {quantity: 1}, purpose: VOLUNTARY_OFFSET, "
            + "beneficiaryName: \"Alice\", reportingYear: 2024}) { seq } }", owner),
        new Operation("cancelUnits", "mutation { cancelUnits(input: {accountId: \"" + alice + "\", units: {quantity: 1}, reason: OTHER}) { seq } }", owner),
        new Operation("cancelUnits for INVALIDATION", "mutation { cancelUnits(input: {accountId: \"" + alice
            + "\", units: {quantity: 1}, reason: INVALIDATION}) { seq } }", admin),
        new Operation("createApiKey", "mutation { createApiKey(input: {role: AUDITOR, name: \"made in the matrix\"}) { key { keyId } } }", admin),
        new Operation("revokeApiKey", "mutation { revokeApiKey(input: {keyId: \"" + spareKey + "\"}) { key { revokedAt } } }", admin));
  }

  private static List<Operation> privateQueries() {
    List<String> ownerAndOperators = List.of("admin", "alice (owner)", "auditor");
    return List.of(
        new Operation("account", "{ account(accountId: \"" + alice + "\") { accountId name balance } }", ownerAndOperators),
        new Operation("accountHolder", "{ accountHolder(holderId: \"" + aliceHolder + "\") { name } }", ownerAndOperators),
        new Operation("accounts", "{ accounts(filter: {holderId: \"" + aliceHolder + "\"}) { edges { node { accountId } } } }", ownerAndOperators),
        new Operation("holdings", "{ blocks(filter: {accountId: \"" + alice + "\"}) { edges { node { quantity } } } }", ownerAndOperators),
        new Operation("apiKeys", "{ apiKeys { keyId role } }", List.of("admin", "auditor")));
  }

  @Test
  void everyOperationForEveryRole() throws Exception {
    for (Operation operation : mutations()) {
      for (Map.Entry<String, String> key : keys.entrySet()) {
        String document = operation.document().replace("OTHER_ACCOUNT", otherAccount());
        check(operation.name(), document, key, operation.allowed().contains(key.getKey()), true);
      }
    }
    for (Operation operation : privateQueries()) {
      for (Map.Entry<String, String> key : keys.entrySet()) {
        check(operation.name(), operation.document(), key, operation.allowed().contains(key.getKey()), false);
      }
    }
  }

  @Test
  void theRegistryInvalidatesUnitsInAnAccountItSuspended() throws Exception {
    String admin = server.adminToken;
    String owner = keys.get("alice (owner)");
    server.data("mutation { suspendAccount(input: {accountId: \"" + alice + "\", reason: \"fraud inquiry\"}) { seq } }", null);
    try {
      String cancel = "mutation { cancelUnits(input: {accountId: \"" + alice + "\", units: {quantity: 2}, reason: REASON}) "
          + "{ quantity userErrors { code } } }";
      JsonObject byHolder = new JsonObject(server.post(owner, cancel.replace("REASON", "OTHER"), null).body())
          .getJsonObject("data").getJsonObject("cancelUnits");
      assertEquals("ACCOUNT_NOT_ACTIVE", byHolder.getJsonArray("userErrors").getJsonObject(0).getString("code"), "frozen for its holder");
      long before = logSize();
      JsonObject invalidated = new JsonObject(server.post(admin, cancel.replace("REASON", "INVALIDATION"), null).body())
          .getJsonObject("data").getJsonObject("cancelUnits");
      assertTrue(invalidated.getJsonArray("userErrors").isEmpty(), invalidated.encode());
      assertEquals(2, invalidated.getLong("quantity"));
      assertEquals(before + 1, logSize());
    } finally {
      server.data("mutation { reactivateAccount(input: {accountId: \"" + alice + "\", reason: \"inquiry closed\"}) { seq } }", null);
    }
  }

  private static String otherAccount;

  private static String otherAccount() throws Exception {
    if (otherAccount == null) {
      otherAccount = open("Carol", "HOLDING", null);
    }
    return otherAccount;
  }

  private static void check(String name, String document, Map.Entry<String, String> key, boolean allowed, boolean writes) throws Exception {
    long before = logSize();
    HttpResponse<String> response = server.post(key.getValue(), document, null);
    JsonObject body = new JsonObject(response.body());
    String what = name + " as " + key.getKey() + ": " + response.body();
    if (allowed) {
      assertFalse(body.containsKey("errors"), what);
      Object result = body.getJsonObject("data").getValue(body.getJsonObject("data").fieldNames().iterator().next());
      assertTrue(result != null, what);
      if (result instanceof JsonObject payload && payload.containsKey("userErrors")) {
        assertTrue(payload.getJsonArray("userErrors").isEmpty(), what);
      }
      if (writes && !name.endsWith("ApiKey")) {
        assertEquals(before + 1, logSize(), what);
      }
    } else {
      JsonArray errors = body.getJsonArray("errors");
      assertTrue(errors != null && !errors.isEmpty(), what);
      assertEquals(key.getValue() == null ? "UNAUTHENTICATED" : "FORBIDDEN",
          errors.getJsonObject(0).getJsonObject("extensions").getString("code"), what);
      assertEquals(before, logSize(), "a denied " + what + " wrote an entry");
    }
  }

  @Test
  void anAccountNamedBeforeItOpensIsLookedUpAgainOnceItDoes() throws Exception {
    String opened = open("Carol", "HOLDING", null);
    String next = Ids.format(Ids.Kind.ACCOUNT, Ids.number(Ids.Kind.ACCOUNT, opened) + 1);
    String transfer = "mutation { transferUnits(input: {fromAccountId: \"" + next + "\", toAccountId: \"" + alice
        + "\", units: {quantity: 1}}) { seq userErrors { code } } }";
    JsonObject early = new JsonObject(server.post(keys.get("alice (owner)"), transfer, null).body());
    assertEquals("FORBIDDEN", early.getJsonArray("errors").getJsonObject(0).getJsonObject("extensions").getString("code"),
        "no account " + next + " yet: " + early);
    String aliceSecond = server.data("mutation($i: OpenAccountInput!) { openAccount(input: $i) { account { accountId } } }",
        new JsonObject().put("i", new JsonObject().put("holderId", aliceHolder).put("name", "Alice 2").put("type", "HOLDING")))
        .getJsonObject("openAccount").getJsonObject("account").getString("accountId");
    assertEquals(next, aliceSecond);
    JsonObject later = new JsonObject(server.post(keys.get("alice (owner)"), transfer, null).body());
    assertFalse(later.containsKey("errors"), "Alice may operate her new account: " + later);
    assertEquals("UNITS_NOT_HELD", later.getJsonObject("data").getJsonObject("transferUnits").getJsonArray("userErrors")
        .getJsonObject(0).getString("code"), "judged by the rules now, not refused at the edge: " + later);
    JsonObject bob = new JsonObject(server.post(keys.get("bob (other holder)"), transfer, null).body());
    assertEquals("FORBIDDEN", bob.getJsonArray("errors").getJsonObject(0).getJsonObject("extensions").getString("code"),
        "the facts kept for the account still name Alice's holder: " + bob);
  }

  @Test
  void entriesNameTheirPrincipal() throws Exception {
    String keyId = server.data("{ apiKeys { keyId role holderId } }", null).getJsonArray("apiKeys").stream()
        .map(JsonObject.class::cast).filter(key -> aliceHolder.equals(key.getString("holderId")))
        .findFirst().orElseThrow().getString("keyId");
    HttpResponse<String> response = server.post(keys.get("alice (owner)"), "mutation { retireUnits(input: {accountId: \"" + alice
        + "\", units: {quantity: 2}, purpose: VOLUNTARY_OFFSET, beneficiaryName: \"Alice\", reportingYear: 2024}) "
        + "{ entry { data } } }", null);
    JsonObject data = new JsonObject(response.body()).getJsonObject("data").getJsonObject("retireUnits").getJsonObject("entry").getJsonObject("data");
    assertEquals(keyId, data.getString("principal"));
    assertFalse(response.body().contains(keys.get("alice (owner)")), "never the secret");
  }

  @Test
  void theConfiguredRateLimitHoldsEachKeyToItsOwnBudget() throws Exception {
    try (TestServer server = TestServer.start("--rate-limit", "1", "--rate-limit-burst", "4")) {
      String auditor = server.data("mutation { createApiKey(input: {role: AUDITOR, name: \"reader\"}) { token } }", null)
          .getJsonObject("createApiKey").getString("token");
      // The key's creation was its first request. The burst of 4 passes; soon after, one is refused (under the
      // default burst of 200 none of these 20 would be). A slow machine may refill a token or two meanwhile.
      int accepted = 1;
      HttpResponse<String> limited = null;
      for (int request = 0; request < 20 && limited == null; request++) {
        HttpResponse<String> response = server.post(server.adminToken, "{ log { size } }", null);
        if (response.statusCode() == 429) {
          limited = response;
        } else {
          assertEquals(200, response.statusCode(), response.body());
          accepted++;
        }
      }
      assertTrue(limited != null, "20 requests at once never met the configured limit");
      assertTrue(accepted >= 4, "the burst of 4 passes first; accepted " + accepted);
      assertEquals("RATE_LIMITED", new JsonObject(limited.body()).getJsonArray("errors").getJsonObject(0)
          .getJsonObject("extensions").getString("code"));
      assertEquals(200, server.post(auditor, "{ log { size } }", null).statusCode(), "another key has its own budget");
    }
  }

  /** Sends a public query as if through a load balancer that forwarded it for {@code client}; returns the status. */
  private static int publicQueryFor(TestServer server, String client) throws Exception {
    return server.send(server.request("/graphql").header("Content-Type", "application/json")
        .header("X-Forwarded-For", client)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"query\": \"{ log { size } }\"}"))).statusCode();
  }

  /** Sends public queries for {@code client} until one is refused; returns how many passed (at most 20). */
  private static int passedBeforeLimit(TestServer server, String client) throws Exception {
    for (int request = 0; request < 20; request++) {
      int status = publicQueryFor(server, client);
      if (status == 429) {
        return request;
      }
      assertEquals(200, status);
    }
    return 20;
  }

  @Test
  void behindTrustedProxiesEachForwardedClientHasItsOwnBudget() throws Exception {
    try (TestServer proxied = TestServer.start("--rate-limit", "1", "--rate-limit-burst", "3", "--trusted-proxies", "127.0.0.1");
         TestServer direct = TestServer.start("--rate-limit", "1", "--rate-limit-burst", "3")) {
      assertTrue(passedBeforeLimit(proxied, "203.0.113.9") < 20, "one forwarded client meets the limit");
      for (String other : List.of("198.51.100.7", "198.51.100.8", "198.51.100.9")) {
        assertEquals(200, publicQueryFor(proxied, other), "another forwarded client has its own budget");
      }
      // Without trusted proxies the header is the client's word, and ignored: every request is 127.0.0.1's. Of
      // five forged headers right after the limit, at most one passes (a token refilled meanwhile, at 1/s).
      assertTrue(passedBeforeLimit(direct, "203.0.113.9") < 20, "the peer meets the limit");
      int passed = 0;
      for (String forged : List.of("198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4", "198.51.100.5")) {
        passed += publicQueryFor(direct, forged) == 200 ? 1 : 0;
      }
      assertTrue(passed <= 1, "forged headers bought a new budget: " + passed + " of 5 passed");
    }
  }

  /** Sends {@code { log { size } }} with the Authorization header {@code authorization}, as written. */
  private static HttpResponse<String> withAuthorization(TestServer server, String authorization) throws Exception {
    return server.send(server.request("/graphql").header("Content-Type", "application/json").header("Authorization", authorization)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"query\": \"{ log { size } }\"}")));
  }

  /**
   * Only {@code Bearer <token>} carries a key. Any other Authorization header is refused (401, the scheme to use in
   * WWW-Authenticate, UNAUTHENTICATED), never read as the public: not another scheme, not the scheme without a
   * token, not a real token under another scheme or none. The scheme is case-insensitive (RFC 7235, section 2.1).
   */
  @Test
  void onlyABearerSchemeCarriesAKeyAndItsNameIsCaseInsensitive() throws Exception {
    // Its own server: each refusal counts towards this address's failed authentications.
    try (TestServer fresh = TestServer.start()) {
      String token = fresh.adminToken;
      for (String authorization : List.of("Basic dXNlcjpw", "Bearer", "Token " + token, token, "Bearer " + token + " " + token)) {
        HttpResponse<String> response = withAuthorization(fresh, authorization);
        String what = authorization + ": " + response.body();
        assertEquals(401, response.statusCode(), what);
        assertEquals(List.of("Bearer"), response.headers().allValues("WWW-Authenticate"), what);
        JsonObject body = new JsonObject(response.body());
        assertFalse(body.containsKey("data"), what);
        assertEquals("UNAUTHENTICATED", body.getJsonArray("errors").getJsonObject(0).getJsonObject("extensions").getString("code"), what);
      }
      for (String scheme : List.of("bearer", "BEARER", "bEaReR")) {
        HttpResponse<String> response = withAuthorization(fresh, scheme + " " + token);
        assertEquals(200, response.statusCode(), scheme + ": " + response.body());
        assertTrue(new JsonObject(response.body()).getJsonObject("data").getJsonObject("log").getLong("size") > 0, response.body());
      }
      // Two Authorization headers, even the same valid one twice: a proxy in front may read another than we would.
      HttpResponse<String> twice = fresh.send(fresh.request("/graphql").header("Content-Type", "application/json")
          .header("Authorization", "Bearer " + token).header("Authorization", "Bearer " + token)
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"query\": \"{ apiKeys { role } }\"}")));
      assertEquals(401, twice.statusCode(), twice.body());
      assertEquals("UNAUTHENTICATED", new JsonObject(twice.body()).getJsonArray("errors").getJsonObject(0)
          .getJsonObject("extensions").getString("code"));
      // The refusals above were failures of this address; the admin key still reads what only a key may.
      HttpResponse<String> keys = fresh.post(token, "{ apiKeys { role } }", null);
      assertEquals(200, keys.statusCode(), keys.body());
      assertEquals("REGISTRY_ADMIN", new JsonObject(keys.body()).getJsonObject("data").getJsonArray("apiKeys").getJsonObject(0).getString("role"));
    }
  }

  @Test
  void badCredentialsAreRefusedAndBruteForceIsRateLimited() throws Exception {
    // Its own server: the brute force below locks this client address out of it for a while.
    try (TestServer fresh = TestServer.start(); TestServer other = TestServer.start()) {
      String revoked = fresh.data("mutation { createApiKey(input: {role: AUDITOR, name: \"to revoke\"}) { token key { keyId } } }", null)
          .getJsonObject("createApiKey").getString("token");
      fresh.data("mutation($i: RevokeApiKeyInput!) { revokeApiKey(input: $i) { key { revokedAt } } }",
          new JsonObject().put("i", new JsonObject().put("keyId", "K" + revoked.substring(5, 21))));
      String foreign = other.adminToken; // a real key, of another registry
      for (String token : List.of(revoked, "not-a-key", "clk_" + "x".repeat(61), foreign)) {
        HttpResponse<String> response = fresh.post(token, "{ log { size } }", null);
        assertEquals(401, response.statusCode(), token);
        assertEquals("Bearer", response.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals("UNAUTHENTICATED", new JsonObject(response.body()).getJsonArray("errors").getJsonObject(0)
            .getJsonObject("extensions").getString("code"));
      }
      int status = 0;
      for (int attempt = 0; attempt < 20 && status != 429; attempt++) {
        status = fresh.post("clk_guess_" + attempt, "{ log { size } }", null).statusCode();
      }
      assertEquals(429, status, "failed authentications from one address meet the rate limit");
      HttpResponse<String> limited = fresh.post(fresh.adminToken, "{ log { size } }", null);
      assertEquals(429, limited.statusCode(), "even a good key from that address waits: it may be the next guess");
      assertTrue(limited.headers().firstValue("Retry-After").isPresent());
      assertEquals("RATE_LIMITED", new JsonObject(limited.body()).getJsonArray("errors").getJsonObject(0)
          .getJsonObject("extensions").getString("code"));
    }
  }
}
