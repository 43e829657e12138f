package org.carbonledger.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.carbonledger.ledger.EntryBundle;
import org.carbonledger.ledger.EntryCodec;
import org.carbonledger.ledger.Hashes;
import org.carbonledger.ledger.Hex;
import org.carbonledger.ledger.LedgerEntry;
import org.carbonledger.ledger.TileId;
import org.carbonledger.verify.VerificationException.Code;
import org.carbonledger.registry.BlockState;
import org.carbonledger.registry.CorrespondingAdjustmentStatus;
import org.carbonledger.registry.Decision;
import org.carbonledger.registry.EntryTypes;
import org.carbonledger.registry.Ids;
import org.carbonledger.registry.RegistryState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * LogVerifierTest checks LogVerifier on logs built in memory from the ledger primitives: well-formed logs whose
 * sizes cross tile boundaries and tile levels, a state file advancing over three runs, and a table of
 * corruptions, one named row each, asserting the exact failure reported and that the run left its state file
 * (saved, or none yet) as it was. Every row runs twice: from memory, and over real HTTP from a {@link TileServer}
 * serving the same bytes.
 */
class LogVerifierTest {

  /** Larger than one level-1 tile (65,536 entries), so levels 0, 1 and 2 all have tiles; entries are tiny. */
  static final int BIG = 65_536 + 300;

  enum Transport { MEMORY, HTTP }

  private static TileServer server;
  private static TestLog big;
  private static Map<String, byte[]> bigPublished;

  @TempDir
  Path directory;

