import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * LoadGenerator prepares a registry and drives load at it through GraphQL over HTTP, for bench/run.sh.
 * Every state change goes through the server's public API (the real write path); this program never
 * touches the database. It runs as a single-file program with the server jar on the class path (for the
 * JSON classes): {@code java -cp target/carbon-ledger.jar bench/LoadGenerator.java MODE --option value ...}.
 *
 * <ul>
 *   <li>{@code setup}: admin keys, an ISSUANCE account, {@code --accounts} holding accounts spread over
 *       {@code --holders} holders (one ACCOUNT_HOLDER key each), {@code --units} issued, then split into
 *       {@code --blocks} blocks by settlement batches of up to 500 transfers; writes {@code --state}.</li>
 *   <li>{@code transfers}: {@code --clients} clients each doing one transferUnits at a time for
 *       {@code --seconds}, from a random account (with its holder's key) to another.</li>
 *   <li>{@code reads}: the same, with a mix of resolveSerial, account balance and chainOfCustody.</li>
 *   <li>{@code lookups}: the same, with resolveSerial and account balance only.</li>
 *   <li>{@code proofs}: the same, with inclusionProof and consistencyProof in equal shares, for random
 *       entries and sizes below {@code --log-size}, against that tree size.</li>
 *   <li>{@code bundles}: downloads every entry bundle of the log into {@code --out}, for the SHA-256 baseline.</li>
 * </ul>
 *
 * <p>The server limits each API key to 50 requests a second (AuthGate): that is a policy, not a capacity, so
 * the load spreads its requests over one key per holder (the holder's own key, as a real exchange would
 * use) and setup over several admin keys. Results are printed as {@code key=value} lines.
 */
public class LoadGenerator {

  static final int SETTLEMENT_SIZE_MAX = 500;
  static HttpClient http;
  static URI endpoint;
  static String base;

  public static void main(String[] args) throws Exception {
    Map<String, String> options = parse(args);
    base = options.getOrDefault("url", "http://127.0.0.1:8080").replaceAll("/+$", "");
    if (!URI.create(base).getHost().equals("127.0.0.1")) {
      throw new IllegalArgumentException("the load generator only talks to 127.0.0.1");
    }
    endpoint = URI.create(base + "/graphql");
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    switch (args[0]) {
      case "setup" -> setup(options);
      case "transfers", "reads", "lookups", "proofs" -> load(args[0], options);
      case "bundles" -> bundles(options);
      default -> throw new IllegalArgumentException("mode must be setup, transfers, reads, lookups, proofs or bundles");
    }
  }

  // ---- setup ----

  static void setup(Map<String, String> o) throws Exception {
    String admin = o.get("admin-key");
    int accounts = Integer.parseInt(o.get("accounts"));
    long units = Long.parseLong(o.get("units"));
    int blocks = Integer.parseInt(o.get("blocks"));
    int holders = Math.min(accounts, Integer.parseInt(o.getOrDefault("holders", "500")));
    int clients = Integer.parseInt(o.getOrDefault("clients", "16"));
    if (units < blocks) {
      throw new IllegalArgumentException("--units must be at least --blocks");
    }
    long started = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    // Admin keys: the setup's requests spread over them, each under its own rate limit.
    List<String> admins = parallel(pool, clients, i -> mutation(admin, "createApiKey", "token",
        new JsonObject().put("role", "REGISTRY_ADMIN").put("name", "bench setup " + i)).getString("token"));
    String issuanceAccount = mutation(admin, "openAccount", "account { accountId }", new JsonObject()
        .put("holderName", "Bench Standard Secretariat").put("holderCountry", "CH").put("name", "Bench issuance")
        .put("type", "ISSUANCE").put("program", "VCS")).getJsonObject("account").getString("accountId");
    String projectId = mutation(admin, "registerProject", "project { projectId }", new JsonObject()
        .put("program", "VCS").put("programProjectId", "VCS-BENCH-1").put("name", "Benchmark forest").put("hostCountry", "BR")
        .put("methodology", "VM0048").put("category", "FORESTRY").put("mitigationType", "MIXED")
        .put("creditingPeriod", new JsonObject().put("start", "2000-01-01").put("end", "2044-12-31"))
        .put("activityStart", "2000-01-01")).getJsonObject("project").getString("projectId");
    // Holders: the first account of each creates the holder, then its key.
    List<JsonObject> firsts = parallel(pool, holders, h -> mutation(admins.get(h % admins.size()), "openAccount",
        "account { accountId holder { holderId } }", new JsonObject().put("holderName", "Bench holder " + h)
            .put("holderCountry", "JP").put("name", "Bench account " + h).put("type", "HOLDING")).getJsonObject("account"));
    List<String> holderIds = firsts.stream().map(a -> a.getJsonObject("holder").getString("holderId")).toList();
    List<String> holderKeys = parallel(pool, holders, h -> mutation(admins.get(h % admins.size()), "createApiKey", "token",
        new JsonObject().put("role", "ACCOUNT_HOLDER").put("holderId", holderIds.get(h)).put("name", "bench holder " + h))
        .getString("token"));
    List<String> rest = parallel(pool, accounts - holders, i -> mutation(admins.get(i % admins.size()), "openAccount",
        "account { accountId }", new JsonObject().put("holderId", holderIds.get((holders + i) % holders))
            .put("name", "Bench account " + (holders + i)).put("type", "HOLDING")).getJsonObject("account").getString("accountId"));
    JsonArray accountList = new JsonArray();
    JsonArray accountHolder = new JsonArray();
    for (int i = 0; i < accounts; i++) {
      accountList.add(i < holders ? firsts.get(i).getString("accountId") : rest.get(i - holders));
      accountHolder.add(i % holders);
    }
    long afterAccounts = System.nanoTime();
    progress("accounts and keys", started);
    // Issue: at most 20 issuances of at least 100,000 units each, one vintage each, counting back from last year:
    // only a monitoring period that has ended may be issued.
    long perIssuance = Math.max(100_000, (units + 19) / 20);
    int issuances = (int) ((units + perIssuance - 1) / perIssuance);
    List<JsonObject> issued = parallel(pool, issuances, i -> {
      long quantity = Math.min(perIssuance, units - i * perIssuance);
      int vintage = java.time.Year.now(java.time.ZoneOffset.UTC).getValue() - 1 - i;
      return mutation(admins.get(i % admins.size()), "issueUnits", "issuance { issuanceId serialStart serialEnd }", new JsonObject()
          .put("projectId", projectId).put("monitoringPeriod", new JsonObject().put("start", vintage + "-04-01").put("end", vintage + "-12-31"))
          .put("vintage", vintage).put("quantity", quantity).put("unitType", "VCU").put("labels", new JsonArray())).getJsonObject("issuance");
    });
    JsonArray serialRanges = new JsonArray();
    issued.forEach(i -> serialRanges.add(new JsonArray().add(i.getLong("serialStart")).add(i.getLong("serialEnd"))));
    long afterIssue = System.nanoTime();
    progress("issued", started);
    // Split: `blocks` transfers out of the issuance account, round-robin over the holding accounts, in
    // settlement batches; one transfer makes one block. The last transfer takes the remainder.
    long each = units / blocks;
    int settlementSize = Math.min(SETTLEMENT_SIZE_MAX, Integer.parseInt(o.getOrDefault("settlement-size", "100")));
    int batches = (blocks + settlementSize - 1) / settlementSize;
    // Few settlements in flight: each is one writer command of settlementSize entries, and a queue of them
    // longer than the server's request timeout (10 s) would only time out.
    ExecutorService splitPool = Executors.newFixedThreadPool(Integer.parseInt(o.getOrDefault("split-clients", "4")));
    String run = Long.toString(System.currentTimeMillis());
    parallel(splitPool, batches, b -> {
      JsonArray transfers = new JsonArray();
      for (int t = b * settlementSize; t < Math.min(blocks, (b + 1) * settlementSize); t++) {
        long quantity = t == blocks - 1 ? units - each * (blocks - 1) : each;
        transfers.add(new JsonObject().put("fromAccountId", issuanceAccount).put("toAccountId", accountList.getString(t % accounts))
            .put("units", new JsonObject().put("quantity", quantity)));
      }
      JsonObject settled = mutation(admins.get(b % admins.size()), "settleTransfers", "seqs failures { index code }",
          new JsonObject().put("transfers", transfers).put("idempotencyKey", "bench-split-" + run + "-" + b));
      if (b % 20 == 19) {
        progress("split " + (b + 1) + "/" + batches + " settlements", afterIssue);
      }
      return settled;
    });
    long done = System.nanoTime();
    progress("split", started);
    pool.shutdown();
    splitPool.shutdown();
    JsonObject state = new JsonObject().put("accounts", accountList).put("accountHolder", accountHolder)
        .put("holderKeys", new JsonArray(holderKeys)).put("serialRanges", serialRanges).put("units", units);
    Files.writeString(Path.of(o.get("state")), state.encode());
    System.out.printf("setup.accounts=%d%nsetup.holders=%d%nsetup.issuances=%d%nsetup.blocks=%d%nsetup.settlements=%d%n",
        accounts, holders, issuances, blocks, batches);
    System.out.printf("setup.accounts_seconds=%.1f%nsetup.issue_seconds=%.1f%nsetup.split_seconds=%.1f%nsetup.split_transfers_per_second=%.0f%nsetup.total_seconds=%.1f%n",
        (afterAccounts - started) / 1e9, (afterIssue - afterAccounts) / 1e9, (done - afterIssue) / 1e9,
        blocks / ((done - afterIssue) / 1e9), (done - started) / 1e9);
  }

  static void progress(String step, long started) {
    System.err.printf("setup: %s after %.1f s%n", step, (System.nanoTime() - started) / 1e9);
  }

  interface Task<T> {
    T run(int index) throws Exception;
  }

  /** Runs {@code count} tasks on the pool and returns their results in index order; the first failure stops the run. */
  static <T> List<T> parallel(ExecutorService pool, int count, Task<T> task) throws Exception {
    List<Future<T>> futures = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int index = i;
      futures.add(pool.submit(() -> task.run(index)));
    }
    List<T> out = new ArrayList<>(count);
    for (Future<T> future : futures) {
      out.add(future.get());
    }
    return out;
  }

  /** Runs one mutation and returns its payload; an error or user error fails it (setup must not half-succeed). */
  static JsonObject mutation(String key, String field, String selection, JsonObject input) throws Exception {
    String outcome = field.equals("createApiKey") ? "problems" : "userErrors { code message }";
    String query = "mutation($input: " + Character.toUpperCase(field.charAt(0)) + field.substring(1) + "Input!) { "
        + field + "(input: $input) { " + outcome + " " + selection + " } }";
    JsonObject answer = post(key, new JsonObject().put("query", query).put("variables", new JsonObject().put("input", input)));
    for (int retry = 0; retry < 20 && input.containsKey("idempotencyKey") && answer.encode().contains("OUTCOME_UNKNOWN"); retry++) {
      answer = post(key, new JsonObject().put("query", query).put("variables", new JsonObject().put("input", input)));
    }
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

  /** POSTs a GraphQL request, retrying a 429 or 503 (rate limit, writer overload) after a short pause. */
  static JsonObject post(String key, JsonObject body) throws Exception {
    for (int attempt = 0; ; attempt++) {
      HttpResponse<String> response = send(key, body.encode());
      if ((response.statusCode() == 429 || response.statusCode() == 503) && attempt < 100) {
        Thread.sleep(100);
        continue;
      }
      return new JsonObject(response.body());
    }
  }

  static HttpResponse<String> send(String key, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  // ---- load ----

  static final String TRANSFER = "mutation($input: TransferUnitsInput!) { transferUnits(input: $input) { seq userErrors { code } } }";
  static final String SERIAL = "query($s: String!) { resolveSerial(serial: $s) { block { serialStart serialEnd quantity state } } }";
  static final String BALANCE = "query($a: ID!) { account(accountId: $a) { balance } }";
  static final String CUSTODY = "query($s: String!) { chainOfCustody(serial: $s) { serial steps { kind fromAccountId toAccountId entry { seq } } } }";
  static final String INCLUSION = "query($s: Long!, $n: Long) { inclusionProof(seq: $s, treeSize: $n) { leafHash path rootHash } }";
  static final String CONSISTENCY = "query($o: Long!, $n: Long) { consistencyProof(oldSize: $o, newSize: $n) { path oldRootHash newRootHash } }";

  /** Per-kind counters and latencies of one thread. */
  static final class Tally {
    final Map<String, long[]> counts = new HashMap<>(); // kind -> {ok, rejected, errors}
    final Map<String, LongList> latencies = new HashMap<>();

    void add(String kind, int outcome, long nanos) {
      counts.computeIfAbsent(kind, k -> new long[3])[outcome]++;
      latencies.computeIfAbsent(kind, k -> new LongList()).add(nanos);
    }
  }

  static final class LongList {
    long[] values = new long[1 << 16];
    int size;

    void add(long value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }
  }

  /**
   * Runs {@code --clients} closed-loop clients: each sends one request, waits for its answer, then sends the
   * next, over its own kept-alive connection. They are driven by Vert.x's non-blocking HTTP client rather than
   * a thread each, so that the generator takes as little as possible of the CPUs it shares with the server.
   */
  static void load(String mode, Map<String, String> o) throws Exception {
    JsonObject state = new JsonObject(Files.readString(Path.of(o.get("state"))));
    int clients = Integer.parseInt(o.getOrDefault("clients", "16"));
    double seconds = Double.parseDouble(o.getOrDefault("seconds", "30"));
    double warmupSeconds = Double.parseDouble(o.getOrDefault("warmup-seconds", "3"));
    JsonArray accounts = state.getJsonArray("accounts");
    JsonArray accountHolder = state.getJsonArray("accountHolder");
    JsonArray holderKeys = state.getJsonArray("holderKeys");
    JsonArray ranges = state.getJsonArray("serialRanges");
    long logSize = Long.parseLong(o.getOrDefault("log-size", "0"));
    if (mode.equals("proofs") && logSize < 2) {
      throw new IllegalArgumentException("proofs needs --log-size of at least 2");
    }
    long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
    long end = warmupEnd + (long) (seconds * 1e9);
    AtomicLong warmupRequests = new AtomicLong();
    AtomicBoolean firstError = new AtomicBoolean();
    Vertx vertx = Vertx.vertx();
    HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(clients));
    URI target = URI.create(base);
    CountDownLatch finished = new CountDownLatch(clients);
    // Tells bench/run.sh when the measured window opens, so it reads CPU times over that window only.
    vertx.setTimer(Math.max(1, (warmupEnd - System.nanoTime()) / 1_000_000), id -> {
      System.out.println(mode + ".measuring=1");
      System.out.flush();
    });
    List<Tally> tallies = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      Tally tally = new Tally();
      tallies.add(tally);
      new Runnable() {
        @Override
        public void run() {
          long begin = System.nanoTime();
          if (begin >= end) {
            finished.countDown();
            return;
          }
          ThreadLocalRandom random = ThreadLocalRandom.current();
          int a = random.nextInt(accounts.size());
          String key = holderKeys.getString(accountHolder.getInteger(a));
          String kind;
          JsonObject body;
          if (mode.equals("transfers")) {
            int b = random.nextInt(accounts.size() - 1);
            b = b >= a ? b + 1 : b;
            kind = "transfer";
            body = new JsonObject().put("query", TRANSFER).put("variables", new JsonObject().put("input", new JsonObject()
                .put("fromAccountId", accounts.getString(a)).put("toAccountId", accounts.getString(b))
                .put("units", new JsonObject().put("quantity", 1))));
          } else if (mode.equals("proofs")) {
            long point = random.nextLong(1, logSize);
            boolean inclusion = random.nextBoolean();
            kind = inclusion ? "inclusion" : "consistency";
            body = inclusion
                ? new JsonObject().put("query", INCLUSION).put("variables", new JsonObject().put("s", point).put("n", logSize))
                : new JsonObject().put("query", CONSISTENCY).put("variables", new JsonObject().put("o", point).put("n", logSize));
          } else {
            int pick = random.nextInt(mode.equals("lookups") ? 2 : 3);
            JsonArray range = ranges.getJsonArray(random.nextInt(ranges.size()));
            String serial = Long.toString(random.nextLong(range.getLong(0), range.getLong(1) + 1));
            kind = pick == 0 ? "serial" : pick == 1 ? "balance" : "custody";
            body = switch (pick) {
              case 0 -> new JsonObject().put("query", SERIAL).put("variables", new JsonObject().put("s", serial));
              case 1 -> new JsonObject().put("query", BALANCE).put("variables", new JsonObject().put("a", accounts.getString(a)));
              default -> new JsonObject().put("query", CUSTODY).put("variables", new JsonObject().put("s", serial));
            };
          }
          client.request(HttpMethod.POST, target.getPort(), target.getHost(), "/graphql")
              .compose(request -> request.putHeader("Content-Type", "application/json").putHeader("Authorization", "Bearer " + key)
                  .send(body.encode()))
              .compose(response -> response.body().map(answer -> outcome(mode, kind, response.statusCode(), answer.toString(), firstError)))
              .onComplete(done -> {
                int outcome = done.succeeded() ? done.result() : 2;
                if (begin >= warmupEnd) {
                  tally.add(kind, outcome, System.nanoTime() - begin);
                } else {
                  warmupRequests.incrementAndGet();
                }
                run();
              });
        }
      }.run();
    }
    finished.await();
    vertx.close().await();
    report(mode, tallies, seconds, clients, warmupRequests.get());
  }

  /** 0 for a success, 1 for a transfer the rules rejected, 2 for an error (the first one is printed). */
  static int outcome(String mode, String kind, int status, String body, AtomicBoolean firstError) {
    JsonObject answer = new JsonObject(body);
    if (status != 200 || answer.containsKey("errors")) {
      if (firstError.compareAndSet(false, true)) {
        System.err.println(mode + ".first_error=" + status + " " + body);
      }
      return 2;
    }
    if (kind.equals("transfer")) {
      return answer.getJsonObject("data").getJsonObject("transferUnits").getValue("seq") != null ? 0 : 1;
    }
    return 0;
  }

  static void report(String mode, List<Tally> tallies, double seconds, int clients, long warmupRequests) {
    Map<String, long[]> counts = new java.util.TreeMap<>();
    Map<String, LongList> latencies = new HashMap<>();
    for (Tally tally : tallies) {
      tally.counts.forEach((kind, c) -> {
        long[] sum = counts.computeIfAbsent(kind, k -> new long[3]);
        for (int i = 0; i < 3; i++) {
          sum[i] += c[i];
        }
      });
      tally.latencies.forEach((kind, list) -> {
        LongList all = latencies.computeIfAbsent(kind, k -> new LongList());
        for (int i = 0; i < list.size; i++) {
          all.add(list.values[i]);
        }
      });
    }
    System.out.printf("%s.clients=%d%n%s.seconds=%.1f%n%s.warmup_requests=%d%n", mode, clients, mode, seconds, mode, warmupRequests);
    long total = 0;
    LongList every = new LongList();
    for (Map.Entry<String, long[]> e : counts.entrySet()) {
      String k = mode + "." + e.getKey();
      long[] c = e.getValue();
      total += c[0] + c[1] + c[2];
      long[] sorted = Arrays.copyOf(latencies.get(e.getKey()).values, latencies.get(e.getKey()).size);
      Arrays.sort(sorted);
      for (long v : sorted) {
        every.add(v);
      }
      System.out.printf("%s.ok=%d%n%s.rejected=%d%n%s.errors=%d%n%s.ok_per_second=%.1f%n", k, c[0], k, c[1], k, c[2], k, c[0] / seconds);
      printPercentiles(k, sorted);
    }
    long[] sorted = Arrays.copyOf(every.values, every.size);
    Arrays.sort(sorted);
    System.out.printf("%s.all.requests=%d%n%s.all.requests_per_second=%.1f%n", mode, total, mode, total / seconds);
    printPercentiles(mode + ".all", sorted);
  }

  static void printPercentiles(String key, long[] sorted) {
    if (sorted.length == 0) {
      return;
    }
    for (double p : new double[] {50, 95, 99}) {
      int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
      System.out.printf("%s.p%.0f_ms=%.2f%n", key, p, sorted[Math.max(0, i)] / 1e6);
    }
    System.out.printf("%s.max_ms=%.2f%n", key, sorted[sorted.length - 1] / 1e6);
  }

  // ---- bundles ----

  /** Writes every entry bundle of the current checkpoint's tree to --out and prints the entry count. */
  static void bundles(Map<String, String> o) throws Exception {
    String checkpoint = get("/log/checkpoint");
    long size = Long.parseLong(checkpoint.split("\n")[1].trim());
    long bytes = 0;
    try (OutputStream out = Files.newOutputStream(Path.of(o.get("out")))) {
      for (long n = 0; n * 256 < size; n++) {
        long width = Math.min(256, size - n * 256);
        String path = "/log/tile/entries/" + encodeIndex(n) + (width < 256 ? ".p/" + width : "");
        byte[] bundle = http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray()).body();
        out.write(bundle);
        bytes += bundle.length;
      }
    }
    System.out.printf("bundles.entries=%d%nbundles.bytes=%d%n", size, bytes);
  }

  static String get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  /** C2SP tlog-tiles index encoding: 1234067 is x001/x234/067. */
  static String encodeIndex(long index) {
    String digits = Long.toString(index);
    digits = "0".repeat((3 - digits.length() % 3) % 3) + digits;
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < digits.length(); i += 3) {
      boolean last = i + 3 == digits.length();
      out.append(last ? "" : "x").append(digits, i, i + 3).append(last ? "" : "/");
    }
    return out.toString();
  }

  static Map<String, String> parse(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 1; i < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    return options;
  }
}
