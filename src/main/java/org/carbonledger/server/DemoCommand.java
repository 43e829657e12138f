package org.carbonledger.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * DemoCommand fills a running registry with a realistic small market through the public GraphQL API, as a
 * registry operator would: programs' issuance accounts, the Japanese government and project proponents,
 * J-Credit projects across the categories with the government holding most units, JCM, VCS, Gold Standard
 * and Puro.earth projects, an Article 6 authorisation with its corresponding adjustment, issuances across
 * vintages, trades through an exchange's custody account, and retirements for several purposes, CORSIA
 * among them.
 */
final class DemoCommand implements Command {

  private final PrintStream out;
  private HttpClient http;
  private URI endpoint;
  private String apiKey;
  /** The ACCOUNT_HOLDER key of each holding account's holder: units leave an account only on its holder's word. */
  private final java.util.Map<String, String> holderKeys = new java.util.HashMap<>();

  DemoCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public String name() {
    return "demo";
  }

  @Override
  public String usage() {
    return "demo [--url URL]";
  }

  @Override
  public String summary() {
    return "load a realistic demo registry into a running server through its GraphQL API";
  }

  @Override
  public List<Options.Option> options() {
    return List.of(new Options.Option("url", "http://127.0.0.1:8080", "the server's base URL"),
        new Options.Option("api-key", null, "a REGISTRY_ADMIN API key; default: the one in --api-key-file"),
        new Options.Option("api-key-file", "./data/admin-api-key", "file holding a REGISTRY_ADMIN API key (the server writes one on first start)"));
  }

  @Override
  public int run(Options options) throws Exception {
    String base = options.require("url").replaceAll("/+$", "");
    apiKey = options.get("api-key");
    if (apiKey == null) {
      java.nio.file.Path file = java.nio.file.Path.of(options.require("api-key-file"));
      try {
        apiKey = java.nio.file.Files.readString(file).trim();
      } catch (java.io.IOException e) {
        throw new ConfigException("no --api-key given and cannot read " + file + ": start the server first, or pass --api-key");
      }
    }
    endpoint = URI.create(base + "/graphql");
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    load();
    out.println("demo: loaded; open " + base + "/graphiql/ and try { statistics(groupBy: PROGRAM) { year key issued retired } }");
    return 0;
  }