  @BeforeAll
  static void start() throws Exception {
    server = new TileServer();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static synchronized TestLog big() {
    if (big == null) {
      big = TestLog.ofSize(BIG);
      bigPublished = Map.copyOf(big.publish());
    }
    return big;
  }

  /** What the big log publishes, in a new mutable map; built once, as signing and bundling it takes a while. */
  static Map<String, byte[]> bigPublished() {
    big();
    return new HashMap<>(bigPublished);
  }

  // ---- happy paths ----

  static Stream<Arguments> sizes() {
    return Stream.of(1, 255, 256, 257, BIG).flatMap(size -> Stream.of(Transport.values()).map(t -> Arguments.of(size, t)));
  }

  @ParameterizedTest(name = "size {0} over {1}")
  @MethodSource("sizes")
  void verifiesAWellFormedLog(int size, Transport transport) throws Exception {
    TestLog log = size == BIG ? big() : TestLog.ofSize(size);
    Map<String, byte[]> published = size == BIG ? bigPublished() : log.publish();
    LogSource source = source(transport, published, Set.of());

    VerifyResult result = new LogVerifier(source, TestLog.KEY).verify();

    assertEquals(size, result.size());
    assertArrayEquals(log.root(), result.checkpoint().rootHash());
    assertEquals(log.tileIds().size(), result.tileCount());
    assertEquals(log.bundles().size(), result.bundleCount());
    assertEquals(new String(published.get("checkpoint"), StandardCharsets.UTF_8), result.signedCheckpoint());
    if (source instanceof MemorySource memory) {
      Set<String> tiles = published.keySet().stream().filter(path -> path.startsWith("tile/")).collect(Collectors.toSet());
      assertEquals(tiles, memory.fetched.stream().filter(path -> path.startsWith("tile/")).collect(Collectors.toSet()),
          "every tile and bundle of the tree is read, and nothing else");
    }
  }

  @Test
  void bigLogHasTilesAtThreeLevels() {
    // 65,836 entries: 257 full level-0 tiles and one of 44; one full level-1 tile and one of 1; a level-2 tile of 1.
    List<String> upper = big().tileIds().stream().filter(id -> id.level() > 0).map(TileId::path).toList();
    assertEquals(List.of("tile/1/000", "tile/1/001.p/1", "tile/2/000.p/1"), upper);
    assertEquals(258 + 3, big().tileIds().size());
  }

  @Test
  void stateFileAdvancesOverThreeRuns() throws Exception {
    StateFile state = new StateFile(directory.resolve("state"));
    TestLog log = TestLog.ofSize(600);
    OptionalLong previous = OptionalLong.empty();
    for (int size : new int[] {100, 257, 600}) {
      TestLog prefix = TestLog.of(log.entries.subList(0, size));
      VerifyResult result = new LogVerifier(new MemorySource(prefix.publish()), TestLog.KEY, Optional.of(state)).verify();
      assertEquals(size, result.size());
      assertEquals(previous, result.savedSize());
      assertEquals(prefix.checkpoint(), Files.readString(state.path()));
      previous = OptionalLong.of(size);
    }
    // A run at the same size passes and keeps the state.
    VerifyResult again = new LogVerifier(new MemorySource(log.publish()), TestLog.KEY, Optional.of(state)).verify();
    assertEquals(600, again.savedSize().getAsLong());
    assertEquals(log.checkpoint(), Files.readString(state.path()));
    try (Stream<Path> files = Files.list(directory)) {
      assertEquals(List.of(state.path()), files.toList(), "no temporary file is left behind");
    }
  }

  @Test
  void stateFileAdvancesOverHttpAcrossTileLevels() throws Exception {
    StateFile state = new StateFile(directory.resolve("state"));
    TestLog small = TestLog.of(big().entries.subList(0, 70));
    server.serve(small.publish());
    new LogVerifier(httpSource(), TestLog.KEY, Optional.of(state)).verify();
    server.serve(bigPublished());
    VerifyResult result = new LogVerifier(httpSource(), TestLog.KEY, Optional.of(state)).verify();
    assertEquals(70, result.savedSize().getAsLong());
    assertEquals(big().checkpoint(), Files.readString(state.path()));
  }

  /** Many saved sizes against one log: the consistency proof built from the tiles always verifies. */
  @Test
  void consistencyProofsFromTilesVerifyForManySizes() throws Exception {
    TestLog log = TestLog.ofSize(1100);
    MemorySource source = new MemorySource(log.publish());
    for (int old : new int[] {1, 2, 3, 7, 8, 100, 255, 256, 257, 511, 512, 513, 1024, 1099}) {
      Path file = directory.resolve("state-" + old);
      Files.writeString(file, TestLog.of(log.entries.subList(0, old)).checkpoint());
      VerifyResult result = new LogVerifier(source, TestLog.KEY, Optional.of(new StateFile(file))).verify();
      assertEquals(old, result.savedSize().getAsLong());
    }
  }

  /** A tile served right while the entries are checked and wrong when the proof is built: the proof catches it. */
  @Test
  void consistencyProofFromTilesThatChangedIsRefused() throws Exception {
    TestLog log = TestLog.ofSize(10);
    Path file = directory.resolve("state");
    Files.writeString(file, TestLog.of(log.entries.subList(0, 5)).checkpoint());
    Map<String, byte[]> published = log.publish();
    byte[] flipped = flip(published.get("tile/0/000.p/10"), 4 * Hashes.SIZE_BYTES);
    AtomicInteger tileFetches = new AtomicInteger();
    LogSource source = new MemorySource(published) {
      @Override
      public byte[] tile(TileId id) throws FetchException {
        byte[] body = super.tile(id);
        return tileFetches.incrementAndGet() == 1 ? body : flipped;
      }
    };

    VerificationException e = assertThrows(VerificationException.class,
        () -> new LogVerifier(source, TestLog.KEY, Optional.of(new StateFile(file))).verify());

    assertEquals(Code.STATE_PROOF_INVALID, e.code());
    assertEquals("state: the consistency proof from 5 to 10, built from the log's tiles, does not verify: "
        + "consistency proof does not lead to the old root", e.getMessage());
    assertEquals(TestLog.of(log.entries.subList(0, 5)).checkpoint(), Files.readString(file), "state unchanged");
  }

  /**
   * A log that verifies but whose checkpoint cannot be saved fails the run: the next run could not check that the
   * log only grew. Here the state file's directory is missing (VerifyCommand refuses that before it starts; a
   * directory removed while the log is checked, or any caller of LogVerifier, meets it here).
   */
  @Test
  void stateThatCannotBeSavedFailsTheRun() throws Exception {
    Path file = directory.resolve("missing").resolve("state");
    StateFile state = new StateFile(file);

    VerificationException e = assertThrows(VerificationException.class,
        () -> new LogVerifier(new MemorySource(TestLog.ofSize(10).publish()), TestLog.KEY, Optional.of(state)).verify());

    assertEquals(Code.STATE_NOT_SAVED, e.code(), e.getMessage());
    // The reason is the temporary file that could not be made beside the state file.
    assertTrue(e.getMessage().matches(Pattern.quote("state: cannot save " + file + ": " + file.getParent().resolve(".state"))
        + "[0-9]+\\.tmp"), e.getMessage());
    assertEquals(OptionalLong.empty(), e.seq());
    assertFalse(Files.exists(file.getParent()));
  }

  /**
   * A saved checkpoint that cannot be replaced stays as it was, and the run fails. The file's name is 250
   * characters: a valid name, but no temporary file (its name plus a number and ".tmp") fits beside it, which
   * fails the save whatever the user's permissions (tests may run as root).
   */
  @Test
  void stateThatCannotBeReplacedIsLeftAsItWas() throws Exception {
    TestLog log = TestLog.ofSize(20);
    String saved = TestLog.of(log.entries.subList(0, 10)).checkpoint();
    Path file = directory.resolve("s".repeat(250));
    Files.writeString(file, saved);

    VerificationException e = assertThrows(VerificationException.class,
        () -> new LogVerifier(new MemorySource(log.publish()), TestLog.KEY, Optional.of(new StateFile(file))).verify());

    assertEquals(Code.STATE_NOT_SAVED, e.code(), e.getMessage());
    assertTrue(e.getMessage().startsWith("state: cannot save " + file + ": ")
        && e.getMessage().endsWith(": File name too long"), e.getMessage());
    assertEquals(saved, Files.readString(file));
    try (Stream<Path> files = Files.list(directory)) {
      assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
    }
  }

  // ---- bundles fetched and checked ahead, taken in order ----

  /**
   * Bundle 1 holds a tampered entry and bundle 3 an undecodable one; bundle 1 is served last, long after the
   * bundles fetched ahead of it were checked. The failure reported is still bundle 1's.
   */
  @Test
  void firstBadEntryIsReportedWhicheverBundleArrivesFirst() throws Exception {
    TestLog log = TestLog.ofSize(5 * 256 + 10);
    List<byte[]> entries = new ArrayList<>(tamper(log.entries, 300));
    entries.set(900, replace(entries.get(900), "{\"data\":", "{\"data\": "));
    server.serve(withBundlesOf(log, entries));
    server.delayed.put("tile/entries/001", 500L);

    VerificationException e = assertThrows(VerificationException.class,
        () -> new LogVerifier(httpSource(), TestLog.KEY).verify());

    assertEquals(Code.ENTRY_PREV_MISMATCH, e.code(), e.getMessage());
    assertEquals("entry 301: prev does not match the leaf hash of entry 300", e.getMessage());
    assertEquals(OptionalLong.of(301), e.seq());
  }

  /** A bundle that cannot be fetched midway fails the run there, although later bundles arrived and hold bad entries. */
  @Test
  void fetchFailingMidwayIsReportedForItsBundle() throws Exception {
    TestLog log = TestLog.ofSize(6 * 256);
    Map<String, byte[]> published = withBundlesOf(log, tamper(log.entries, 1300));
    published.remove("tile/entries/002");
    server.serve(published);
    server.delayed.put("tile/entries/002", 300L);

    VerificationException e = assertThrows(VerificationException.class,
        () -> new LogVerifier(httpSource(), TestLog.KEY).verify());

    assertEquals(Code.FETCH_FAILED, e.code(), e.getMessage());
    assertEquals("entry bundle 002: GET " + server.logUrl() + "/tile/entries/002: HTTP 404", e.getMessage());
  }

  /** A response cut short midway fails the run there too, naming the bundle. */
  @Test
  void bundleCutShortMidwayIsReportedForItsBundle() throws Exception {
    TestLog log = TestLog.ofSize(6 * 256);
    server.serve(log.publish());
    server.cutShort.add("tile/entries/003");

    VerificationException e = assertThrows(VerificationException.class,
        () -> new LogVerifier(httpSource(), TestLog.KEY).verify());

    assertEquals(Code.FETCH_FAILED, e.code(), e.getMessage());
    assertTrue(e.getMessage().startsWith("entry bundle 003: GET " + server.logUrl() + "/tile/entries/003: "),
        e.getMessage());
  }

  /** The registry replayed from a log holds what its entries did: balances, and every unit's state. */
  @Test
  void aRegistryLogReplaysToItsBalancesAndUnits() throws Exception {
    server.serve(TestLog.ofRegistryEntries(RegistryLog.entries()).publish());

    RegistryState registry = new LogVerifier(httpSource(), TestLog.KEY).verify().registry().orElseThrow();

    assertEquals(Map.of(RegistryLog.ISSUANCE_ACCOUNT, 400L, RegistryLog.HOLDER_ACCOUNT, 500L), registry.balances());
    assertEquals(BlockState.RETIRED, registry.blockContaining(100).orElseThrow().state());
    assertEquals(RegistryLog.HOLDER_ACCOUNT, registry.blockContaining(101).orElseThrow().accountId());
    assertEquals(BlockState.ACTIVE, registry.blockContaining(101).orElseThrow().state());
    assertEquals(RegistryLog.ISSUANCE_ACCOUNT, registry.blockContaining(601).orElseThrow().accountId());
  }

  /** A CORSIA retirement of authorised units after their corresponding adjustment claims nothing twice. */
  @Test
  void aCorsiaRetirementDoneRightVerifies() throws Exception {
    server.serve(TestLog.ofRegistryEntries(RegistryLog.corsiaEntries()).publish());

    RegistryState registry = new LogVerifier(httpSource(), TestLog.KEY).verify().registry().orElseThrow();

    assertEquals(BlockState.RETIRED, registry.blockContaining(10).orElseThrow().state());
  }

  /**
   * The CORSIA first phase accepts a letter attesting that the adjustment will be applied: retiring before it is
   * claims nothing twice, while the same log without the attestation does (the double-claim row below).
   */
  @Test
  void aFirstPhaseRetirementOnAnAttestedAdjustmentVerifies() throws Exception {
    server.serve(TestLog.ofRegistryEntries(RegistryLog.corsiaEntriesOnAttestation()).publish());

    RegistryState registry = new LogVerifier(httpSource(), TestLog.KEY).verify().registry().orElseThrow();

    assertEquals(BlockState.RETIRED, registry.blockContaining(10).orElseThrow().state());
    assertEquals(CorrespondingAdjustmentStatus.PENDING, registry.issuance(Ids.format(Ids.Kind.ISSUANCE, 1)).orElseThrow().correspondingAdjustment());
  }

  @Test
  void withoutTheRegistryReplayALogOfOtherEntriesVerifies() throws Exception {
    server.serve(TestLog.of(TestLog.chain(10, (seq, prev) -> seq == 0 ? TestLog.entry(seq, prev)
        : TestLog.entry(seq, prev, "TEST_ENTRY", Map.of("n", seq)))).publish());

    VerifyResult result = new LogVerifier(httpSource(), TestLog.KEY, Optional.empty(), false).verify();

    assertEquals(10, result.size());
    assertTrue(result.registry().isEmpty());
  }

  /**
   * Entries the fast path leaves to the strict decoder (member names that are not plain ASCII) verify like any
   * other, also as the first entry of a bundle; and a bad one among them is reported as such. They are not
   * registry entries, so the registry is not replayed.
   */
  @Test
  void entriesLeftToTheStrictDecoderVerify() throws Exception {
    TestLog log = TestLog.of(TestLog.chain(600, (seq, prev) -> switch ((int) seq) {
      case 7, 256 -> TestLog.entry(seq, prev, "TEST_ENTRY", Map.of("n\u00e9", seq));
      case 300 -> TestLog.entry(seq, prev, "TEST_ENTRY", Map.of("say \"n\"", seq));
      default -> TestLog.entry(seq, prev);
    }));
    server.serve(log.publish());
    assertEquals(600, new LogVerifier(httpSource(), TestLog.KEY, Optional.empty(), false).verify().size());

    List<byte[]> tampered = new ArrayList<>(log.entries);
    tampered.set(256, replace(tampered.get(256), "\"n\u00e9\":256", "\"n\u00e9\":257"));
    server.serve(withBundlesOf(log, tampered));
    VerificationException e = assertThrows(VerificationException.class,
        () -> new LogVerifier(httpSource(), TestLog.KEY, Optional.empty(), false).verify());
    assertEquals("entry 257: prev does not match the leaf hash of entry 256", e.getMessage());
  }

  /**
   * Entries of one batch share a time, and the time is found from each entry's end, whatever its type and data:
   * equal times verify, through the fast path and the strict decoder alike (entry 7's member name is not ASCII).
   */
  @Test
  void entriesWithEqualTimesVerify() throws Exception {
    TestLog log = TestLog.of(TestLog.chain(300, (seq, prev) -> seq == 7
        ? EntryCodec.encode(new LedgerEntry(seq, prev, TestLog.START, "TEST_ENTRY",
            Map.of("n\u00e9", seq, "time", "9999-12-31T23:59:59.999999Z")))
        : TestLog.entryAt(seq, prev, TestLog.START.plusSeconds(seq / 100))));
    assertEquals(300, new LogVerifier(new MemorySource(log.publish()), TestLog.KEY, Optional.empty(), false)
        .verify().size());
  }

  // ---- corruptions ----

  /** Case is what one corruption row sets up: the published resources, the state file, and the failure expected. */
  record Case(Map<String, byte[]> published, Optional<String> saved, Set<String> cutShort, Code code, String message,
      boolean prefixOnly) {

    static Case fails(Map<String, byte[]> published, Code code, String message) {
      return new Case(published, Optional.empty(), Set.of(), code, message, false);
    }

    Case saved(String note) {
      return new Case(published, Optional.of(note), cutShort, code, message, prefixOnly);
    }

    /** Served over HTTP with its Content-Length but half the body, then the connection closes. */
    Case cutShort(String path) {
      return new Case(published, saved, Set.of(path), code, message, true);
    }
  }

  /** Row is one named corruption; {@code {log}} and {@code {state}} in its message stand for the URL and file. */
  record Row(String name, Set<Transport> transports, Supplier<Case> setup) {}

  static Row row(String name, Supplier<Case> setup) {
    return new Row(name, Set.of(Transport.values()), setup);
  }

  static Row httpRow(String name, Supplier<Case> setup) {
    return new Row(name, Set.of(Transport.HTTP), setup);
  }

  static List<Row> rows() {
    String other = TestLog.OTHER_SIGNER.verifierKey();
    return List.of(
        row("tampered entry byte", () -> {
          TestLog log = TestLog.ofSize(10);
          return Case.fails(withBundlesOf(log, tamper(log.entries, 5)), Code.ENTRY_PREV_MISMATCH,
              "entry 6: prev does not match the leaf hash of entry 5");
        }),
        row("tampered last entry of a full bundle", () -> {
          TestLog log = TestLog.ofSize(300);
          return Case.fails(withBundlesOf(log, tamper(log.entries, 255)), Code.ENTRY_PREV_MISMATCH,
              "entry 256: prev does not match the leaf hash of entry 255");
        }),
        row("tampered last entry of the log", () -> {
          TestLog log = TestLog.ofSize(10);
          List<byte[]> tampered = tamper(log.entries, 9);
          return Case.fails(withBundlesOf(log, tampered), Code.ROOT_MISMATCH, "root mismatch at size 10: the checkpoint has "
              + Hex.encode(log.root()) + ", the entries give " + Hex.encode(TestLog.of(tampered).root()));
        }),
        row("tampered byte breaks the JSON", () -> {
          TestLog log = TestLog.ofSize(10);
          List<byte[]> tampered = new ArrayList<>(log.entries);
          tampered.set(5, replace(tampered.get(5), "\"type\":\"HOLDING\"}", "\"type\":\"HOLDING\"]"));
          return Case.fails(withBundlesOf(log, tampered), Code.ENTRY_UNDECODABLE,
              "entry 5: does not decode: expected ',' or '}' at char 145");
        }),
        row("wrong prev", () -> Case.fails(TestLog.of(TestLog.chain(10, (seq, prev) ->
                TestLog.entry(seq, seq == 7 ? "ab".repeat(32) : prev))).publish(), Code.ENTRY_PREV_MISMATCH,
            "entry 7: prev does not match the leaf hash of entry 6")),
        row("entry 0 prev is not zeros", () -> Case.fails(TestLog.of(TestLog.chain(10, (seq, prev) ->
                TestLog.entry(seq, seq == 0 ? "11".repeat(32) : prev))).publish(), Code.ENTRY_PREV_MISMATCH,
            "entry 0: prev is not 64 zeros")),
        row("seq gap", () -> Case.fails(TestLog.of(TestLog.chain(10, (seq, prev) ->
                TestLog.entry(seq == 7 ? 8 : seq, prev))).publish(), Code.ENTRY_SEQ_NOT_NEXT,
            "entry 7: seq is 8, expected 7")),
        row("seq repeated", () -> Case.fails(TestLog.of(TestLog.chain(10, (seq, prev) ->
                TestLog.entry(seq == 7 ? 6 : seq, prev))).publish(), Code.ENTRY_SEQ_NOT_NEXT,
            "entry 7: seq is 6, expected 7")),
        row("time goes backwards", () -> Case.fails(TestLog.of(TestLog.chain(10, (seq, prev) ->
                TestLog.entryAt(seq, prev, TestLog.START.plusSeconds(seq == 7 ? 5 : seq)))).publish(),
            Code.ENTRY_TIME_BACKWARDS,
            "entry 7: time 2026-01-01T00:00:05.000000Z is before 2026-01-01T00:00:06.000000Z, the time of entry 6")),
        row("time goes back by a microsecond at a bundle's first entry", () -> Case.fails(TestLog.of(TestLog.chain(300,
                (seq, prev) -> TestLog.entryAt(seq, prev, seq == 256
                    ? TestLog.START.plusSeconds(255).minusNanos(1000) : TestLog.START.plusSeconds(seq)))).publish(),
            Code.ENTRY_TIME_BACKWARDS,
            "entry 256: time 2026-01-01T00:04:14.999999Z is before 2026-01-01T00:04:15.000000Z, the time of entry 255")),
        row("non-canonical entry", () -> Case.fails(TestLog.of(TestLog.chain(10, (seq, prev) -> seq == 3
                ? replace(TestLog.entry(seq, prev), "{\"data\":", "{\"data\": ") : TestLog.entry(seq, prev))).publish(),
            Code.ENTRY_UNDECODABLE, "entry 3: does not decode: entry is not in RFC 8785 canonical form")),
        row("entry 0 names another key", () -> Case.fails(TestLog.of(TestLog.chain(10, (seq, prev) -> seq == 0
                ? TestLog.entry(0, prev, "REGISTRY_CREATED", TestLog.registryCreated(TestLog.ORIGIN, other))
                : TestLog.entry(seq, prev))).publish(), Code.ENTRY_ZERO_WRONG,
            "entry 0: names verifier key \"" + other + "\", expected \"" + TestLog.VKEY + "\"")),
        row("entry 0 names another origin", () -> Case.fails(TestLog.of(TestLog.chain(10, (seq, prev) -> seq == 0
                ? TestLog.entry(0, prev, "REGISTRY_CREATED", TestLog.registryCreated("other.example/log", TestLog.VKEY))
                : TestLog.entry(seq, prev))).publish(), Code.ENTRY_ZERO_WRONG,
            "entry 0: names origin \"other.example/log\", expected \"" + TestLog.ORIGIN + "\"")),
        row("entry 0 is not REGISTRY_CREATED", () -> Case.fails(TestLog.of(TestLog.chain(10, (seq, prev) -> seq == 0
                ? TestLog.entry(0, prev, "TEST_ENTRY", Map.of("n", 0L)) : TestLog.entry(seq, prev))).publish(),
            Code.ENTRY_ZERO_WRONG, "entry 0: type is TEST_ENTRY, expected REGISTRY_CREATED")),
        row("tile with one flipped hash", () -> flippedTile(TestLog.ofSize(10), "tile/0/000.p/10", 3)),
        row("level-1 tile with one flipped hash", () -> flippedTile(big(), "tile/1/000", 7)),
        row("level-2 partial tile with one flipped hash", () -> flippedTile(big(), "tile/2/000.p/1", 0)),
        row("tile one hash short", () -> {
          Map<String, byte[]> published = TestLog.ofSize(10).publish();
          published.computeIfPresent("tile/0/000.p/10", (path, body) -> Arrays.copyOf(body, body.length - 32));
          return Case.fails(published, Code.TILE_MALFORMED, "tile 0/000.p/10 is 288 bytes, expected 320");
        }),
        row("tile one hash too long", () -> {
          Map<String, byte[]> published = TestLog.ofSize(10).publish();
          published.computeIfPresent("tile/0/000.p/10", (path, body) -> Arrays.copyOf(body, body.length + 32));
          return Case.fails(published, Code.TILE_MALFORMED, "tile 0/000.p/10 is 352 bytes, expected 320");
        }),
        row("bundle with a missing entry", () -> {
          TestLog log = TestLog.ofSize(10);
          List<byte[]> nine = new ArrayList<>(log.entries);
          nine.remove(4);
          Map<String, byte[]> published = log.publish();
          published.put("tile/entries/000.p/10", EntryBundle.encode(nine));
          return Case.fails(published, Code.BUNDLE_MALFORMED, "entry bundle 000.p/10: holds 9 entries, expected 10");
        }),
        row("bundle with an extra entry", () -> {
          TestLog log = TestLog.ofSize(10);
          Map<String, byte[]> published = log.publish();
          published.put("tile/entries/000.p/10", EntryBundle.encode(TestLog.ofSize(11).entries));
          return Case.fails(published, Code.BUNDLE_MALFORMED, "entry bundle 000.p/10: holds 11 entries, expected 10");
        }),
        row("bundle truncated inside its last entry", () -> {
          Map<String, byte[]> published = TestLog.ofSize(10).publish();
          published.computeIfPresent("tile/entries/000.p/10", (path, body) -> Arrays.copyOf(body, body.length - 5));
          return Case.fails(published, Code.BUNDLE_MALFORMED, "entry bundle 000.p/10: entry 9 is truncated");
        }),
        row("bad checkpoint signature", () -> {
          TestLog log = TestLog.ofSize(10);
          Map<String, byte[]> published = log.publish();
          published.put("checkpoint", utf8(flipSignature(log.checkpoint())));
          return Case.fails(published, Code.CHECKPOINT_SIGNATURE_INVALID,
              "checkpoint signature: signature by " + TestLog.ORIGIN + " does not verify");
        }),
        row("checkpoint body altered under its signature", () -> {
          TestLog log = TestLog.ofSize(10);
          Map<String, byte[]> published = log.publish();
          published.put("checkpoint", utf8(log.checkpoint().replaceFirst("\n10\n", "\n9\n")));
          return Case.fails(published, Code.CHECKPOINT_SIGNATURE_INVALID,
              "checkpoint signature: signature by " + TestLog.ORIGIN + " does not verify");
        }),
        row("checkpoint signed by another key", () -> {
          TestLog log = TestLog.ofSize(10);
          Map<String, byte[]> published = log.publish();
          published.put("checkpoint", utf8(log.checkpoint(TestLog.OTHER_SIGNER, TestLog.ORIGIN)));
          return Case.fails(published, Code.CHECKPOINT_SIGNATURE_INVALID,
              "checkpoint signature: no signature from a trusted key");
        }),
        row("checkpoint and key endpoint of another key", () -> {
          TestLog log = TestLog.ofSize(10);
          Map<String, byte[]> published = log.publish();
          published.put("checkpoint", utf8(log.checkpoint(TestLog.OTHER_SIGNER, TestLog.ORIGIN)));
          published.put("key", utf8(other + "\n"));
          return Case.fails(published, Code.CHECKPOINT_SIGNATURE_INVALID,
              "checkpoint signature: no signature from a trusted key (the log publishes the key " + other + ")");
        }),
        row("checkpoint of another origin", () -> {
          TestLog log = TestLog.ofSize(10);
          Map<String, byte[]> published = log.publish();
          published.put("checkpoint", utf8(log.checkpoint(TestLog.SIGNER, "other.example/log")));
          return Case.fails(published, Code.CHECKPOINT_ORIGIN_UNEXPECTED,
              "checkpoint origin: checkpoint origin is \"other.example/log\", expected \"" + TestLog.ORIGIN + "\"");
        }),
        row("checkpoint truncated to its body", () -> {
          TestLog log = TestLog.ofSize(10);
          Map<String, byte[]> published = log.publish();
          String note = log.checkpoint();
          published.put("checkpoint", utf8(note.substring(0, note.indexOf("\n\n") + 1)));
          return Case.fails(published, Code.CHECKPOINT_MALFORMED,
              "checkpoint malformed: no blank line before the signatures");
        }),
        row("checkpoint not UTF-8", () -> {
          Map<String, byte[]> published = TestLog.ofSize(10).publish();
          published.put("checkpoint", new byte[] {(byte) 0xff, '\n'});
          return Case.fails(published, Code.CHECKPOINT_MALFORMED, "checkpoint malformed: not valid UTF-8");
        }),
        row("checkpoint 404", () -> {
          Map<String, byte[]> published = TestLog.ofSize(10).publish();
          published.remove("checkpoint");
          return Case.fails(published, Code.FETCH_FAILED, "checkpoint: GET {log}/checkpoint: HTTP 404");
        }),
        row("level-0 tile 404", () -> missing(TestLog.ofSize(10), "tile/0/000.p/10", "tile 0/000.p/10")),
        row("level-1 tile 404", () -> missing(TestLog.ofSize(257), "tile/1/000.p/1", "tile 1/000.p/1")),
        row("bundle 404", () -> missing(TestLog.ofSize(10), "tile/entries/000.p/10", "entry bundle 000.p/10")),
        row("checkpoint ahead of the entries served", () -> {
          Map<String, byte[]> published = TestLog.ofSize(10).publish();
          published.put("checkpoint", utf8(TestLog.ofSize(11).checkpoint()));
          return Case.fails(published, Code.FETCH_FAILED,
              "entry bundle 000.p/11: GET {log}/tile/entries/000.p/11: HTTP 404");
        }),
        httpRow("bundle response cut short", () -> Case.fails(TestLog.ofSize(10).publish(), Code.FETCH_FAILED,
            "entry bundle 000.p/10: GET {log}/tile/entries/000.p/10: ").cutShort("tile/entries/000.p/10")),
        httpRow("tile response cut short", () -> Case.fails(TestLog.ofSize(300).publish(), Code.FETCH_FAILED,
            "tile 0/000: GET {log}/tile/0/000: ").cutShort("tile/0/000")),
        httpRow("checkpoint response cut short", () -> Case.fails(TestLog.ofSize(10).publish(), Code.FETCH_FAILED,
            "checkpoint: GET {log}/checkpoint: ").cutShort("checkpoint")),
        httpRow("tile over the size cap", () -> {
          Map<String, byte[]> published = TestLog.ofSize(10).publish();
          published.put("tile/0/000.p/10", new byte[9000]);
          return Case.fails(published, Code.FETCH_FAILED,
              "tile 0/000.p/10: GET {log}/tile/0/000.p/10: response exceeds the cap of 8192 bytes (9000 or more)");
        }),
        row("state: larger size (moved backwards)", () -> Case.fails(TestLog.ofSize(10).publish(), Code.STATE_BACKWARDS,
            "state: checkpoint moved backwards from 20 to 10").saved(TestLog.ofSize(20).checkpoint())),
        row("state: same size, different root (fork)", () -> {
          TestLog log = TestLog.ofSize(10);
          TestLog fork = TestLog.of(TestLog.chain(10, (seq, prev) -> seq == 9
              ? TestLog.entry(seq, prev, "TEST_ENTRY", Map.of("n", 99L)) : TestLog.entry(seq, prev)));
          return Case.fails(log.publish(), Code.STATE_FORK, "state: fork at size 10: the saved checkpoint has root "
              + Hex.encode(fork.root()) + ", the log now has " + Hex.encode(log.root())).saved(fork.checkpoint());
        }),
        row("state: old root not consistent (rewritten prefix)", () -> {
          TestLog log = TestLog.ofSize(10);
          TestLog before = TestLog.of(TestLog.chain(5, (seq, prev) -> seq == 3
              ? TestLog.entry(seq, prev, "TEST_ENTRY", Map.of("n", 33L)) : TestLog.entry(seq, prev)));
          return Case.fails(log.publish(), Code.STATE_INCONSISTENT,
              "state: the log does not extend the saved checkpoint: its first 5 entries give root "
                  + Hex.encode(TestLog.of(log.entries.subList(0, 5)).root()) + ", the saved checkpoint has "
                  + Hex.encode(before.root())).saved(before.checkpoint());
        }),
        row("registry: an edited entry that no longer fits is reported as edited", () -> {
          TestLog log = TestLog.ofSize(10);
          List<byte[]> edited = new ArrayList<>(log.entries);
          edited.set(5, replace(edited.get(5), Ids.format(Ids.Kind.ACCOUNT, 5), Ids.format(Ids.Kind.ACCOUNT, 7)));
          return Case.fails(withBundlesOf(log, edited), Code.ENTRY_PREV_MISMATCH,
              "entry 6: prev does not match the leaf hash of entry 5");
        }),
        row("registry: an edited last entry that no longer fits is reported as edited", () -> {
          TestLog log = TestLog.ofSize(10);
          List<byte[]> edited = new ArrayList<>(log.entries);
          edited.set(9, replace(edited.get(9), Ids.format(Ids.Kind.ACCOUNT, 9), Ids.format(Ids.Kind.ACCOUNT, 7)));
          return Case.fails(withBundlesOf(log, edited), Code.ROOT_MISMATCH, "root mismatch at size 10: the checkpoint has "
              + Hex.encode(log.root()) + ", the entries give " + Hex.encode(TestLog.of(edited).root()));
        }),
        row("registry: a history rewritten with its chain recomputed is reported by the root", () -> {
          TestLog log = TestLog.ofSize(10);
          List<byte[]> rewritten = TestLog.chain(10, (seq, prev) -> seq == 5
              ? TestLog.entry(seq, prev, EntryTypes.ACCOUNT_OPENED, TestLog.accountOpened(7)) : TestLog.entry(seq, prev));
          return Case.fails(withBundlesOf(log, rewritten), Code.ROOT_MISMATCH, "root mismatch at size 10: the checkpoint has "
              + Hex.encode(log.root()) + ", the entries give " + Hex.encode(TestLog.of(rewritten).root()));
        }),
        row("registry: a signed rewrite of a saved history is reported against the saved checkpoint", () -> {
          TestLog saved = TestLog.ofSize(10);
          TestLog rewritten = TestLog.of(TestLog.chain(20, (seq, prev) -> seq == 5
              ? TestLog.entry(seq, prev, EntryTypes.ACCOUNT_OPENED, TestLog.accountOpened(7)) : TestLog.entry(seq, prev)));
          return Case.fails(rewritten.publish(), Code.STATE_INCONSISTENT,
              "state: the log does not extend the saved checkpoint: its first 10 entries give root "
                  + Hex.encode(TestLog.of(rewritten.entries.subList(0, 10)).root()) + ", the saved checkpoint has "
                  + Hex.encode(saved.root())).saved(saved.checkpoint());
        }),
        row("state: signed by another key", () -> {
          TestLog log = TestLog.ofSize(10);
          return Case.fails(log.publish(), Code.STATE_UNREADABLE,
              "state: {state}: checkpoint signature: no signature from a trusted key")
              .saved(TestLog.ofSize(5).checkpoint(TestLog.OTHER_SIGNER, TestLog.ORIGIN));
        }),
        row("state: not a checkpoint", () -> Case.fails(TestLog.ofSize(10).publish(), Code.STATE_UNREADABLE,
            "state: {state}: checkpoint malformed: no blank line before the signatures").saved("hello\n")));
  }

  /**
   * The rows of registry misfits: entries that the log itself carries soundly but that do not fit the registry
   * the entries before them built. Each runs twice (see {@link #misfit}).
   */
  @SuppressWarnings("unchecked")
  static List<Row> misfitRows() {
    return Stream.of(
        misfit("registry: units retired twice (double use)", () -> {
          List<Decision.Accepted> entries = new ArrayList<>(RegistryLog.entries());
          entries.add(RegistryLog.last(entries, EntryTypes.UNITS_RETIRED));
          return TestLog.ofRegistryEntries(entries);
        }, Code.ENTRY_DOES_NOT_FIT, "entry 7: UNITS_RETIRED does not fit the registry: range from 1 is RETIRED"),
        misfit("registry: serials issued again under a new issuance (double issuance)", () -> {
          List<Decision.Accepted> entries = new ArrayList<>(RegistryLog.entries());
          Map<String, Object> again = new HashMap<>(RegistryLog.last(entries, EntryTypes.UNITS_ISSUED).data());
          again.put("issuanceId", Ids.format(Ids.Kind.ISSUANCE, 2));
          entries.add(new Decision.Accepted(EntryTypes.UNITS_ISSUED, again));
          return TestLog.ofRegistryEntries(entries);
        }, Code.ENTRY_DOES_NOT_FIT, "entry 7: UNITS_ISSUED does not fit the registry: serials already issued"),
        misfit("registry: units moved that the sender does not hold", () -> {
          List<Decision.Accepted> entries = new ArrayList<>(RegistryLog.entries());
          Map<String, Object> transfer = new HashMap<>(RegistryLog.last(entries, EntryTypes.UNITS_TRANSFERRED).data());
          transfer.put("blocks", List.of(Map.of("start", 101L, "end", 150L))); // A2's since the first transfer
          entries.add(new Decision.Accepted(EntryTypes.UNITS_TRANSFERRED, transfer));
          return TestLog.ofRegistryEntries(entries);
        }, Code.ENTRY_DOES_NOT_FIT, "entry 7: UNITS_TRANSFERRED does not fit the registry: range from 101 is not held by A00000001L"),
        misfit("registry: a CORSIA retirement of units not yet adjusted (double claim)", () -> {
          List<Decision.Accepted> entries = new ArrayList<>(RegistryLog.corsiaEntries());
          entries.remove(RegistryLog.last(entries, EntryTypes.CORRESPONDING_ADJUSTMENT_APPLIED));
          return TestLog.ofRegistryEntries(entries);
        }, Code.ENTRY_DOUBLE_CLAIM, "entry 7: UNITS_RETIRED claims units twice over: serials from 1 of issuance "
            + Ids.format(Ids.Kind.ISSUANCE, 1) + " break CORRESPONDING_ADJUSTMENT_NOT_APPLIED for CORSIA"),
        misfit("registry: a second-phase retirement resting on an attestation (double claim)", () -> {
          List<Decision.Accepted> entries = new ArrayList<>(RegistryLog.corsiaEntriesOnAttestation());
          Decision.Accepted retirement = RegistryLog.last(entries, EntryTypes.UNITS_RETIRED);
          Map<String, Object> secondPhase = new HashMap<>(retirement.data());
          Map<String, Object> corsia = new HashMap<>((Map<String, Object>) secondPhase.get("corsia"));
          corsia.put("compliancePeriod", "SECOND_PHASE");
          secondPhase.put("corsia", corsia);
          entries.set(entries.indexOf(retirement), new Decision.Accepted(EntryTypes.UNITS_RETIRED, secondPhase));
          return TestLog.ofRegistryEntries(entries);
        }, Code.ENTRY_DOUBLE_CLAIM, "entry 7: UNITS_RETIRED claims units twice over: serials from 1 of issuance "
            + Ids.format(Ids.Kind.ISSUANCE, 1) + " break CORRESPONDING_ADJUSTMENT_NOT_APPLIED for CORSIA"),
        misfit("registry: units used for another country's NDC without its authorisation (double claim)", () -> {
          List<Decision.Accepted> entries = new ArrayList<>(RegistryLog.entries());
          Decision.Accepted retirement = RegistryLog.last(entries, EntryTypes.UNITS_RETIRED);
          Map<String, Object> forNdc = new HashMap<>(retirement.data());
          forNdc.put("purpose", "NDC");
          forNdc.put("ndcCountry", "SG");
          entries.set(entries.indexOf(retirement), new Decision.Accepted(EntryTypes.UNITS_RETIRED, forNdc));
          return TestLog.ofRegistryEntries(entries);
        }, Code.ENTRY_DOUBLE_CLAIM, "entry 6: UNITS_RETIRED claims units twice over: serials from 1 of issuance "
            + Ids.format(Ids.Kind.ISSUANCE, 1) + " break UNITS_NOT_AUTHORISED_FOR_PURPOSE for NDC of SG"),
        misfit("registry: an entry of another type", () -> TestLog.of(TestLog.chain(10, (seq, prev) -> seq == 4
                ? TestLog.entry(seq, prev, "TEST_ENTRY", Map.of("n", 4L)) : TestLog.entry(seq, prev))),
            Code.ENTRY_TYPE_UNKNOWN, "entry 4: type TEST_ENTRY is not a registry entry type"),
        misfit("registry: REGISTRY_CREATED after entry 0", () -> TestLog.of(TestLog.chain(10, (seq, prev) -> seq == 3
                ? TestLog.entry(seq, prev, EntryChecker.REGISTRY_CREATED, TestLog.registryCreated(TestLog.ORIGIN, TestLog.VKEY))
                : TestLog.entry(seq, prev))),
            Code.ENTRY_TYPE_UNKNOWN, "entry 3: type REGISTRY_CREATED is not a registry entry type"))
        .flatMap(List::stream).toList();
  }

  /**
   * A misfit row twice: as a first run, with no state saved yet; and with the state file holding the checkpoint of
   * the log just before the misfit, as when a log verified before grows by an entry that does not fit. Both report
   * the misfit, which comes only after the consistency proof from the saved checkpoint has passed, and {@link #check}
   * asserts that the state file is left as it was: a misfit must not advance it.
   */
  static List<Row> misfit(String name, Supplier<TestLog> log, Code code, String message) {
    Matcher entry = Pattern.compile("entry (\\d+): .*").matcher(message);
    assertTrue(entry.matches(), message);
    int seq = Integer.parseInt(entry.group(1));
    return List.of(
        row(name, () -> Case.fails(log.get().publish(), code, message)),
        row(name + ", over a state file saved just before it", () -> {
          TestLog built = log.get();
          return Case.fails(built.publish(), code, message)
              .saved(TestLog.of(built.entries.subList(0, seq)).checkpoint());
        }));
  }

  @TestFactory
  Stream<DynamicTest> corruptions() {
    return Stream.concat(rows().stream(), misfitRows().stream()).flatMap(row -> Stream.of(Transport.values())
        .filter(row.transports()::contains)
        .map(transport -> DynamicTest.dynamicTest(row.name() + " [" + transport + "]", () -> check(row, transport))));
  }

  private void check(Row row, Transport transport) throws Exception {
    Case c = row.setup().get();
    Path file = Files.createTempDirectory(directory, "row").resolve("state");
    if (c.saved().isPresent()) {
      Files.writeString(file, c.saved().get());
    }
    LogSource source = source(transport, c.published(), c.cutShort());
    // Every row runs with a state file: the saved checkpoint, or none yet (a first run, which loads as no state).
    Optional<StateFile> state = Optional.of(new StateFile(file));

    VerificationException e = assertThrows(VerificationException.class,
        () -> new LogVerifier(source, TestLog.KEY, state).verify());

    String expected = c.message()
        .replace("{log}", transport == Transport.HTTP ? server.logUrl() : MemorySource.URL)
        .replace("{state}", file.toString());
    assertEquals(c.code(), e.code(), e.getMessage());
    if (c.prefixOnly()) {
      assertTrue(e.getMessage().startsWith(expected) && e.getMessage().length() > expected.length(), e.getMessage());
    } else {
      assertEquals(expected, e.getMessage());
    }
    Matcher entry = Pattern.compile("entry (\\d+): .*").matcher(e.getMessage());
    assertEquals(entry.matches() ? OptionalLong.of(Long.parseLong(entry.group(1))) : OptionalLong.empty(), e.seq(),
        "seq of the first bad entry");
    if (c.saved().isPresent()) {
      assertEquals(c.saved().get(), Files.readString(file), "a failed run leaves the state file as it was");
    } else {
      assertFalse(Files.exists(file), "a failed first run saves no state");
    }
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertEquals(c.saved().isPresent() ? List.of(file) : List.of(), files.toList(), "no temporary file is left");
    }
  }

