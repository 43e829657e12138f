package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.carbonledger.ledger.Hashes;
import org.carbonledger.ledger.Hex;
import org.carbonledger.store.SequencerLock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * FeedRoutesTest checks the NDJSON account feed against a real server over real HTTP: a bounded read gives
 * exactly the entries that touch the account in seq order, each as the GraphQL {@code entries} query shows it; a
 * read from the middle gives exactly the rest; a live read gets each new entry once, in order, and a resume after
 * a disconnect has no gap and no duplicate; bad requests answer 400 or 401 with a code. Which entries touch an
 * account is not computed with the feed's own filter: the test records, for each entry it writes, the seq the
 * server answered and the accounts that entry is about by what the test asked for ({@link #WRITTEN}). Then it
 * runs {@code examples/exchange-client.mjs} under Node against the same server: submit, follow, reconcile, and
 * submit again without writing anything twice, on a server that refuses introspection; and against a server whose
 * writer is held past the GraphQL timeout, where the client must retry OUTCOME_UNKNOWN with the same idempotency
 * key. Node is required (CI has Node 20): without it this test fails rather than skips.
 */
class FeedRoutesTest {

  private static final Duration LINE_WAIT = Duration.ofSeconds(10);
  /** The GraphQL timeout of the server whose writer the OUTCOME_UNKNOWN test holds: short, to keep it quick. */
  private static final long SLOW_TIMEOUT_MILLIS = 1000;

  /**
   * Every entry this test wrote that is about an account: its seq, as the mutation answered it, and the accounts
   * it involves by what was asked (the account opened; the issuance account the units were issued to; both sides
   * of a transfer). The expected content of every account's feed comes from here.
   */
  private static final Map<Long, Set<String>> WRITTEN = new TreeMap<>();

  private static TestServer server;
  private static String issuanceAccount;
  private static String alice;
  private static String bob;
  private static String aliceKey;

  @BeforeAll
  static void setUp() throws Exception {
    // Without introspection, as an operator may run it: the exchange client must not depend on it.
    server = TestServer.start("--graphql-introspection", "false");
    issuanceAccount = openAccount("J-Credit secretariat", "JCREDIT issuance", "ISSUANCE", "JCREDIT");
    alice = openAccount("Alice Forestry", "Alice", "HOLDING", null);
    bob = openAccount("Bob Airways", "Bob", "HOLDING", null);
    // PROJECT_REGISTERED is about a project, not an account: no feed has it.
    String projectId = mutation(server.adminToken, "registerProject", "project { projectId }", new JsonObject()
        .put("program", "JCREDIT").put("programProjectId", "JCL-1").put("name", "Forest").put("hostCountry", "JP")
        .put("methodology", "FO-001").put("category", "FORESTRY").put("mitigationType", "REMOVAL")
        .put("creditingPeriod", new JsonObject().put("start", "2020-01-01").put("end", "2030-12-31"))
        .put("activityStart", "2020-01-01").put("tseMarketClass", "FOREST"))
        .getJsonObject("project").getString("projectId");
    JsonObject issued = mutation(server.adminToken, "issueUnits", "issuance { quantity }", new JsonObject().put("projectId", projectId).put("vintage", 2022)
        .put("quantity", 1000).put("unitType", "JCU")
        .put("monitoringPeriod", new JsonObject().put("start", "2022-01-01").put("end", "2022-12-31")));
    // A JCREDIT issuance credits the program's issuance account, the only one of that program here.
    WRITTEN.put(issued.getLong("seq"), Set.of(issuanceAccount));
    transfer(server.adminToken, issuanceAccount, alice, 500, "SEED");
    aliceKey = holderKey(alice);
    for (int i = 0; i < 3; i++) {
      transfer(aliceKey, alice, bob, 1, "SETUP-" + i);
    }
  }

  @AfterAll
  static void tearDown() {
    server.close();
  }

  @Test
  void aBoundedReadGivesExactlyTheAccountsEntriesInOrder() throws Exception {
    Map<Long, JsonObject> log = entriesBySeq();
    for (String account : List.of(alice, bob, issuanceAccount)) {
      List<JsonObject> lines = read(account, "afterSeq=-1&follow=false", null);
      List<JsonObject> entries = entryLines(lines);
      assertEquals(written(account, -1), seqs(entries), account);
      for (JsonObject line : entries) {
        JsonObject node = log.get(line.getLong("seq"));
        assertEquals(node.getString("canonicalJson"), line.getString("canonicalJson"));
        assertEquals(node.getString("leafHash"), line.getString("leafHash"));
        assertEquals(node.getString("type"), line.getString("type"));
        assertEquals(node.getString("time"), line.getString("time"));
        assertEquals(new JsonObject(node.getString("canonicalJson")).getJsonObject("data"), line.getJsonObject("data"));
        assertEquals(line.getString("leafHash"),
            Hex.encode(Hashes.leafHash(line.getString("canonicalJson").getBytes(StandardCharsets.UTF_8))));
      }
      JsonObject end = lines.get(lines.size() - 1).getJsonObject("end");
      assertNotNull(end, "a bounded feed ends with an end line: " + lines);
      assertEquals(logSize() - 1, end.getLong("resumeAfterSeq"));
    }
  }

  @Test
  void aReadFromTheMiddleGivesExactlyTheRest() throws Exception {
    List<Long> all = written(alice, -1);
    long middle = all.get(all.size() / 2);
    List<JsonObject> entries = entryLines(read(alice, "afterSeq=" + middle + "&follow=false", null));
    assertEquals(all.subList(all.size() / 2 + 1, all.size()), seqs(entries));
    // untilSeq bounds it from above, even where the entry at untilSeq is not the account's.
    long until = all.get(all.size() - 1) - 1;
    List<JsonObject> bounded = read(alice, "afterSeq=-1&untilSeq=" + until, null);
    assertEquals(all.subList(0, all.size() - 1), seqs(entryLines(bounded)));
    assertEquals(until, bounded.get(bounded.size() - 1).getJsonObject("end").getLong("resumeAfterSeq"));
    // A start at the log's last entry has nothing to send: it ends at once.
    assertEquals(List.of(new JsonObject().put("end", new JsonObject().put("resumeAfterSeq", logSize() - 1))),
        read(alice, "afterSeq=" + (logSize() - 1) + "&follow=false", null));
  }

  @Test
  void liveEntriesArriveOnceInOrderAndAResumeHasNoGapOrDuplicate() throws Exception {
    long start = logSize() - 1;
    List<Long> written = new ArrayList<>();
    List<Long> received = new ArrayList<>();
    try (LiveFeed feed = LiveFeed.open(alice, start, aliceKey)) {
      for (int i = 0; i < 3; i++) {
        written.add(transfer(aliceKey, alice, bob, 1, "LIVE-" + i));
      }
      // A transfer that does not touch alice is filtered out, and the feed goes on past it.
      transfer(server.adminToken, issuanceAccount, bob, 1, "NOT-ALICE");
      written.add(transfer(aliceKey, alice, bob, 1, "LIVE-3"));
      for (int i = 0; i < written.size(); i++) {
        received.add(feed.nextEntry().getLong("seq"));
      }
    }
    assertEquals(written, received);
    awaitFollowers(0); // the server let go of the follower when the reader left
    long resumeAfter = received.get(received.size() - 1);
    List<Long> missed = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      missed.add(transfer(aliceKey, alice, bob, 1, "MISSED-" + i));
    }
    try (LiveFeed feed = LiveFeed.open(alice, resumeAfter, null)) {
      long more = transfer(aliceKey, alice, bob, 1, "AFTER-RESUME");
      missed.add(more);
      List<Long> resumed = new ArrayList<>();
      for (int i = 0; i < missed.size(); i++) {
        resumed.add(feed.nextEntry().getLong("seq"));
      }
      assertEquals(missed, resumed);
    }
    // Nothing else about alice was written after start: NOT-ALICE is about the issuance account and bob only.
    assertEquals(written(alice, start), concat(received, missed));
  }

  /**
   * A shutdown ends an open feed at once, as it closes WebSockets with 1001, rather than waiting out its grace period
   * for a feed that never ends by itself, and the feed's last line says where to resume.
   */
  @Test
  void aShutdownEndsAnOpenFeedAtOnceSayingWhereToResume() throws Exception {
    TestServer own = TestServer.start();
    try {
      JsonObject opened = own.data("mutation { openAccount(input: {holderName: \"H\", holderCountry: \"JP\", name: \"H\","
          + " type: HOLDING}) { seq account { accountId } } }", null).getJsonObject("openAccount");
      String account = opened.getJsonObject("account").getString("accountId");
      HttpResponse<Stream<String>> response = own.http.send(
          own.request("/accounts/" + account + "/feed.ndjson?afterSeq=-1").build(), HttpResponse.BodyHandlers.ofLines());
      assertEquals(200, response.statusCode());
      BlockingQueue<String> lines = new LinkedBlockingQueue<>();
      Thread reader = new Thread(() -> {
        try {
          response.body().forEach(lines::add);
          lines.add("(ended)");
        } catch (RuntimeException cut) {
          lines.add("(cut: " + cut + ")");
        }
      }, "feed-reader");
      reader.setDaemon(true);
      reader.start();
      assertEquals(opened.getLong("seq"), new JsonObject(lines.poll(LINE_WAIT.toMillis(), TimeUnit.MILLISECONDS)).getLong("seq"));

      long started = System.nanoTime();
      own.close();
      own = null;
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
      assertTrue(seconds < RegistryServer.SHUTDOWN_GRACE_SECONDS / 2, "the shutdown took " + seconds + " s");
      List<String> rest = new ArrayList<>();
      for (String line = ""; !line.startsWith("("); ) {
        line = lines.poll(LINE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(line, "the feed neither ended nor was cut: " + rest);
        rest.add(line);
      }
      assertEquals("(ended)", rest.get(rest.size() - 1), "the feed ends whole: " + rest);
      JsonObject error = new JsonObject(rest.get(rest.size() - 2)).getJsonObject("error");
      assertNotNull(error, "the last line is an error line: " + rest);
      assertEquals("UNAVAILABLE", error.getString("code"));
      assertEquals(opened.getLong("seq"), error.getLong("resumeAfterSeq"));
    } finally {
      if (own != null) {
        own.close();
      }
    }
  }

  @Test
  void badRequestsAnswerACode() throws Exception {
    record Case(String name, String path, String token, int status, String code) {}
    String mistyped = alice.substring(0, 9) + (alice.charAt(9) == 'Z' ? 'Y' : 'Z');
    for (Case c : new Case[] {
        new Case("check character wrong", "/accounts/" + mistyped + "/feed.ndjson?afterSeq=-1", null, 400, "BAD_USER_INPUT"),
        new Case("not an account id", "/accounts/H00000001X/feed.ndjson?afterSeq=-1", null, 400, "BAD_USER_INPUT"),
        new Case("afterSeq missing", "/accounts/" + alice + "/feed.ndjson", null, 400, "BAD_USER_INPUT"),
        new Case("afterSeq not a number", "/accounts/" + alice + "/feed.ndjson?afterSeq=x", null, 400, "BAD_USER_INPUT"),
        new Case("afterSeq below -1", "/accounts/" + alice + "/feed.ndjson?afterSeq=-2", null, 400, "BAD_USER_INPUT"),
        new Case("afterSeq with a plus sign", "/accounts/" + alice + "/feed.ndjson?afterSeq=%2B3", null, 400, "BAD_USER_INPUT"),
        new Case("afterSeq in Arabic-Indic digits", "/accounts/" + alice + "/feed.ndjson?afterSeq=%D9%A3", null, 400,
            "BAD_USER_INPUT"),
        new Case("afterSeq twice", "/accounts/" + alice + "/feed.ndjson?afterSeq=1&afterSeq=2", null, 400, "BAD_USER_INPUT"),
        new Case("afterSeq beyond the log", "/accounts/" + alice + "/feed.ndjson?afterSeq=1000000", null, 400, "SEQ_NOT_IN_TREE"),
        new Case("follow not a boolean", "/accounts/" + alice + "/feed.ndjson?afterSeq=-1&follow=yes", null, 400, "BAD_USER_INPUT"),
        new Case("untilSeq negative", "/accounts/" + alice + "/feed.ndjson?afterSeq=-1&untilSeq=-1", null, 400, "BAD_USER_INPUT"),
        new Case("a key that is not one", "/accounts/" + alice + "/feed.ndjson?afterSeq=-1", "clk_nope_nope", 401, "UNAUTHENTICATED"),
    }) {
      var request = server.request(c.path());
      if (c.token() != null) {
        request.header("Authorization", "Bearer " + c.token());
      }
      HttpResponse<String> response = server.send(request);
      assertEquals(c.status(), response.statusCode(), c.name() + ": " + response.body());
      JsonObject error = new JsonObject(response.body()).getJsonArray("errors").getJsonObject(0);
      assertEquals(c.code(), error.getJsonObject("extensions").getString("code"), c.name());
    }
  }

  @Test
  void theExchangeClientSubmitsFollowsAndReconciles() throws Exception {
    Path trades = Files.createTempFile("trades", ".json");
    Files.writeString(trades, new JsonArray()
        .add(new JsonObject().put("reference", "EX-1").put("counterpartAccountId", bob).put("quantity", 3))
        // Not ASCII, so not part of a key: the client keys it by the reference's SHA-256.
        .add(new JsonObject().put("reference", "EX-2-取引").put("counterpartAccountId", bob).put("quantity", 4)).encode());
    assertEquals("INTROSPECTION_DISABLED", server.errorCode("{ __schema { queryType { name } } }", null));
    NodeRun run = node("run", alice, trades.toString());
    System.out.println(run.output()); // kept in the surefire report
    assertEquals(0, run.exitCode(), run.output());
    assertTrue(run.output().contains("submitted reference=EX-1 seq="), run.output());
    assertTrue(run.output().contains("submitted reference=EX-2-取引 seq="), run.output());
    assertTrue(run.output().contains("type=UNITS_TRANSFERRED reference=EX-1 counterpart=" + bob + " quantity=-3"), run.output());
    assertTrue(run.output().contains("type=UNITS_TRANSFERRED reference=EX-2-取引 counterpart=" + bob + " quantity=-4"), run.output());
    assertTrue(run.output().contains("matched=2 missingInRegistry=0 unexpectedInRegistry=0 mismatched=0"), run.output());
    List<Long> submittedSeqs = submittedSeqs(run.output());
    assertEquals(2, submittedSeqs.size(), run.output());
    for (long seq : submittedSeqs) {
      WRITTEN.put(seq, Set.of(alice, bob)); // each trade moves alice's units to bob
    }

    // Every transfer carries its idempotency key: running the same trades again writes nothing new.
    long size = logSize();
    NodeRun again = node("run", alice, trades.toString());
    assertEquals(0, again.exitCode(), again.output());
    assertEquals(submitted(run.output()), submitted(again.output()));
    assertEquals(size, logSize(), again.output());

    // A window that holds EX-1 and EX-2 but is also expected to hold EX-3, which was never sent.
    long last = submittedSeqs.get(1); // EX-2's, the latest entry about alice
    Path expected = Files.createTempFile("expected", ".json");
    Files.writeString(expected, new JsonArray(new JsonArray(Files.readString(trades)).getList())
        .add(new JsonObject().put("reference", "EX-3").put("counterpartAccountId", bob).put("quantity", 5)).encode());
    NodeRun reconcile = node("reconcile", alice, Long.toString(last - 1), Long.toString(last), expected.toString());
    System.out.println(reconcile.output());
    assertEquals(1, reconcile.exitCode(), reconcile.output());
    assertTrue(reconcile.output().contains("missing reference=EX-3"), reconcile.output());
    assertTrue(reconcile.output().contains("matched=2 missingInRegistry=1 unexpectedInRegistry=0 mismatched=0"), reconcile.output());

    NodeRun usage = node("nonsense");
    assertEquals(2, usage.exitCode(), usage.output());
  }

  @Test
  void theExchangeClientRetriesAnUnknownOutcomeWithTheSameKeyAndWritesOnce() throws Exception {
    // A mutation whose command waits in the writer longer than the GraphQL timeout is answered OUTCOME_UNKNOWN;
    // the command stays queued and commits once the writer gets the sequencer lock.
    try (TestServer slow = TestServer.start("--graphql-timeout-ms", Long.toString(SLOW_TIMEOUT_MILLIS))) {
      FaultFixture registry = new FaultFixture(slow.base, slow.adminToken);
      String seller = registry.openAccount("Seller Trading", "Seller", "HOLDING", null);
      String buyer = registry.openAccount("Buyer Airways", "Buyer", "HOLDING", null);
      registry.issueTo(seller, 100);
      String sellerKey = registry.holderKey(seller);
      String[] transfer = {"transfer", seller, buyer, "7", "LATE-1"};
      long size = registry.logSize();
      NodeClient retrying;
      try (Connection lock = SequencerLock.hold(slow.database)) {
        // While the writer is held the client retries until its budget runs out, then says the outcome is unknown
        // and which key to send it again with.
        NodeRun gaveUp = NodeClient.start(slow.base, sellerKey, Map.of("CARBON_LEDGER_RETRY_SECONDS", "2"), transfer).finish();
        assertEquals(3, gaveUp.exitCode(), gaveUp.output());
        assertTrue(gaveUp.output().contains("# OUTCOME_UNKNOWN; sending the same request again"), gaveUp.output());
        assertTrue(gaveUp.output().contains("outcome unknown") && gaveUp.output().contains("idempotencyKey=exchange-LATE-1"),
            gaveUp.output());
        // Sent again, it is answered OUTCOME_UNKNOWN too, and retries until the writer is let go.
        retrying = NodeClient.start(slow.base, sellerKey, Map.of(), transfer);
        retrying.awaitLine("# OUTCOME_UNKNOWN");
      } // closing the connection releases the lock: the queued commands commit
      NodeRun done = retrying.finish();
      System.out.println(done.output());
      assertEquals(0, done.exitCode(), done.output());
      JsonArray written = slow.data("{ transfers(filter: {reference: \"LATE-1\"}) { edges { node { seq quantity } } } }", null)
          .getJsonObject("transfers").getJsonArray("edges");
      assertEquals(1, written.size(), "every attempt of both runs carried the same key: " + written.encode());
      long seq = written.getJsonObject(0).getJsonObject("node").getLong("seq");
      assertEquals(List.of(seq), submittedSeqs(done.output()), done.output());
      assertEquals(size + 1, registry.logSize(), "nothing but the one transfer was written");
    }
  }

  // --- helpers ---

  private static List<String> submitted(String output) {
    return output.lines().filter(line -> line.startsWith("submitted ")).toList();
  }

  /** The seqs of the client's "submitted reference=... seq=N key=..." lines, in order. */
  private static List<Long> submittedSeqs(String output) {
    List<Long> seqs = new ArrayList<>();
    for (String line : submitted(output)) {
      Matcher seq = Pattern.compile(" seq=([0-9]+) ").matcher(line);
      assertTrue(seq.find(), line);
      seqs.add(Long.parseLong(seq.group(1)));
    }
    return seqs;
  }

  record NodeRun(int exitCode, String output) {}

  /** Runs the example client under Node against the shared server with alice's key, to its end. */
  private static NodeRun node(String... arguments) throws Exception {
    return NodeClient.start(server.base, aliceKey, Map.of(), arguments).finish();
  }

  /**
   * NodeClient is the example client running under Node, its stdout and stderr read as they come, so that a test
   * can act once a line appears. Starting it fails (does not skip) when Node is missing.
   */
  private static final class NodeClient {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;

    private NodeClient(Process process) {
      this.process = process;
      this.reader = new Thread(() -> {
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = in.readLine()) != null; ) {
            output.append(line).append('\n');
            lines.add(line);
          }
        } catch (IOException closed) {
          // the process was destroyed
        }
      }, "node-client-reader");
      reader.setDaemon(true);
      reader.start();
    }

    static NodeClient start(String base, String apiKey, Map<String, String> environment, String... arguments) throws IOException {
      List<String> command = new ArrayList<>(List.of("node", "examples/exchange-client.mjs"));
      command.addAll(List.of(arguments));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().put("CARBON_LEDGER_URL", base);
      builder.environment().put("CARBON_LEDGER_API_KEY", apiKey);
      builder.environment().putAll(environment);
      Process process = builder.start();
      process.getOutputStream().close();
      return new NodeClient(process);
    }

    /** Waits for a line that starts with {@code prefix}; fails after 20 s or when the client ends first. */
    void awaitLine(String prefix) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline) {
        String line = lines.poll(100, TimeUnit.MILLISECONDS);
        if (line != null && line.startsWith(prefix)) {
          return;
        }
        if (line == null && !reader.isAlive()) {
          break;
        }
      }
      process.destroyForcibly();
      throw new AssertionError("no line starting " + prefix + ":\n" + output);
    }

    /** Waits for the client to end (at most 20 s; then it is killed and the test fails); its status and output. */
    NodeRun finish() throws InterruptedException {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("node did not finish:\n" + output);
      }
      reader.join(TimeUnit.SECONDS.toMillis(5));
      return new NodeRun(process.exitValue(), output.toString());
    }
  }

  /** LiveFeed reads a following feed on its own thread, so the test can wait for lines with a timeout. */
  private static final class LiveFeed implements AutoCloseable {
    private final Stream<String> lines;
    private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    private final Thread reader;

    private LiveFeed(Stream<String> lines) {
      this.lines = lines;
      this.reader = new Thread(() -> {
        try {
          Iterator<String> iterator = lines.iterator();
          while (iterator.hasNext()) {
            queue.add(iterator.next());
          }
        } catch (RuntimeException closed) {
          // the test closed the stream
        }
      }, "feed-reader");
      reader.setDaemon(true);
      reader.start();
    }

    static LiveFeed open(String account, long afterSeq, String token) throws Exception {
      var request = server.request("/accounts/" + account + "/feed.ndjson?afterSeq=" + afterSeq);
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      HttpResponse<Stream<String>> response = server.http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
      assertEquals(200, response.statusCode());
      assertEquals("application/x-ndjson; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
      return new LiveFeed(response.body());
    }

    /** The next entry line, skipping heartbeats; fails after {@link #LINE_WAIT}. */
    JsonObject nextEntry() throws InterruptedException {
      while (true) {
        String line = queue.poll(LINE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(line, "no line within " + LINE_WAIT);
        JsonObject json = new JsonObject(line);
        if (!json.containsKey("heartbeat")) {
          assertTrue(json.containsKey("seq"), "not an entry: " + line);
          return json;
        }
      }
    }

    @Override
    public void close() {
      lines.close();
    }
  }

  /** Every line of a feed that ends by itself. */
  private static List<JsonObject> read(String account, String query, String token) throws IOException, InterruptedException {
    var request = server.request("/accounts/" + account + "/feed.ndjson?" + query);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response = server.send(request);
    assertEquals(200, response.statusCode(), response.body());
    List<JsonObject> lines = new ArrayList<>();
    response.body().lines().filter(line -> !line.isBlank()).forEach(line -> lines.add(new JsonObject(line)));
    return lines;
  }

  private static List<JsonObject> entryLines(List<JsonObject> lines) {
    return lines.stream().filter(line -> line.containsKey("seq")).toList();
  }

  /** The seqs after {@code afterSeq} of the entries this test wrote about {@code account} ({@link #WRITTEN}), in order. */
  private static List<Long> written(String account, long afterSeq) {
    return WRITTEN.entrySet().stream().filter(e -> e.getKey() > afterSeq && e.getValue().contains(account))
        .map(Map.Entry::getKey).toList();
  }

  /** Every entry of the log by seq, as the GraphQL entries query shows it. */
  private static Map<Long, JsonObject> entriesBySeq() throws Exception {
    JsonArray edges = server.data("{ entries(first: 500) { edges { node { seq type time leafHash canonicalJson data } } } }", null)
        .getJsonObject("entries").getJsonArray("edges");
    assertTrue(edges.size() < 500, "the test log outgrew one page");
    Map<Long, JsonObject> bySeq = new TreeMap<>();
    for (int i = 0; i < edges.size(); i++) {
      JsonObject node = edges.getJsonObject(i).getJsonObject("node");
      bySeq.put(node.getLong("seq"), node);
    }
    return bySeq;
  }

  private static List<Long> seqs(List<JsonObject> entries) {
    return entries.stream().map(entry -> entry.getLong("seq")).toList();
  }

  private static List<Long> concat(List<Long> first, List<Long> second) {
    List<Long> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }

  private static void awaitFollowers(int count) throws InterruptedException {
    long deadline = System.nanoTime() + LINE_WAIT.toNanos();
    while (server.server.ledger().feed().followerCount() != count) {
      assertTrue(System.nanoTime() < deadline, "followers: " + server.server.ledger().feed().followerCount());
      Thread.sleep(20);
    }
  }

  /** An ACCOUNT_HOLDER key for the holder of {@code account}. */
  private static String holderKey(String account) throws Exception {
    String holderId = server.data("query($a: ID!) { account(accountId: $a) { holder { holderId } } }", new JsonObject().put("a", account))
        .getJsonObject("account").getJsonObject("holder").getString("holderId");
    return server.data("mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { token } }",
        new JsonObject().put("i", new JsonObject().put("role", "ACCOUNT_HOLDER").put("holderId", holderId).put("name", "exchange")))
        .getJsonObject("createApiKey").getString("token");
  }

  private static long logSize() throws Exception {
    return server.data("{ log { size } }", null).getJsonObject("log").getLong("size");
  }

  /** Opens an account, recording its ACCOUNT_OPENED entry as about that account. */
  private static String openAccount(String holder, String name, String type, String program) throws Exception {
    JsonObject payload = mutation(server.adminToken, "openAccount", "account { accountId }", new JsonObject().put("holderName", holder)
        .put("holderCountry", "JP").put("name", name).put("type", type).put("program", program));
    String accountId = payload.getJsonObject("account").getString("accountId");
    WRITTEN.put(payload.getLong("seq"), Set.of(accountId));
    return accountId;
  }

  /** Transfers units, recording the entry as about both accounts; returns its seq. */
  private static long transfer(String token, String from, String to, long quantity, String reference) throws Exception {
    long seq = mutation(token, "transferUnits", "quantity", new JsonObject().put("fromAccountId", from).put("toAccountId", to)
        .put("units", new JsonObject().put("quantity", quantity)).put("reference", reference)).getLong("seq");
    WRITTEN.put(seq, Set.of(from, to));
    return seq;
  }

  /** Sends a mutation with the key {@code token}; returns its payload, which MUST have no user errors. */
  private static JsonObject mutation(String token, String field, String selection, JsonObject input) throws Exception {
    String inputType = Character.toUpperCase(field.charAt(0)) + field.substring(1) + "Input";
    JsonObject response = new JsonObject(server.post(token, "mutation($input: " + inputType + "!) { " + field
        + "(input: $input) { seq userErrors { code message } " + selection + " } }", new JsonObject().put("input", input)).body());
    assertTrue(!response.containsKey("errors"), field + ": " + response.encode());
    JsonObject payload = response.getJsonObject("data").getJsonObject(field);
    assertTrue(payload.getJsonArray("userErrors").isEmpty(), field + ": " + payload.encode());
    return payload;
  }
}
