package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.carbonledger.ledger.Hashes;
import org.carbonledger.ledger.Hex;
import org.carbonledger.registry.AccountStatus;
import org.carbonledger.registry.AccountType;
import org.carbonledger.registry.ChangeAccountStatus;
import org.carbonledger.registry.Command;
import org.carbonledger.registry.Issue;
import org.carbonledger.registry.MitigationType;
import org.carbonledger.registry.OpenAccount;
import org.carbonledger.registry.Period;
import org.carbonledger.registry.ProjectCategory;
import org.carbonledger.registry.RegisterProject;
import org.carbonledger.registry.Retire;
import org.carbonledger.registry.RetirementPurpose;
import org.carbonledger.registry.Transfer;
import org.carbonledger.registry.TseMarketClass;
import org.carbonledger.registry.UnitSelection;
import org.carbonledger.store.LedgerCommand;
import org.carbonledger.store.LogWriter.Appended;
import org.carbonledger.store.RegistryCommand;
import org.carbonledger.store.TestDatabases;
import org.carbonledger.store.TestLedger.Note;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SubscriptionsTest subscribes over a real WebSocket (graphql-transport-ws, {@link WsTestClient}) to a whole
 * server on a real PostgreSQL while entries keep being appended. Every entry after the start arrives exactly
 * once and in order, across the switch from catching up to live, field for field as the entries query gives
 * it; an account's stream has exactly the entries touching that account; a client that pauses reading gets
 * everything once it reads again; a client that drops its connection resumes from its last seq with nothing
 * lost or repeated; an operation that fails, fails alone.
 */
class SubscriptionsTest {

  private static final String FIELDS = "seq type time leafHash prevHash canonicalJson data";
  private static final String ENTRIES = "subscription($after: Long) { entries(afterSeq: $after) { " + FIELDS + " } }";