  // ---- helpers ----

  private static LogSource source(Transport transport, Map<String, byte[]> published, Set<String> cutShort) {
    if (transport == Transport.MEMORY) {
      return new MemorySource(published);
    }
    server.serve(published);
    server.cutShort.addAll(cutShort);
    return httpSource();
  }

  private static HttpLogSource httpSource() {
    return new HttpLogSource(URI.create(server.logUrl()), Duration.ofSeconds(10));
  }

  /** The log's resources, with the bundles rebuilt from other entries, as if its stored entries were edited. */
  static Map<String, byte[]> withBundlesOf(TestLog log, List<byte[]> entries) {
    Map<String, byte[]> published = log.publish();
    published.putAll(TestLog.of(entries).bundles());
    return published;
  }

  /** The entries with entry seq's data changed in one byte, still canonical JSON. */
  static List<byte[]> tamper(List<byte[]> entries, int seq) {
    List<byte[]> out = new ArrayList<>(entries);
    out.set(seq, replace(out.get(seq), "\"name\":\"account " + seq + "\"", "\"name\":\"account " + (seq + 1) + "\""));
    return out;
  }

  static byte[] replace(byte[] bytes, String from, String to) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    assertTrue(text.contains(from), text);
    return utf8(text.replaceFirst(Pattern.quote(from), Matcher.quoteReplacement(to)));
  }

  static Case flippedTile(TestLog log, String path, int hash) {
    Map<String, byte[]> published = log == big ? bigPublished() : log.publish();
    byte[] original = published.get(path);
    byte[] flipped = flip(original, hash * Hashes.SIZE_BYTES + 5);
    published.put(path, flipped);
    String name = "tile " + path.substring("tile/".length());
    return Case.fails(published, Code.TILE_DIFFERS, name + " differs: hash " + hash + " is "
        + Hex.encode(Arrays.copyOfRange(flipped, hash * 32, hash * 32 + 32)) + ", the entries give "
        + Hex.encode(Arrays.copyOfRange(original, hash * 32, hash * 32 + 32)));
  }

  static Case missing(TestLog log, String path, String name) {
    Map<String, byte[]> published = log.publish();
    published.remove(path);
    return Case.fails(published, Code.FETCH_FAILED, name + ": GET {log}/" + path + ": HTTP 404");
  }

  static byte[] flip(byte[] bytes, int at) {
    byte[] out = bytes.clone();
    out[at] ^= 0x01;
    return out;
  }

  /** The note with one bit of its signature flipped, still canonical base64. */
  static String flipSignature(String note) {
    int line = note.lastIndexOf("\n\u2014 ") + 1;
    int space = note.indexOf(' ', line + 2);
    byte[] signature = Base64.getDecoder().decode(note.substring(space + 1, note.length() - 1));
    signature[signature.length - 1] ^= 0x01;
    return note.substring(0, space + 1) + Base64.getEncoder().encodeToString(signature) + "\n";
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