  private void load() throws Exception {
    // Who holds accounts.
    String jcreditIssuance = openAccount(null, "J-Credit Scheme Secretariat", "JP", "J-Credit issuance", "ISSUANCE", "JCREDIT");
    String jcmIssuance = openAccount(null, "JCM Joint Committee Japan-Indonesia", "JP", "JCM issuance", "ISSUANCE", "JCM");
    String vcsIssuance = openAccount(null, "Verra", "US", "VCS issuance", "ISSUANCE", "VCS");
    String gsIssuance = openAccount(null, "Gold Standard Foundation", "CH", "Gold Standard issuance", "ISSUANCE", "GS");
    String puroIssuance = openAccount(null, "Puro.earth", "FI", "Puro.earth issuance", "ISSUANCE", "PURO");
    String government = openAccount(null, "Government of Japan (METI/MOE)", "JP", "Government J-Credit holdings", "HOLDING", null);
    String forestry = openAccount(null, "Hokkaido Forest Owners Cooperative", "JP", "Forest credits", "HOLDING", null);
    String solar = openAccount(null, "Kyushu Solar Partners", "JP", "Solar credits", "HOLDING", null);
    String developer = openAccount(null, "Nusantara Energy Developers", "ID", "JCM proponent", "HOLDING", null);
    String exchange = openAccount(null, "Tokyo Stock Exchange carbon market", "JP", "Exchange custody", "HOLDING", null);
    String manufacturer = openAccount(null, "Fuji Precision Manufacturing", "JP", "Offsetting", "HOLDING", null);
    String airline = openAccount(null, "Sakura Airways", "JP", "CORSIA compliance", "HOLDING", null);
    String trader = openAccount(null, "Marunouchi Carbon Trading", "JP", "Trading book", "HOLDING", null);

    // Projects: J-Credit across the categories, then JCM, VCS, GS and Puro.earth.
    String households = project("JCREDIT", "JCL-0001", "Household EV and efficient appliance subsidy bundle (government)", "JP",
        "EN-S-001", "ENERGY_SAVING", "REDUCTION", "2016-04-01", "2030-03-31", "2016-04-01", "ENERGY_SAVING");
    String rooftopSolar = project("JCREDIT", "JCL-0147", "Kyushu rooftop solar aggregation", "JP", "EN-R-001",
        "RENEWABLE_ELECTRICITY", "REDUCTION", "2018-04-01", "2034-03-31", "2018-04-01", "RENEWABLE_ELECTRICITY");
    String biomassHeat = project("JCREDIT", "JCL-0233", "Woody biomass boilers for greenhouses", "JP", "EN-R-002",
        "RENEWABLE_HEAT", "REDUCTION", "2019-04-01", "2035-03-31", "2019-04-01", "RENEWABLE_HEAT");
    String forest = project("JCREDIT", "JCL-0310", "Hokkaido managed forest absorption", "JP", "FO-001",
        "FORESTRY", "REMOVAL", "2017-04-01", "2033-03-31", "2017-04-01", "FOREST");
    String biocharRice = project("JCREDIT", "JCL-0402", "Biochar applied to rice paddies", "JP", "AG-004",
        "BIOCHAR", "REMOVAL", "2021-04-01", "2037-03-31", "2021-04-01", "OTHER");
    String jcmSolar = project("JCM", "ID-014", "Solar power at industrial estates in West Java", "ID", "JCM_ID_AM013",
        "RENEWABLE_ELECTRICITY", "REDUCTION", "2020-01-01", "2030-12-31", "2020-01-01", null);
    String redd = project("VCS", "VCS-2471", "Amazon REDD+ and restoration", "BR", "VM0048",
        "FORESTRY", "MIXED", "2015-01-01", "2044-12-31", "2015-01-01", null);
    String cookstoves = project("GS", "GS-11870", "Efficient cookstoves in Western Kenya", "KE", "GS-TPDDTEC",
        "HOUSEHOLD_DEVICES", "REDUCTION", "2019-01-01", "2028-12-31", "2019-01-01", null);
    String puroBiochar = project("PURO", "PURO-BC-0035", "Biochar from sawmill residues", "FI", "PURO-BIOCHAR-2022",
        "BIOCHAR", "REMOVAL", "2022-01-01", "2031-12-31", "2022-01-01", null);

    // Article 6: Indonesia authorises the JCM solar outcomes for other international mitigation purposes.
    String authorisation = mutation("recordAuthorisation", "authorisation { authorisationId }", new JsonObject()
        .put("hostCountry", "ID").put("loaReference", "ID-MOEF-LOA-2024-017").put("loaDate", "2024-03-15")
        .put("purpose", "OIMP").put("firstTransferDefinition", "ISSUANCE").put("authorisedQuantity", 200_000)
        .put("vintageFrom", 2021).put("vintageTo", 2026)).getJsonObject("authorisation").getString("authorisationId");

    // Issuances across vintages; the government's bundled programme dwarfs the rest, as in the source deck.
    for (int year = 2018; year <= 2023; year++) {
      String issuance = issue(households, year, 450_000 + 50_000L * (year - 2018), "JCU", List.of(), null);
      transfer(jcreditIssuance, government, issuance, 450_000 + 50_000L * (year - 2018), null);
    }
    String solarUnits = issue(rooftopSolar, 2022, 60_000, "JCU", List.of(), null);
    transfer(jcreditIssuance, solar, solarUnits, 60_000, null);
    String heatUnits = issue(biomassHeat, 2022, 18_000, "JCU", List.of(), null);
    transfer(jcreditIssuance, solar, heatUnits, 18_000, null);
    String forestUnits = issue(forest, 2021, 35_000, "JCU", List.of(), null);
    transfer(jcreditIssuance, forestry, forestUnits, 35_000, null);
    String biocharUnits = issue(biocharRice, 2023, 4_000, "JCU", List.of(), null);
    transfer(jcreditIssuance, forestry, biocharUnits, 4_000, null);
    String jcmUnits = issue(jcmSolar, 2023, 120_000, "JCMU", List.of("CORSIA_FIRST_PHASE"), authorisation);
    transfer(jcmIssuance, developer, jcmUnits, 120_000, null);
    mutation("applyCorrespondingAdjustment", "issuance { issuanceId correspondingAdjustment }", new JsonObject()
        .put("issuanceId", jcmUnits).put("hostCountry", "ID").put("reportReference", "ID-BTR1-2024-annex-CA-0007"));
    String reddUnits = issue(redd, 2020, 500_000, "VCU", List.of("CCB"), null);
    String cookstoveUnits = issue(cookstoves, 2022, 80_000, "VER", List.of("CCP"), null);
    String puroUnits = issue(puroBiochar, 2024, 9_500, "CORC", List.of("CCP"), null);

    // The market: sales through the exchange's custody account, then retirements.
    transfer(government, exchange, null, 300_000, "TSE-2024-03-08-AUCTION-PM");
    transfer(solar, exchange, solarUnits, 25_000, "TSE-2024-03-08-AUCTION-AM");
    transfer(exchange, manufacturer, null, 120_000, "TSE-2024-03-11-TRADE-0042");
    transfer(exchange, trader, null, 50_000, "TSE-2024-03-11-TRADE-0043");
    transfer(developer, airline, jcmUnits, 40_000, "OTC-SAKURA-2025-001");
    transfer(vcsIssuance, trader, reddUnits, 200_000, null);
    transfer(gsIssuance, manufacturer, cookstoveUnits, 30_000, null);
    transfer(puroIssuance, manufacturer, puroUnits, 2_000, null);

    retire(manufacturer, null, 80_000, new JsonObject().put("purpose", "VOLUNTARY_OFFSET")
        .put("beneficiaryName", "Fuji Precision Manufacturing").put("reportingYear", 2023));
    retire(manufacturer, cookstoveUnits, 20_000, new JsonObject().put("purpose", "VCMI_CLAIM")
        .put("beneficiaryName", "Fuji Precision Manufacturing").put("beneficiaryId", "LEI-5299000FUJI00000001").put("reportingYear", 2023));
    retire(manufacturer, null, 30_000, new JsonObject().put("purpose", "GX_ETS")
        .put("beneficiaryName", "Fuji Precision Manufacturing").put("claimPeriod", new JsonObject().put("start", "2023-04-01").put("end", "2024-03-31")));
    retire(airline, jcmUnits, 25_000, new JsonObject().put("purpose", "CORSIA")
        .put("beneficiaryName", "Sakura Airways").put("reportingYear", 2024)
        .put("corsia", new JsonObject().put("operator", "Sakura Airways").put("operatorState", "JP").put("compliancePeriod", "FIRST_PHASE")));
    retire(trader, reddUnits, 50_000, new JsonObject().put("purpose", "OTHER")
        .put("beneficiaryName", "Marunouchi Carbon Trading clients").put("reportingYear", 2024).put("note", "retired on behalf of clients"));
    mutation("cancelUnits", holderKeys.get(trader), "quantity", new JsonObject().put("accountId", trader)
        .put("units", new JsonObject().put("quantity", 10_000).put("issuanceId", reddUnits)).put("reason", "EXPORT")
        .put("targetRegistry", "Verra Registry").put("externalReference", "VCS-EXPORT-2024-118"));
  }