  private static TestServer server;
  private static Vertx clients;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
    clients = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    clients.close().await(30, TimeUnit.SECONDS);
    server.close();
  }

  private static Appended append(LedgerCommand command) throws Exception {
    return server.server.ledger().writer().append(command).await(30, TimeUnit.SECONDS);
  }

  private static long registry(Command command) throws Exception {
    return append(new RegistryCommand(command)).seq();
  }

  private static long appendNotes(int count, String prefix) throws Exception {
    List<Future<Appended>> appends = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      appends.add(server.server.ledger().writer().append(new Note(prefix + i)));
    }
    Future.all(appends).await(60, TimeUnit.SECONDS);
    return appends.get(count - 1).result().seq();
  }

  /** Appends {@code count} notes on another thread, in chunks with a pause between; completes with the last seq. */
  static CompletableFuture<Long> appendInBackground(TestServer target, int count, int chunk, String prefix) {
    CompletableFuture<Long> done = new CompletableFuture<>();
    Thread appender = new Thread(() -> {
      try {
        long last = -1;
        for (int first = 0; first < count; first += chunk) {
          List<Future<Appended>> appends = new ArrayList<>();
          for (int i = first; i < Math.min(count, first + chunk); i++) {
            appends.add(target.server.ledger().writer().append(new Note(prefix + i)));
          }
          Future.all(appends).await(60, TimeUnit.SECONDS);
          last = appends.get(appends.size() - 1).result().seq();
          Thread.sleep(3);
        }
        done.complete(last);
      } catch (Throwable failure) {
        done.completeExceptionally(failure);
      }
    }, "test-appender");
    appender.start();
    return done;
  }

  static long lastSeq(TestServer target) throws Exception {
    return target.server.ledger().reader().publishedSize().await(30, TimeUnit.SECONDS) - 1;
  }

  /** The entries of the next messages, which must all be {@code next} for {@code id}, through seq {@code lastSeq}. */
  static List<JsonObject> receiveThrough(WsTestClient client, String id, String field, long lastSeq) throws Exception {
    List<JsonObject> entries = new ArrayList<>();
    while (entries.isEmpty() || entries.get(entries.size() - 1).getLong("seq") < lastSeq) {
      JsonObject message = client.next();
      assertEquals(id, message.getString("id"), message.encode());
      assertEquals("next", message.getString("type"), message.encode());
      assertNull(message.getJsonObject("payload").getValue("errors"), message.encode());
      entries.add(message.getJsonObject("payload").getJsonObject("data").getJsonObject(field));
    }
    return entries;
  }

  /** Waits until the server's feed has {@code count} followers: a closed connection leaves none behind. */
  static void waitForFollowers(int count) throws InterruptedException {
    waitForFollowers(server, count);
  }

  /** Waits until {@code target}'s feed has {@code count} followers. */
  static void waitForFollowers(TestServer target, int count) throws InterruptedException {
    long deadline = System.nanoTime() + WsTestClient.WAIT.toNanos();
    while (target.server.ledger().feed().followerCount() != count) {
      assertTrue(System.nanoTime() < deadline, "followers: " + target.server.ledger().feed().followerCount() + ", expected " + count);
      Thread.sleep(5);
    }
  }

  static List<Long> seqs(List<JsonObject> entries) {
    return entries.stream().map(entry -> entry.getLong("seq")).toList();
  }

  static List<Long> range(long firstSeq, long lastSeq) {
    List<Long> seqs = new ArrayList<>();
    for (long seq = firstSeq; seq <= lastSeq; seq++) {
      seqs.add(seq);
    }
    return seqs;
  }

  /** Entries {@code firstSeq..lastSeq} as the entries query gives them, page by page from the start. */
  private static List<JsonObject> queried(long firstSeq, long lastSeq) throws Exception {
    List<JsonObject> entries = new ArrayList<>();
    String after = null;
    while (true) {
      JsonObject page = server.data("query($after: String) { entries(first: 500, after: $after) { edges { cursor node { "
          + FIELDS + " } } pageInfo { hasNextPage } } }", new JsonObject().put("after", after)).getJsonObject("entries");
      JsonArray edges = page.getJsonArray("edges");
      for (int i = 0; i < edges.size(); i++) {
        JsonObject node = edges.getJsonObject(i).getJsonObject("node");
        long seq = node.getLong("seq");
        if (seq >= firstSeq && seq <= lastSeq) {
          entries.add(node);
        }
        after = edges.getJsonObject(i).getString("cursor");
      }
      if (!page.getJsonObject("pageInfo").getBoolean("hasNextPage") || edges.isEmpty()) {
        return entries;
      }
    }
  }

  @Test
  void everyEntryAfterTheStartArrivesOnceInOrderWhileEntriesKeepArriving() throws Exception {
    appendNotes(1500, "history-"); // more than one page of catch-up
    long afterSeq = 200;
    try (WsTestClient client = WsTestClient.ready(clients, server)) {
      CompletableFuture<Long> appending = appendInBackground(server, 1500, 30, "during-");
      client.subscribe("all", ENTRIES, new JsonObject().put("after", afterSeq));
      long last = appending.get(120, TimeUnit.SECONDS);
      List<JsonObject> received = receiveThrough(client, "all", "entries", last);

      assertEquals(range(afterSeq + 1, last), seqs(received));
      for (int i = 0; i < received.size(); i++) {
        JsonObject entry = received.get(i);
        assertEquals(Hex.encode(Hashes.leafHash(entry.getString("canonicalJson").getBytes(StandardCharsets.UTF_8))),
            entry.getString("leafHash"), "the bytes hash to the leaf hash at seq " + entry.getLong("seq"));
        if (i > 0) {
          assertEquals(received.get(i - 1).getString("leafHash"), entry.getString("prevHash"), "chained at " + entry.getLong("seq"));
        }
      }
      // Caught up or live, an entry is the same as the entries query gives.
      assertEquals(queried(afterSeq + 1, last), received);
      assertNull(client.poll(Duration.ofMillis(200)), "nothing after the last entry");
    }
  }

  @Test
  void withoutAfterSeqOnlyEntriesCommittedFromNowOnArrive() throws Exception {
    try (WsTestClient client = WsTestClient.ready(clients, server)) {
      long before = lastSeq(server);
      client.subscribe("new", "subscription { entries { seq } }", null);
      // The stream starts once the server has read the log's end; append until an entry shows up.
      JsonObject first = null;
      for (int attempt = 0; attempt < 100 && first == null; attempt++) {
        appendNotes(1, "now-" + attempt + "-");
        first = client.poll(Duration.ofMillis(100));
      }
      assertTrue(first != null, "an entry arrived");
      assertTrue(first.getJsonObject("payload").getJsonObject("data").getJsonObject("entries").getLong("seq") > before,
          "the first entry is newer than the log was at subscribe: " + first.encode());
    }
  }

  @Test
  void anAccountStreamHasExactlyTheEntriesTouchingTheAccount() throws Exception {
    Period creditingPeriod = new Period(LocalDate.of(2020, 1, 1), LocalDate.of(2030, 12, 31));
    Map<String, List<Long>> touching = new HashMap<>();
    String issuance = openAccount("Secretariat", "JCREDIT issuance", AccountType.ISSUANCE, "JCREDIT", touching);
    String alice = openAccount("Alice Forestry", "Alice", AccountType.HOLDING, null, touching);
    String bob = openAccount("Bob Airways", "Bob", AccountType.HOLDING, null, touching);
    Appended registered = append(new RegistryCommand(new RegisterProject("JCREDIT", "JCL-1", "Forest", "JP", "FO-001",
        ProjectCategory.FORESTRY, MitigationType.REMOVAL, creditingPeriod, LocalDate.of(2020, 1, 1), TseMarketClass.FOREST, List.of())));
    String projectId = dataOf(registered).getString("projectId");
    record(touching, registry(new Issue(projectId, new Period(LocalDate.of(2022, 1, 1), LocalDate.of(2022, 12, 31)), 2022,
        1000, "JCU", List.of(), null, null)), issuance);
    record(touching, registry(transfer(issuance, alice, 500)), issuance, alice);
    appendNotes(20, "noise-");

    try (WsTestClient client = WsTestClient.ready(clients, server)) {
      String query = "subscription($a: ID!, $after: Long) { entriesOfAccount(accountId: $a, afterSeq: $after) { seq type data } }";
      client.subscribe("alice", query, new JsonObject().put("a", alice).put("after", -1));
      client.subscribe("bob", query, new JsonObject().put("a", bob).put("after", -1));
      // Live, while both streams run.
      record(touching, registry(transfer(alice, bob, 100)), alice, bob);
      record(touching, registry(transfer(issuance, bob, 50)), issuance, bob);
      record(touching, registry(new Retire(alice, new UnitSelection.ByQuantity(5, null, null, null),
          RetirementPurpose.VOLUNTARY_OFFSET, "Alice Forestry", null, null, 2024, null, null, null)), alice);
      appendNotes(20, "more-noise-");
      record(touching, registry(new ChangeAccountStatus(bob, AccountStatus.SUSPENDED, "test")), bob);
      record(touching, registry(new ChangeAccountStatus(alice, AccountStatus.SUSPENDED, "test")), alice);

      Map<String, List<Long>> received = new HashMap<>(Map.of("alice", new ArrayList<>(), "bob", new ArrayList<>()));
      int expected = touching.get(alice).size() + touching.get(bob).size();
      for (int i = 0; i < expected; i++) {
        JsonObject message = client.next();
        assertEquals("next", message.getString("type"), message.encode());
        JsonObject entry = message.getJsonObject("payload").getJsonObject("data").getJsonObject("entriesOfAccount");
        String id = message.getString("id");
        String account = id.equals("alice") ? alice : bob;
        JsonObject data = entry.getJsonObject("data");
        List<Object> named = List.of(String.valueOf(data.getValue("accountId")), String.valueOf(data.getValue("fromAccountId")),
            String.valueOf(data.getValue("toAccountId")));
        assertTrue(named.contains(account), id + " got an entry not touching it: " + entry.encode());
        received.get(id).add(entry.getLong("seq"));
      }
      assertEquals(touching.get(alice), received.get("alice"));
      assertEquals(touching.get(bob), received.get("bob"));
      // The rule agrees with the movements the registry projected: every entry that moved alice's units touches her.
      try (Connection connection = TestDatabases.jdbc(server.database);
           PreparedStatement statement = connection.prepareStatement(
               "SELECT DISTINCT seq FROM movements WHERE from_account = ? OR to_account = ? ORDER BY seq")) {
        statement.setString(1, alice);
        statement.setString(2, alice);
        List<Long> moved = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            moved.add(rows.getLong(1));
          }
        }
        assertEquals(3, moved.size(), "transfer in, transfer out, retirement");
        assertTrue(received.get("alice").containsAll(moved), moved + " within " + received.get("alice"));
      }
      assertNull(client.poll(Duration.ofMillis(300)), "nothing else touches them");
    }
  }

  private static String openAccount(String holder, String name, AccountType type, String program,
                                    Map<String, List<Long>> touching) throws Exception {
    Appended opened = append(new RegistryCommand(new OpenAccount(null, holder, "JP", name, type, program)));
    String accountId = dataOf(opened).getString("accountId");
    record(touching, opened.seq(), accountId);
    return accountId;
  }

  private static JsonObject dataOf(Appended appended) {
    return new JsonObject(new String(appended.entryBytes(), StandardCharsets.UTF_8)).getJsonObject("data");
  }

  private static void record(Map<String, List<Long>> touching, long seq, String... accounts) {
    for (String account : accounts) {
      touching.computeIfAbsent(account, ignored -> new ArrayList<>()).add(seq);
    }
  }

  private static Transfer transfer(String from, String to, long quantity) {
    return new Transfer(from, to, new UnitSelection.ByQuantity(quantity, null, null, null), null);
  }

  @Test
  void aClientThatDropsItsConnectionResumesFromItsLastSeqWhileEntriesKeepArriving() throws Exception {
    long start = lastSeq(server);
    CompletableFuture<Long> appending = appendInBackground(server, 2000, 20, "resume-");
    List<Long> seen = new ArrayList<>();
    String query = "subscription($after: Long) { entries(afterSeq: $after) { seq } }";
    try (WsTestClient first = WsTestClient.ready(clients, server)) {
      first.subscribe("s", query, new JsonObject().put("after", start));
      seen.addAll(seqs(receiveThrough(first, "s", "entries", start + 150)));
    } // dropped mid-stream: what it had not read yet is gone with it
    waitForFollowers(0);
    try (WsTestClient second = WsTestClient.ready(clients, server)) {
      second.subscribe("s", query, new JsonObject().put("after", seen.get(seen.size() - 1)));
      long last = appending.get(120, TimeUnit.SECONDS);
      seen.addAll(seqs(receiveThrough(second, "s", "entries", last)));
      assertEquals(range(start + 1, last), seen);
    }
  }

  @Test
  void aClientThatPausesGetsEverythingOnceItReadsAgain() throws Exception {
    long start = lastSeq(server);
    try (WsTestClient client = WsTestClient.ready(clients, server)) {
      client.subscribe("paused", "subscription($after: Long) { entries(afterSeq: $after) { seq canonicalJson } }",
          new JsonObject().put("after", start));
      client.pause();
      // About 1,100 such entries fill the socket buffers; the rest wait in the subscription's buffer of 10,000.
      String text = "y".repeat(2048);
      List<Future<Appended>> appends = new ArrayList<>();
      for (int i = 0; i < 3000; i++) {
        appends.add(server.server.ledger().writer().append(new Note(text + i)));
      }
      Future.all(appends).await(60, TimeUnit.SECONDS);
      long last = appends.get(appends.size() - 1).result().seq();
      client.resume();
      assertEquals(range(start + 1, last), seqs(receiveThrough(client, "paused", "entries", last)));
      assertTrue(!client.closed.isDone(), "still connected");
    }
  }

  @Test
  void anOperationThatFailsEndsWithAnErrorForItsIdAlone() throws Exception {
    record Case(String id, String query, String operationName, String code) {
      Case(String id, String query, String code) {
        this(id, query, null, code);
      }
    }
    Case[] cases = {
        new Case("no-such-field", "subscription { entries { noSuchField } }", "GRAPHQL_VALIDATION_FAILED"),
        new Case("syntax", "subscription { entries { seq ", "GRAPHQL_PARSE_FAILED"),
        new Case("no-operation", "fragment F on Subscription { entries { seq } }", "GRAPHQL_VALIDATION_FAILED"),
        new Case("a-query", "{ serverVersion }", "OPERATION_NOT_SUPPORTED"),
        // graphql-java runs the first operation when the name is empty: a query must not run that way either.
        new Case("a-query-named-empty", "{ serverVersion }", "", "OPERATION_NOT_SUPPORTED"),
        new Case("a-query-first-of-two-named-empty", "query Q { serverVersion } subscription S { entries { seq } }", "",
            "OPERATION_NOT_SUPPORTED"),
        new Case("a-mutation", "mutation { openAccount(input: {holderName: \"x\", holderCountry: \"JP\", name: \"x\", type: HOLDING}) { seq } }",
            "OPERATION_NOT_SUPPORTED"),
        new Case("beyond-the-log", "subscription { entries(afterSeq: 1000000000) { seq } }", "SEQ_NOT_IN_TREE"),
        new Case("before-the-start", "subscription { entries(afterSeq: -2) { seq } }", "BAD_USER_INPUT"),
        new Case("malformed-account", "subscription { entriesOfAccount(accountId: \"A123\") { seq } }", "BAD_USER_INPUT"),
        new Case("receipts", "subscription { entries(afterSeq: -1) { seq ... on Entry { receipt { tlogProof } } } }",
            "RECEIPTS_NOT_STREAMED")};
    long sizeBefore = lastSeq(server) + 1;
    try (WsTestClient client = WsTestClient.ready(clients, server)) {
      long start = lastSeq(server);
      client.subscribe("live", "subscription($after: Long) { entries(afterSeq: $after) { seq } }", new JsonObject().put("after", start));
      for (Case c : cases) {
        client.send(new JsonObject().put("id", c.id()).put("type", "subscribe").put("payload",
            new JsonObject().put("query", c.query()).put("operationName", c.operationName())));
      }
      // An empty operationName runs the first operation (graphql-java's rule): here a mutation, refused.
      client.send(new JsonObject().put("id", "empty-operation-name").put("type", "subscribe").put("payload",
          new JsonObject().put("operationName", "").put("query", cases[3].query().replace("mutation {", "mutation M {")
              + " subscription S { entries { seq } }")));
      Map<String, String> codes = new HashMap<>();
      for (int i = 0; i < cases.length + 1; i++) {
        JsonObject message = client.next();
        assertEquals("error", message.getString("type"), message.encode());
        codes.put(message.getString("id"), message.getJsonArray("payload").getJsonObject(0).getJsonObject("extensions").getString("code"));
      }
      for (Case c : cases) {
        assertEquals(c.code(), codes.get(c.id()), c.id());
      }
      assertEquals("OPERATION_NOT_SUPPORTED", codes.get("empty-operation-name"));
      assertEquals(sizeBefore, lastSeq(server) + 1, "the mutations did not run");
      // The connection and its other subscription go on, and a failed id may be used again.
      client.subscribe("no-such-field", "subscription($after: Long) { entries(afterSeq: $after) { seq } }", new JsonObject().put("after", start));
      long seq = appendNotes(1, "after-errors-");
      Map<String, Long> next = new HashMap<>();
      for (int i = 0; i < 2; i++) {
        JsonObject message = client.next();
        next.put(message.getString("id"), message.getJsonObject("payload").getJsonObject("data").getJsonObject("entries").getLong("seq"));
      }
      assertEquals(Map.of("live", seq, "no-such-field", seq), next);
    }
  }
}
