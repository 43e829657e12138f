package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * /metrics over real HTTP: off unless asked for; when on, the writer's counters move with what the writer did
 * (an entry appended, a request refused), the log size matches the log's, and the histogram is well formed.
 */
class MetricsTest {

  private static final String OPEN_ACCOUNT =
      "mutation($country: String!) { openAccount(input: {holderName: \"N\", holderCountry: $country, name: \"N\", type: HOLDING})"
          + " { seq userErrors { code } } }";

  private static final Pattern TYPE =
      Pattern.compile("# TYPE ([a-z_][a-z0-9_]*) (counter|gauge|histogram)");
  private static final Pattern SAMPLE =
      Pattern.compile("([a-z_][a-z0-9_]*)(\\{(?:le=\"(?:[0-9.]+|\\+Inf)\"|status=\"[1-5][0-9][0-9]\"|code=\"[A-Z][A-Z0-9_]*\")\\})? (-?[0-9]+(?:\\.[0-9]+)?)");

  /** The samples of an exposition, by name with labels, e.g. {@code x_bucket{le="0.5"}}; checks every line's form. */
  private static Map<String, Double> scrape(TestServer server) throws Exception {
    HttpResponse<String> response = server.send(server.request("/metrics").GET());
    assertEquals(200, response.statusCode());
    assertEquals(MetricsRoutes.CONTENT_TYPE, response.headers().firstValue("Content-Type").orElseThrow());
    Map<String, Double> samples = new HashMap<>();
    Set<String> typed = new HashSet<>();
    for (String line : response.body().split("\n")) {
      Matcher type = TYPE.matcher(line);
      if (type.matches()) {
        typed.add(type.group(1));
      } else if (!line.startsWith("# HELP ")) {
        Matcher sample = SAMPLE.matcher(line);
        assertTrue(sample.matches(), "not a sample of the text format: " + line);
        String family = sample.group(1).replaceAll("_(bucket|sum|count)$", "");
        assertTrue(typed.contains(family) || typed.contains(sample.group(1)), "no TYPE line before " + line);
        samples.put(sample.group(1) + (sample.group(2) == null ? "" : sample.group(2)), Double.parseDouble(sample.group(3)));
      }
    }
    return samples;
  }

  private static double change(Map<String, Double> before, Map<String, Double> after, String name) {
    return after.getOrDefault(name, 0.0) - before.getOrDefault(name, 0.0);
  }

  @Test
  void theWritersCountersFollowWhatItDid() throws Exception {
    try (TestServer server = TestServer.start("--metrics", "true")) {
      Map<String, Double> before = scrape(server);
      JsonObject opened = server.data(OPEN_ACCOUNT, new JsonObject().put("country", "JP")).getJsonObject("openAccount");
      assertTrue(opened.getJsonArray("userErrors").isEmpty(), opened.encode());
      JsonObject refused = server.data(OPEN_ACCOUNT, new JsonObject().put("country", "ZZ")).getJsonObject("openAccount");
      assertEquals("COUNTRY_UNKNOWN", refused.getJsonArray("userErrors").getJsonObject(0).getString("code"));
      assertEquals(404, server.send(server.request("/no-such-page").GET()).statusCode());
      assertEquals(401, server.post("not-a-key", "{ serverVersion }", new JsonObject()).statusCode());
      Map<String, Double> after = scrape(server);

      // The first scrape's own 200 ends before the second scrape: 1 + 2 mutations.
      assertEquals(3, change(before, after, "carbonledger_http_responses_total{status=\"200\"}"));
      assertEquals(1, change(before, after, "carbonledger_http_responses_total{status=\"404\"}"));
      assertEquals(1, change(before, after, "carbonledger_http_responses_total{status=\"401\"}"));

      assertEquals(1, change(before, after, "carbonledger_writer_entries_appended_total"));
      assertEquals(1, change(before, after, "carbonledger_writer_requests_rejected_total"));
      assertEquals(1, change(before, after, "carbonledger_writer_requests_rejected_by_code_total{code=\"COUNTRY_UNKNOWN\"}"));
      assertEquals(2, change(before, after, "carbonledger_writer_batch_commands_total"));
      double batches = change(before, after, "carbonledger_writer_batches_committed_total");
      assertTrue(batches >= 1 && batches <= 2, "batches " + batches);
      assertEquals(0, change(before, after, "carbonledger_writer_batches_failed_total"));
      long logSize = server.data("{ log { size } }", new JsonObject()).getJsonObject("log").getLong("size");
      assertEquals(logSize, after.get("carbonledger_log_entries"));
      assertEquals(0, after.get("carbonledger_writer_queued_commands"));
      assertEquals(0, after.get("carbonledger_writer_in_flight_commands"));
      assertTrue(after.get("carbonledger_jvm_heap_used_bytes") > 0);

      String histogram = "carbonledger_writer_batch_duration_seconds";
      assertEquals(after.get("carbonledger_writer_batches_committed_total") + after.get("carbonledger_writer_batches_failed_total"),
          after.get(histogram + "_count"));
      assertTrue(after.get(histogram + "_sum") > 0);
    }
  }

  /** The log's size is the log's, not what this server last wrote: another server may write to the same database. */
  @Test
  void theLogSizeCountsEntriesWhicheverServerWroteThem() throws Exception {
    try (TestServer server = TestServer.start("--metrics", "true"); TestServer other = server.anotherWriter()) {
      for (int i = 0; i < 3; i++) {
        JsonObject opened = other.data(OPEN_ACCOUNT, new JsonObject().put("country", "JP")).getJsonObject("openAccount");
        assertTrue(opened.getJsonArray("userErrors").isEmpty(), opened.encode());
      }
      long logSize = server.data("{ log { size } }", new JsonObject()).getJsonObject("log").getLong("size");
      assertEquals(logSize, scrape(server).get("carbonledger_log_entries"));
    }
  }

  @Test
  void offUnlessAskedFor() throws Exception {
    try (TestServer server = TestServer.start()) {
      HttpResponse<String> response = server.send(server.request("/metrics").GET());
      assertEquals(404, response.statusCode());
    }
  }
}
