package org.carbonledger.registry;

import static org.carbonledger.registry.Fixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.carbonledger.ledger.CanonicalJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Goal: {@link RegistryState#apply} is a faithful replay: entries read back from canonical JSON rebuild the same
 * registry, and data that does not fit the state (a corrupted log) is refused with IllegalStateException while
 * the state stays exactly as it was. Method: a recorded log replayed from bytes, then a table of corruptions of
 * valid entries, each applied to the standard fixture.
 */
class RegistryStateTest {

  record Entry(String type, Map<String, Object> data) {}

  @Test
  void replayFromCanonicalBytesRebuildsTheRegistry() {
    RegistryState live = new RegistryState();
    List<Entry> log = new ArrayList<>();
    for (Command command : commands()) {
      Decision.Accepted accepted = (Decision.Accepted) live.decide(command);
      live.apply(accepted.entryType(), accepted.data());
      log.add(new Entry(accepted.entryType(), accepted.data()));
    }
    RegistryState replayed = new RegistryState();
    for (Entry entry : log) {
      @SuppressWarnings("unchecked")
      Map<String, Object> parsed = (Map<String, Object>) CanonicalJson.parse(CanonicalJson.encode(entry.data()));
      replayed.apply(entry.type(), parsed);
    }
    assertEquals(live.contents(), replayed.contents());
    assertEquals(Map.of(L1, false, Ids.format(Ids.Kind.AUTHORISATION, 2), true), replayed.contents().authorisations()
        .values().stream().collect(java.util.stream.Collectors.toMap(Authorisation::authorisationId,
            Authorisation::correspondingAdjustmentAttested)), "the letter's attestation survives the bytes");
    assertEquals(Map.of(A1, 400L, A2, 0L, A3, 470L, A4, 10L, A5, 0L), replayed.balances());
  }

  private static List<Command> commands() {
    return List.of(
        new OpenAccount(null, "Japan Registry Office", "JP", "J-Credit issuance", AccountType.ISSUANCE, "JCREDIT"),
        new OpenAccount(H1, null, null, "VCS issuance", AccountType.ISSUANCE, "VCS"),
        new OpenAccount(null, "Acme Trading", "JP", "Acme holding", AccountType.HOLDING, null),
        new OpenAccount(null, "Sky Airlines", "SG", "Sky holding", AccountType.HOLDING, null),
        new OpenAccount(H2, null, null, "Acme old", AccountType.HOLDING, null),
        project("JCREDIT", "JCR-0001", "JP"),
        new RecordAuthorisation("JP", "JP-LOA-2024-001", LocalDate.of(2024, 3, 1), AuthorisationPurpose.OIMP,
            FirstTransferDefinition.USE_OR_CANCELLATION, 100_000, 2021, 2030, false),
        Fixture.issue(2021, 1000, List.of("CORSIA_FIRST_PHASE"), L1),
        new ApplyCorrespondingAdjustment(I1, "JP", "JP-BTR-2024"),
        transfer(A1, A3, 1, 600),
        new Transfer(A3, A4, new UnitSelection.ByQuantity(10, null, null, null), "t"),
        new Retire(A3, ranges(100, 109), RetirementPurpose.CORSIA, "Sky", null, null, 2025,
            new CorsiaDetails("Sky", "SG", CompliancePeriod.FIRST_PHASE), null, null),
        new Cancel(A3, ranges(200, 309), CancellationReason.BUFFER_LOSS, null, null, "fire"),
        new ChangeAccountStatus(A5, AccountStatus.CLOSED, "unused"),
        new RecordAuthorisation("JP", "JP-LOA-2024-002", LocalDate.of(2024, 6, 1), AuthorisationPurpose.OIMP,
            FirstTransferDefinition.ISSUANCE, 500, 2024, 2026, true));
  }

  /** Data of the command decided on the standard fixture, as a mutable deep copy to corrupt. */
  private static Map<String, Object> dataOf(RegistryState state, Command command) {
    return deepCopy(((Decision.Accepted) state.decide(command)).data());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> deepCopy(Map<String, Object> data) {
    Map<String, Object> copy = new TreeMap<>();
    data.forEach((k, v) -> copy.put(k, v instanceof Map<?, ?> m ? deepCopy((Map<String, Object>) m)
        : v instanceof List<?> l ? new ArrayList<>(l.stream().map(i -> i instanceof Map<?, ?> mi
            ? (Object) deepCopy((Map<String, Object>) mi) : i).toList()) : v));
    return copy;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> firstBlock(Map<String, Object> data) {
    return (Map<String, Object>) ((List<Object>) data.get("blocks")).get(0);
  }

  /**
   * Each row prepares the state (and the entry, decided while it was still valid) and returns the apply that must
   * be refused.
   */
  static Stream<Arguments> corruptions() {
    return Stream.of(
        corrupt("unknown entry type", s -> () -> s.apply("UNITS_CONJURED", Map.of())),
        corrupt("missing member", s -> {
          Map<String, Object> data = dataOf(s, transfer(A3, A4, 1, 10));
          data.remove("toAccountId");
          return () -> s.apply(EntryTypes.UNITS_TRANSFERRED, data);
        }),
        corrupt("extra member", s -> {
          Map<String, Object> data = dataOf(s, transfer(A3, A4, 1, 10));
          data.put("memo", "x");
          return () -> s.apply(EntryTypes.UNITS_TRANSFERRED, data);
        }),
        corrupt("number as a string", s -> {
          Map<String, Object> data = dataOf(s, transfer(A3, A4, 1, 10));
          data.put("quantity", "10");
          return () -> s.apply(EntryTypes.UNITS_TRANSFERRED, data);
        }),
        corrupt("quantity not the total of the blocks", s -> {
          Map<String, Object> data = dataOf(s, transfer(A3, A4, 1, 10));
          data.put("quantity", 11L);
          return () -> s.apply(EntryTypes.UNITS_TRANSFERRED, data);
        }),
        corrupt("units held by another account", s -> {
          Map<String, Object> data = dataOf(s, transfer(A3, A4, 1, 10));
          data.put("fromAccountId", A1);
          return () -> s.apply(EntryTypes.UNITS_TRANSFERRED, data);
        }),
        corrupt("a range across two blocks", s -> {
          Map<String, Object> data = dataOf(s, transfer(A3, A4, 591, 600));
          firstBlock(data).put("end", 610L);
          data.put("quantity", 20L);
          return () -> s.apply(EntryTypes.UNITS_TRANSFERRED, data);
        }),
        corrupt("second range not held, first fine: nothing moves", s -> {
          Map<String, Object> data = dataOf(s, new Transfer(A3, A4, ranges(1, 10, 21, 30), null));
          @SuppressWarnings("unchecked")
          Map<String, Object> second = (Map<String, Object>) ((List<Object>) data.get("blocks")).get(1);
          second.put("start", 601L);
          second.put("end", 610L);
          return () -> s.apply(EntryTypes.UNITS_TRANSFERRED, data);
        }),
        corrupt("ranges out of order", s -> {
          Map<String, Object> data = dataOf(s, new Transfer(A3, A4, ranges(1, 10, 21, 30), null));
          @SuppressWarnings("unchecked")
          List<Object> blocks = (List<Object>) data.get("blocks");
          blocks.add(blocks.remove(0));
          return () -> s.apply(EntryTypes.UNITS_TRANSFERRED, data);
        }),
        corrupt("units of a suspended account", s -> {
          Map<String, Object> data = dataOf(s, transfer(A3, A4, 1, 10));
          accept(s, new ChangeAccountStatus(A3, AccountStatus.SUSPENDED, "hold"));
          return () -> s.apply(EntryTypes.UNITS_TRANSFERRED, data);
        }),
        corrupt("retired units retired again", s -> {
          Map<String, Object> data = dataOf(s, RulesPrecedenceTest.retirement(A3, ranges(1, 10)));
          s.apply(EntryTypes.UNITS_RETIRED, data);
          return () -> s.apply(EntryTypes.UNITS_RETIRED, data);
        }),
        corrupt("account id out of sequence", s -> {
          Map<String, Object> data = dataOf(s, new OpenAccount(H2, null, null, "x", AccountType.HOLDING, null));
          data.put("accountId", Ids.format(Ids.Kind.ACCOUNT, 7));
          return () -> s.apply(EntryTypes.ACCOUNT_OPENED, data);
        }),
        corrupt("holder renamed on the fly", s -> {
          Map<String, Object> data = dataOf(s, new OpenAccount(H2, null, null, "x", AccountType.HOLDING, null));
          @SuppressWarnings("unchecked")
          Map<String, Object> holder = (Map<String, Object>) data.get("holder");
          holder.put("name", "Someone else");
          return () -> s.apply(EntryTypes.ACCOUNT_OPENED, data);
        }),
        corrupt("issued serials overlap", s -> {
          Map<String, Object> data = dataOf(s, Fixture.issue(2022, 100, List.of(), null));
          data.put("serialStart", 901L);
          data.put("serialEnd", 1000L);
          return () -> s.apply(EntryTypes.UNITS_ISSUED, data);
        }),
        corrupt("same monitoring period issued twice", s -> {
          accept(s, Fixture.issue(2022, 100, List.of(), null));
          Map<String, Object> again = dataOf(s, Fixture.issue(2023, 100, List.of(), null));
          again.put("monitoringPeriod", Map.of("start", "2022-06-01", "end", "2022-06-30"));
          again.put("vintage", 2022L);
          return () -> s.apply(EntryTypes.UNITS_ISSUED, again);
        }),
        corrupt("a period the project is registered for in another program", s -> {
          // The fixture's project is registered in VCS for 2014-2015, a registration not cancelled.
          Map<String, Object> data = dataOf(s, Fixture.issue(2022, 100, List.of(), null));
          data.put("monitoringPeriod", Map.of("start", "2015-01-01", "end", "2015-12-31"));
          data.put("vintage", 2015L);
          return () -> s.apply(EntryTypes.UNITS_ISSUED, data);
        }),
        corrupt("authorised units without a pending adjustment", s -> {
          Map<String, Object> data = dataOf(s, Fixture.issue(2022, 100, List.of(), L1));
          data.put("correspondingAdjustment", "APPLIED");
          return () -> s.apply(EntryTypes.UNITS_ISSUED, data);
        }),
        corrupt("an enum value nobody knows", s -> {
          Map<String, Object> data = dataOf(s, new Cancel(A3, ranges(1, 1), CancellationReason.OTHER, null, null,
              null));
          data.put("reason", "LOST_AT_SEA");
          return () -> s.apply(EntryTypes.UNITS_CANCELLED, data);
        }),
        corrupt("a date that does not exist", s -> {
          Map<String, Object> data = dataOf(s, Fixture.issue(2022, 100, List.of(), null));
          data.put("monitoringPeriod", Map.of("start", "2022-02-30", "end", "2022-12-31"));
          return () -> s.apply(EntryTypes.UNITS_ISSUED, data);
        }),
        corrupt("closing an account that holds units", s -> {
          Map<String, Object> data = dataOf(s, new ChangeAccountStatus(A4, AccountStatus.CLOSED, "x"));
          data.put("accountId", A3);
          return () -> s.apply(EntryTypes.ACCOUNT_STATUS_CHANGED, data);
        }),
        corrupt("an attestation written as false (absent is false: one encoding per meaning)", s -> {
          Map<String, Object> data = dataOf(s, new RecordAuthorisation("JP", "LOA-X", LocalDate.of(2024, 1, 1),
              AuthorisationPurpose.OIMP, FirstTransferDefinition.ISSUANCE, 10, 2024, 2024, false));
          data.put("correspondingAdjustmentAttested", false);
          return () -> s.apply(EntryTypes.AUTHORISATION_RECORDED, data);
        }),
        corrupt("a letter naming a project of another country", s -> {
          Map<String, Object> data = dataOf(s, new RecordAuthorisation("SG", "LOA-SG", LocalDate.of(2024, 1, 1),
              AuthorisationPurpose.OIMP, FirstTransferDefinition.ISSUANCE, 10, 2024, 2024, false));
          data.put("projectIds", List.of(P1)); // P1 is in Japan
          return () -> s.apply(EntryTypes.AUTHORISATION_RECORDED, data);
        }),
        corrupt("a letter naming no project by an empty list (absent is any project: one encoding per meaning)", s -> {
          Map<String, Object> data = dataOf(s, new RecordAuthorisation("JP", "LOA-X", LocalDate.of(2024, 1, 1),
              AuthorisationPurpose.OIMP, FirstTransferDefinition.ISSUANCE, 10, 2024, 2024, false));
          data.put("projectIds", List.of());
          return () -> s.apply(EntryTypes.AUTHORISATION_RECORDED, data);
        }),
        corrupt("units issued under a letter that names another project", s -> {
          String other = (String) accept(s, project("GS", "GS-77", "JP")).get("projectId");
          String letter = (String) accept(s, new RecordAuthorisation("JP", "LOA-GS-77", LocalDate.of(2024, 1, 1),
              AuthorisationPurpose.OIMP, FirstTransferDefinition.ISSUANCE, 1000, 2021, 2030, false, List.of(other)))
              .get("authorisationId");
          Map<String, Object> data = dataOf(s, Fixture.issue(2023, 10, List.of(), L1));
          data.put("authorisationId", letter);
          return () -> s.apply(EntryTypes.UNITS_ISSUED, data);
        }),
        corrupt("adjustment applied twice", s -> () -> s.apply(EntryTypes.CORRESPONDING_ADJUSTMENT_APPLIED,
            Map.of("hostCountry", "JP", "issuanceId", I1, "reportReference", "again"))));
  }

  private static Arguments corrupt(String name, Function<RegistryState, Runnable> setup) {
    return Arguments.of(name, setup);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corruptions")
  void corruptedEntriesAreRefusedAndChangeNothing(String name, Function<RegistryState, Runnable> setup) {
    RegistryState state = Fixture.standard();
    Runnable refused = setup.apply(state);
    RegistryContents before = state.contents();
    RegistryState copy = state.copy();
    assertThrows(IllegalStateException.class, refused::run);
    assertEquals(before, state.contents(), "a refused entry changed the state");
    assertEquals(before, copy.contents(), "the copy is not independent");
  }

  /**
   * The rule against issuing again for the same activity under another program of this registry came after logs
   * that may break it were written: a replay still accepts such an entry, while the rules refuse the command.
   */
  @Test
  void aReplayAcceptsAnIssuanceTheSameActivityRuleWouldRefuse() {
    RegistryState state = Fixture.standard();
    // VCS-999 is the fixture's J-Credit project in VCS (it names it); the J-Credit project issued 2021.
    String vcs = (String) accept(state, new RegisterProject("VCS", "VCS-999", "Same boilers", "JP", "VM0001",
        ProjectCategory.RENEWABLE_HEAT, MitigationType.REDUCTION, Fixture.period("2014-01-01", "2035-12-31"),
        LocalDate.of(2014, 4, 1), null, List.of())).get("projectId");
    Issue again = new Issue(vcs, Fixture.period("2021-01-01", "2021-12-31"), 2021, 10, "VCU", List.of(), null, null);
    Fixture.assertRejected(RejectCode.ACTIVITY_ISSUED_IN_OTHER_PROGRAM, state.decide(again));
    Map<String, Object> data = dataOf(state, new Issue(vcs, Fixture.period("2022-01-01", "2022-12-31"), 2022, 10, "VCU",
        List.of(), null, null));
    data.put("monitoringPeriod", Map.of("start", "2021-01-01", "end", "2021-12-31"));
    data.put("vintage", 2021L);
    state.apply(EntryTypes.UNITS_ISSUED, data);
    assertEquals(2, state.issuances().size());
  }

  @Test
  void queries() {
    RegistryState state = Fixture.standard();
    accept(state, transfer(A3, A4, 101, 200));
    assertEquals(new Block(101, 200, I1, A4, BlockState.ACTIVE), state.blockContaining(150).orElseThrow());
    assertEquals(List.of(new Block(1, 100, I1, A3, BlockState.ACTIVE), new Block(201, 600, I1, A3,
        BlockState.ACTIVE)), state.blocksOf(A3));
    assertEquals(500, state.activeQuantity(A3));
    assertEquals(4, state.blocks().size());
    assertEquals(1001, state.nextFreeSerial());
    assertEquals(List.of(), state.blocksOf(A99));
    assertEquals(0, state.activeQuantity(A99));
    assertEquals("{\"accountId\":\"A00000004F\"}",
        new String(CanonicalJson.encode(Map.of("accountId", A4)), StandardCharsets.UTF_8));
  }
}
