package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * DemoCommandTest loads the demo registry into a real server through its API, checks it is the living
 * registry the demo promises (several programs, the government holding most J-Credits, a CORSIA
 * retirement with its corresponding adjustment, every project vintage conserved), and verifies the
 * resulting log offline.
 */
class DemoCommandTest {

  @Test
  void theDemoLoadsARealisticRegistryThatVerifies() throws Exception {
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
      assertEquals(0, verify.run(new Options(verify.options(), Map.of())
          .parse(List.of("--url", server.base, "--key", server.server.ledger().verifierKey()))));
    }
  }
}
