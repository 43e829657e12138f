package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * GraphQLHttpAuditTest runs the GraphQL-over-HTTP audit suite of the npm package graphql-http
 * ({@code serverAudits}, through {@code conformance/audit.mjs}) against a real server on a fresh database.
 * No MUST audit may fail, and every SHOULD audit that fails must have a row, with its reason, under
 * {@value #SECTION} in docs/API.md; a row for a SHOULD audit that now passes is stale and fails the test too.
 * Node.js and npm are required: without them the test fails rather than skips, since CI has both. It is a
 * surefire test, not a failsafe IT, because failsafe puts the shaded jar on the classpath beside its
 * dependencies and the embedded PostgreSQL then refuses to start on two copies of its binaries.
 */
class GraphQLHttpAuditTest {

  static final String SECTION = "## GraphQL over HTTP conformance";

  private static final Path CONFORMANCE = Path.of("conformance").toAbsolutePath();
  private static final Path API_DOC = Path.of("docs", "API.md").toAbsolutePath();
  // npm ci fetches two small packages, or none when its cache has them; minutes mean a network problem.
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
  // The suite sends about sixty small requests one after another; it takes about a second.
  private static final Duration AUDIT_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(30);
  // One line per audit, as audit.mjs prints it: "<id> <level> <ok|failed> <name>[ -- <reason>]".
  private static final Pattern AUDIT_LINE = Pattern.compile("^(\\S+) (MUST|SHOULD|MAY) (ok|failed) (.*)$");
  // A documented reason is at least a short sentence, not just the id and the level.
  private static final int REASON_CHARS_MIN = 20;

  /** AuditResult is one line of audit.mjs output. */
  record AuditResult(String id, String level, boolean ok, String text) {}

  /** Output is what a finished process printed, stdout and stderr together, and its exit code. */
  record Output(int exitCode, String text) {}

  @Test
  void serverPassesTheGraphQLOverHttpAudits() throws Exception {
    requireTool("node", "--version");
    requireTool("npm", "--version");
    installWhenMissing();

    Output audit;
    long startNanos;
    try (TestServer server = TestServer.start()) {
      startNanos = System.nanoTime();
      audit = run(AUDIT_TIMEOUT, "node", CONFORMANCE.resolve("audit.mjs").toString(), server.base + "/graphql");
    }
    long auditMillis = Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    System.out.println("graphql-http audits, " + auditMillis + " ms:\n" + audit.text());
    List<AuditResult> results = parse(audit.text());
    assertTrue(results.size() >= 40, "audit.mjs printed too few audit lines; did its format change?\n" + audit.text());

    List<String> mustFailures = results.stream().filter(r -> !r.ok() && r.level().equals("MUST")).map(AuditResult::text).toList();
    assertEquals(List.of(), mustFailures, "MUST audits failed");
    assertEquals(0, audit.exitCode(), "audit.mjs exited non-zero:\n" + audit.text());

    String section = section(Files.readString(API_DOC));
    List<String> undocumented = new ArrayList<>();
    List<String> stale = new ArrayList<>();
    for (AuditResult result : results.stream().filter(r -> r.level().equals("SHOULD")).toList()) {
      List<String> row = row(section, result.id());
      boolean documented = row != null && row.get(row.size() - 1).length() >= REASON_CHARS_MIN;
      if (!result.ok() && !documented) {
        undocumented.add(result.text());
      }
      if (result.ok() && row != null) {
        stale.add(result.id());
      }
    }
    assertEquals(List.of(), undocumented, "SHOULD audits fail without a reason in docs/API.md; fix them, or add a row"
        + " '| <id> | SHOULD | <the audit> | <why we leave it failing> |' under '" + SECTION + "'");
    assertEquals(List.of(), stale, "these SHOULD audits pass now; remove their rows under '" + SECTION + "' in docs/API.md");
  }

  /** Fails the test, naming the tool, when it is not on the PATH. */
  private static void requireTool(String... command) throws InterruptedException {
    try {
      Output output = run(VERSION_TIMEOUT, command);
      assertEquals(0, output.exitCode(), command[0] + " --version failed: " + output.text());
    } catch (IOException e) {
      fail(command[0] + " is not on the PATH: the GraphQL-over-HTTP audit needs Node.js 18 or later and npm"
          + " (CI has them; on Debian, apt-get install nodejs npm): " + e.getMessage());
    }
  }

  /**
   * Runs {@code npm ci} in conformance/ unless node_modules already holds the versions package-lock.json pins,
   * so a second run, or one on a machine without the registry, needs no network.
   */
  private static void installWhenMissing() throws Exception {
    JsonObject lock = new JsonObject(Files.readString(CONFORMANCE.resolve("package-lock.json")));
    JsonObject locked = lock.getJsonObject("packages");
    boolean installed = true;
    for (String name : locked.fieldNames()) {
      if (name.isEmpty()) {
        continue; // the root project itself
      }
      Path manifest = CONFORMANCE.resolve(name).resolve("package.json");
      String want = locked.getJsonObject(name).getString("version");
      installed &= Files.exists(manifest) && want.equals(new JsonObject(Files.readString(manifest)).getString("version"));
    }
    if (installed) {
      return;
    }
    Output install = run(INSTALL_TIMEOUT, "npm", "ci", "--no-audit", "--no-fund", "--prefer-offline");
    assertEquals(0, install.exitCode(), "npm ci in conformance/ failed:\n" + install.text());
  }

  /** Runs a command in conformance/ and waits for it; one that outlives {@code timeout} is killed and fails. */
  private static Output run(Duration timeout, String... command) throws IOException, InterruptedException {
    Path log = Files.createTempFile("graphql-http-audit", ".log");
    try {
      Process process = new ProcessBuilder(command).directory(CONFORMANCE.toFile())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        fail(String.join(" ", command) + " ran longer than " + timeout + ":\n" + Files.readString(log));
      }
      return new Output(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }

  static List<AuditResult> parse(String output) {
    List<AuditResult> results = new ArrayList<>();
    for (String line : output.split("\n")) {
      Matcher matcher = AUDIT_LINE.matcher(line.strip());
      if (matcher.matches()) {
        results.add(new AuditResult(matcher.group(1), matcher.group(2), matcher.group(3).equals("ok"), line.strip()));
      }
    }
    return results;
  }

  /** The conformance section of docs/API.md, from its heading to the next heading of the same level. */
  static String section(String document) {
    int start = document.indexOf(SECTION + "\n");
    assertTrue(start >= 0, "docs/API.md has no '" + SECTION + "' section");
    int end = document.indexOf("\n## ", start + SECTION.length());
    return document.substring(start, end < 0 ? document.length() : end);
  }

  /** The cells of the section's table row for the SHOULD audit {@code id}, the reason last; null when absent. */
  static List<String> row(String section, String id) {
    for (String line : section.split("\n")) {
      if (!line.strip().startsWith("|")) {
        continue;
      }
      List<String> cells = Stream.of(line.strip().split("\\|")).map(c -> c.strip().replace("`", "")).toList();
      if (cells.contains(id) && cells.contains("SHOULD")) {
        return cells;
      }
    }
    return null;
  }
}
