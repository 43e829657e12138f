package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.carbonledger.verify.RegistryCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DemoCommandTest loads the demo registry into a real server through its API, checks it is the living
 * registry the demo promises (several programs, the government holding most J-Credits, a CORSIA
 * retirement with its corresponding adjustment, every project vintage conserved), and verifies the
 * resulting log offline, its replayed balances and units agreeing with what the API answers.
 */
class DemoCommandTest {

  @Test
  void theDemoLoadsARealisticRegistryThatVerifies(@TempDir Path directory) throws Exception {
    try (TestServer server = TestServer.start()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
      DemoCommand demo = new DemoCommand(print);
      assertEquals(0, demo.run(new Options(demo.options(), Map.of()).parse(List.of("--url", server.base, "--api-key", server.adminToken))));
      assertTrue(out.toString(StandardCharsets.UTF_8).contains("demo: loaded"));

      JsonArray byProgram = server.data("{ statistics(groupBy: PROGRAM) { key issued retired } }", null).getJsonArray("statistics");
      assertTrue(byProgram.size() >= 5, byProgram.encode());
      JsonArray conservation = server.data("{ conservation { balanced } }", null).getJsonArray("conservation");
      assertTrue(conservation.size() >= 10);
      conservation.forEach(row -> assertTrue(((JsonObject) row).getBoolean("balanced")));

      JsonArray corsia = server.data("{ retirements(filter: {purpose: CORSIA}) { edges { node { quantity corsia { compliancePeriod } } } } }", null)
          .getJsonObject("retirements").getJsonArray("edges");
      assertEquals(1, corsia.size());
      assertEquals("FIRST_PHASE", corsia.getJsonObject(0).getJsonObject("node").getJsonObject("corsia").getString("compliancePeriod"));

      JsonArray accounts = server.data("{ accounts(first: 100, filter: {type: HOLDING}) { edges { node { name balance } } } }", null)
          .getJsonObject("accounts").getJsonArray("edges");
      long government = 0;
      long largestOther = 0;
      for (Object edge : accounts) {
        JsonObject node = ((JsonObject) edge).getJsonObject("node");
        if (node.getString("name").startsWith("Government")) {
          government = node.getLong("balance");
        } else {
          largestOther = Math.max(largestOther, node.getLong("balance"));
        }
      }
      assertTrue(government > largestOther, "the government holds most units");

      ByteArrayOutputStream verified = new ByteArrayOutputStream();
      VerifyCommand verify = new VerifyCommand(new PrintStream(verified, true, StandardCharsets.UTF_8), print);
      Path balances = directory.resolve("balances.csv");
      Path units = directory.resolve("units.csv");
      assertEquals(0, verify.run(new Options(verify.options(), Map.of()).parse(List.of("--url", server.base,
          "--key", server.server.ledger().verifierKey(), "--balances", balances.toString(), "--units", units.toString()))));
      assertReplayAgreesWithTheRegistry(server, balances, units);
    }
  }

  /**
   * What an auditor does with the verifier's replay: every account's balance, type and status, and the units
   * issued and retired, as the registry's API answers them.
   */
  static void assertReplayAgreesWithTheRegistry(TestServer server, Path balances, Path units) throws Exception {
    Map<String, String> answered = new TreeMap<>();
    JsonArray edges = server.data("{ accounts(first: 100) { edges { node { accountId type status balance } } } }", null)
        .getJsonObject("accounts").getJsonArray("edges");
    for (Object edge : edges) {
      JsonObject node = ((JsonObject) edge).getJsonObject("node");
      answered.put(node.getString("accountId"), node.getString("type") + "," + node.getString("status") + "," + node.getLong("balance"));
    }
    Map<String, String> replayed = new TreeMap<>();
    List<String> balanceLines = Files.readAllLines(balances);
    assertEquals(RegistryCsv.BALANCES_HEADER, balanceLines.get(0));
    for (String line : balanceLines.subList(1, balanceLines.size())) {
      String[] fields = line.split(",");
      replayed.put(fields[0], fields[2] + "," + fields[3] + "," + fields[4]);
    }
    assertTrue(answered.size() > 5 && answered.size() < 100, "all accounts on one page: " + answered.size());
    assertEquals(answered, replayed);

    long issued = 0;
    long retired = 0;
    for (Object row : server.data("{ statistics(groupBy: PROGRAM) { issued retired } }", null).getJsonArray("statistics")) {
      issued += ((JsonObject) row).getLong("issued");
      retired += ((JsonObject) row).getLong("retired");
    }
    long replayedUnits = 0;
    long replayedRetired = 0;
    List<String> unitLines = Files.readAllLines(units);
    assertEquals(RegistryCsv.UNITS_HEADER, unitLines.get(0));
    for (String line : unitLines.subList(1, unitLines.size())) {
      String[] fields = line.split(",");
      replayedUnits += Long.parseLong(fields[2]);
      replayedRetired += fields[5].equals("RETIRED") ? Long.parseLong(fields[2]) : 0;
    }
    assertEquals(issued, replayedUnits);
    assertEquals(retired, replayedRetired);
    assertTrue(retired > 0, "the demo retires units");
  }
}