  private String openAccount(String holderId, String holderName, String country, String name, String type, String program) throws Exception {
    JsonObject input = new JsonObject().put("holderId", holderId).put("holderName", holderName).put("holderCountry", country)
        .put("name", name).put("type", type).put("program", program);
    JsonObject account = mutation("openAccount", "account { accountId holder { holderId } }", input).getJsonObject("account");
    if (type.equals("HOLDING")) {
      String newHolderId = account.getJsonObject("holder").getString("holderId");
      JsonObject key = mutation("createApiKey", null, "token", new JsonObject().put("role", "ACCOUNT_HOLDER")
          .put("holderId", newHolderId).put("name", holderName + " (demo)"));
      holderKeys.put(account.getString("accountId"), key.getString("token"));
    }
    return account.getString("accountId");
  }

  private String project(String program, String programProjectId, String name, String country, String methodology,
                         String category, String mitigationType, String start, String end, String activityStart,
                         String tseMarketClass) throws Exception {
    JsonObject input = new JsonObject().put("program", program).put("programProjectId", programProjectId).put("name", name)
        .put("hostCountry", country).put("methodology", methodology).put("category", category)
        .put("mitigationType", mitigationType).put("creditingPeriod", new JsonObject().put("start", start).put("end", end))
        .put("activityStart", activityStart).put("tseMarketClass", tseMarketClass);
    return mutation("registerProject", "project { projectId }", input).getJsonObject("project").getString("projectId");
  }

  private String issue(String projectId, int vintage, long quantity, String unitType, List<String> labels, String authorisationId)
      throws Exception {
    JsonObject input = new JsonObject().put("projectId", projectId)
        .put("monitoringPeriod", new JsonObject().put("start", vintage + "-04-01").put("end", vintage + "-12-31"))
        .put("vintage", vintage).put("quantity", quantity).put("unitType", unitType).put("labels", new JsonArray(labels))
        .put("authorisationId", authorisationId);
    return mutation("issueUnits", "issuance { issuanceId }", input).getJsonObject("issuance").getString("issuanceId");
  }

  private void transfer(String from, String to, String issuanceId, long quantity, String reference) throws Exception {
    mutation("transferUnits", holderKeys.get(from), "quantity", new JsonObject().put("fromAccountId", from).put("toAccountId", to)
        .put("units", new JsonObject().put("quantity", quantity).put("issuanceId", issuanceId)).put("reference", reference));
  }

  private void retire(String account, String issuanceId, long quantity, JsonObject details) throws Exception {
    mutation("retireUnits", holderKeys.get(account), "quantity", details.copy().put("accountId", account)
        .put("units", new JsonObject().put("quantity", quantity).put("issuanceId", issuanceId)));
  }

  /** Runs one mutation as the registry's admin. */
  private JsonObject mutation(String field, String selection, JsonObject input) throws Exception {
    return mutation(field, null, selection, input);
  }

  /**
   * Runs one mutation with {@code key} (the admin's when null) and returns its payload; any error or user
   * error stops the demo with its message.
   */
  private JsonObject mutation(String field, String key, String selection, JsonObject input) throws Exception {
    String outcome = field.equals("createApiKey") ? "problems" : "seq userErrors { code message }";
    String query = "mutation($input: " + Character.toUpperCase(field.charAt(0)) + field.substring(1) + "Input!) { "
        + field + "(input: $input) { " + outcome + " " + selection + " } }";
    JsonObject body = new JsonObject().put("query", query).put("variables", new JsonObject().put("input", withoutNulls(input)));
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + (key == null ? apiKey : key)).POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonObject answer = new JsonObject(response.body());
    if (answer.containsKey("errors")) {
      throw new IllegalStateException(field + " failed: " + answer.getJsonArray("errors").encode());
    }
    JsonObject payload = answer.getJsonObject("data").getJsonObject(field);
    JsonArray problems = payload.containsKey("problems") ? payload.getJsonArray("problems") : payload.getJsonArray("userErrors");
    if (!problems.isEmpty()) {
      throw new IllegalStateException(field + " was rejected: " + problems.encode());
    }
    return payload;
  }

  private static JsonObject withoutNulls(JsonObject object) {
    JsonObject copy = new JsonObject();
    object.forEach(entry -> {
      if (entry.getValue() instanceof JsonObject nested) {
        copy.put(entry.getKey(), withoutNulls(nested));
      } else if (entry.getValue() != null) {
        copy.put(entry.getKey(), entry.getValue());
      }
    });
    return copy;
  }
}
