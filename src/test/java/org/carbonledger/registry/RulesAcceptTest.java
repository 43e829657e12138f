package org.carbonledger.registry;

import static org.carbonledger.registry.Fixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Goal: every accepted command writes exactly the entry data of REGISTRY.md's table (golden canonical JSON, with
 * registry-assigned ids and serials), and applying it makes the documented change. Method: one test per command
 * path on the standard {@link Fixture}, comparing the canonical JSON text, then the state after apply.
 */
class RulesAcceptTest {

  private final RegistryState state = Fixture.standard();

  private String acceptJson(Command command) {
    return json(accept(state, command));
  }

  @Test
  void openAccountForANewHolder() {
    assertEquals("{\"accountId\":\"A00000006B\",\"holder\":{\"country\":\"JP\",\"holderId\":\"H00000004K\","
        + "\"name\":\"Kaito Energy\"},\"name\":\"Kaito holding\",\"type\":\"HOLDING\"}",
        acceptJson(new OpenAccount(null, "Kaito Energy", "JP", "Kaito holding", AccountType.HOLDING, null)));
    assertEquals(new Holder("H00000004K", "Kaito Energy", "JP"), state.holder("H00000004K").orElseThrow());
    assertEquals(AccountStatus.ACTIVE, state.account("A00000006B").orElseThrow().status());
  }

  @Test
  void openAnIssuanceAccountForAnExistingHolder() {
    assertEquals("{\"accountId\":\"A00000006B\",\"holder\":{\"country\":\"JP\",\"holderId\":\"H00000001Q\","
        + "\"name\":\"Japan Registry Office\"},\"name\":\"GS issuance\",\"program\":\"GS\",\"type\":\"ISSUANCE\"}",
        acceptJson(new OpenAccount(H1, "Japan Registry Office", "JP", "GS issuance", AccountType.ISSUANCE, "GS")));
  }

  @ParameterizedTest
  @EnumSource(AccountType.class)
  void onlyHoldingAndBufferAccountsReceiveTransfers(AccountType type) {
    String account = (String) accept(state, new OpenAccount(H2, null, null, "Acme " + type, type,
        type == AccountType.ISSUANCE ? "GS" : null)).get("accountId");
    Decision decision = state.execute(transfer(A3, account, 1, 10));
    if (type == AccountType.HOLDING || type == AccountType.BUFFER) {
      assertInstanceOf(Decision.Accepted.class, decision, decision::toString);
      assertEquals(10, state.activeQuantity(account));
    } else {
      assertRejected(RejectCode.ACCOUNT_TYPE_CANNOT_RECEIVE, decision);
      assertEquals(0, state.activeQuantity(account));
    }
  }

  private static Retire claim(RetirementPurpose purpose, UnitSelection units) {
    return new Retire(A3, units, purpose, "Acme Trading", null, null, 2025, null, null, null);
  }

  /** Moves every unit of the issuance from its issuance account to A3 and returns its first serial. */
  private long toA3(String issuanceId) {
    Issuance issuance = state.issuance(issuanceId).orElseThrow();
    accept(state, transfer(issuance.accountId(), A3, issuance.serialStart(), issuance.serialEnd()));
    return issuance.serialStart();
  }

  @Test
  void vcmiClaimsTakeOnlyCcpLabelledUnits() {
    long labelled = toA3(issueUnauthorised(state, 2022, 100, "CCP"));
    long plain = toA3(issueUnauthorised(state, 2023, 100));
    assertRejected(RejectCode.UNITS_INELIGIBLE_FOR_CLAIM, state.execute(claim(RetirementPurpose.VCMI_CLAIM, ranges(plain, plain + 9))));
    accept(state, claim(RetirementPurpose.VCMI_CLAIM, ranges(labelled, labelled + 9)));
    // By quantity, the unlabelled units (and A3's older CORSIA units) are skipped while labelled ones remain.
    accept(state, claim(RetirementPurpose.VCMI_CLAIM, new UnitSelection.ByQuantity(90, null, null, null)));
    assertEquals(BlockState.RETIRED, state.blockContaining(labelled + 99).orElseThrow().state());
    assertEquals(BlockState.ACTIVE, state.blockContaining(plain).orElseThrow().state());
    assertRejected(RejectCode.UNITS_INELIGIBLE_FOR_CLAIM,
        state.execute(claim(RetirementPurpose.VCMI_CLAIM, new UnitSelection.ByQuantity(1, null, null, null))));
  }

  @Test
  void gxEtsCountsJCreditsAndOnlyTheListedMethodologiesOfOtherPrograms() {
    accept(state, claim(RetirementPurpose.GX_ETS, ranges(1, 10))); // J-Credits (the fixture's JCREDIT project)
    long forest = toA3(issueFor(voluntaryProject("VCS-101", ProjectCategory.FORESTRY)));
    long mangroves = toA3(issueFor(voluntaryProject("VCS-102", ProjectCategory.BLUE_CARBON)));
    assertRejected(RejectCode.UNITS_INELIGIBLE_FOR_CLAIM, state.execute(claim(RetirementPurpose.GX_ETS, ranges(forest, forest + 9))));
    accept(state, claim(RetirementPurpose.GX_ETS, ranges(mangroves, mangroves + 9)));
    accept(state, claim(RetirementPurpose.VOLUNTARY_OFFSET, ranges(forest, forest + 9))); // other purposes: any units
  }

  private String voluntaryProject(String programProjectId, ProjectCategory category) {
    return (String) accept(state, new RegisterProject("VCS", programProjectId, "Voluntary project", "ID", "VM0000", category,
        MitigationType.REMOVAL, period("2018-01-01", "2040-12-31"), LocalDate.of(2018, 1, 1), null, List.of()))
        .get("projectId");
  }

  private String issueFor(String projectId) {
    return (String) accept(state, new Issue(projectId, period("2023-01-01", "2023-12-31"), 2023, 50, "VCU", List.of(),
        null, null)).get("issuanceId");
  }

  private Decision issueP1For(String start, String end) {
    Period period = period(start, end);
    return state.execute(new Issue(P1, period, period.end().getYear(), 10, "JCU", List.of(), null, null));
  }

  @Test
  void monitoringPeriodsOfAProjectNeverOverlap() {
    accept(state, new Issue(P1, period("2024-01-01", "2024-06-30"), 2024, 10, "JCU", List.of(), null, null));
    accept(state, new Issue(P1, period("2024-07-01", "2024-12-31"), 2024, 10, "JCU", List.of(), null, null));
    assertRejected(RejectCode.MONITORING_PERIOD_ALREADY_ISSUED, issueP1For("2023-12-01", "2024-01-01"));
    assertRejected(RejectCode.MONITORING_PERIOD_ALREADY_ISSUED, issueP1For("2024-06-30", "2024-07-01"));
    assertRejected(RejectCode.MONITORING_PERIOD_ALREADY_ISSUED, issueP1For("2024-12-31", "2025-01-31"));
    assertRejected(RejectCode.MONITORING_PERIOD_ALREADY_ISSUED, issueP1For("2023-06-01", "2025-06-30"));
    assertInstanceOf(Decision.Accepted.class, issueP1For("2025-01-01", "2025-03-31"));
    assertInstanceOf(Decision.Accepted.class, issueP1For("2023-06-01", "2023-12-31"));
  }

  @Test
  void anActivityIsIssuedOnceAcrossTheProgramsOfThisRegistry() {
    // The fixture's J-Credit project names VCS-999 as its registration in VCS; here VCS-999 is registered too.
    String vcs = (String) accept(state, new RegisterProject("VCS", "VCS-999", "Shizuoka biomass boilers (VCS)", "JP",
        "VM0001", ProjectCategory.RENEWABLE_HEAT, MitigationType.REDUCTION, period("2014-01-01", "2035-12-31"),
        LocalDate.of(2014, 4, 1), null, List.of())).get("projectId");
    accept(state, new Issue(vcs, period("2023-01-01", "2023-12-31"), 2023, 50, "VCU", List.of(), null, null));
    assertRejected(RejectCode.ACTIVITY_ISSUED_IN_OTHER_PROGRAM, issueP1For("2023-06-01", "2023-06-30"));
    assertInstanceOf(Decision.Accepted.class, issueP1For("2024-01-01", "2024-12-31"));
    // And the other way round: VCS-999 cannot issue what the J-Credit project that names it has issued.
    assertRejected(RejectCode.ACTIVITY_ISSUED_IN_OTHER_PROGRAM,
        state.execute(new Issue(vcs, period("2024-03-01", "2024-03-31"), 2024, 10, "VCU", List.of(), null, null)));
    assertRejected(RejectCode.ACTIVITY_ISSUED_IN_OTHER_PROGRAM,
        state.execute(new Issue(vcs, period("2021-01-01", "2021-12-31"), 2021, 10, "VCU", List.of(), null, null)));
    accept(state, new Issue(vcs, period("2025-01-01", "2025-12-31"), 2025, 10, "VCU", List.of(), null, null));
  }

  @Test
  void projectsLinkedThroughAThirdAreOneActivityToo() {
    // JCM M-1 names VCS V-1, which names GS G-1; G-1 names nothing, yet it is the activity JCM M-1 issued for.
    String first = (String) accept(state, sameActivityProject("JCM", "M-1", new OtherRegistration("VCS", "V-1",
        period("2018-01-01", "2030-12-31"), true))).get("projectId");
    accept(state, sameActivityProject("VCS", "V-1", new OtherRegistration("GS", "G-1", period("2018-01-01", "2030-12-31"), true)));
    String last = (String) accept(state, sameActivityProject("GS", "G-1", null)).get("projectId");
    accept(state, new OpenAccount(H1, null, null, "JCM issuance", AccountType.ISSUANCE, "JCM"));
    accept(state, new OpenAccount(H1, null, null, "GS issuance", AccountType.ISSUANCE, "GS"));
    accept(state, new Issue(first, period("2022-01-01", "2022-12-31"), 2022, 10, "JCM", List.of(), null, null));
    assertRejected(RejectCode.ACTIVITY_ISSUED_IN_OTHER_PROGRAM,
        state.execute(new Issue(last, period("2022-06-01", "2022-06-30"), 2022, 10, "VER", List.of(), null, null)));
  }

  private static RegisterProject sameActivityProject(String program, String id, OtherRegistration other) {
    return new RegisterProject(program, id, "Kalimantan cookstoves", "ID", "AMS-II.G", ProjectCategory.HOUSEHOLD_DEVICES,
        MitigationType.REDUCTION, period("2018-01-01", "2030-12-31"), LocalDate.of(2018, 1, 1), null,
        other == null ? List.of() : List.of(other));
  }

  @Test
  void unitsAreInvalidatedInASuspendedAccountAndNothingElseLeavesIt() {
    accept(state, new ChangeAccountStatus(A3, AccountStatus.SUSPENDED, "fraud inquiry"));
    assertRejected(RejectCode.ACCOUNT_NOT_ACTIVE,
        state.execute(new Cancel(A3, ranges(1, 10), CancellationReason.OTHER, null, null, null)));
    assertRejected(RejectCode.ACCOUNT_NOT_ACTIVE, state.execute(transfer(A3, A4, 1, 10)));
    accept(state, new Cancel(A3, ranges(1, 10), CancellationReason.INVALIDATION, null, null, "verification revoked"));
    assertEquals(BlockState.CANCELLED, state.blockContaining(10).orElseThrow().state());
    assertEquals(590, state.activeQuantity(A3));
    // A replay applies it to the suspended account too.
    RegistryState replayed = Fixture.standard();
    replayed.apply(EntryTypes.ACCOUNT_STATUS_CHANGED, Map.of("accountId", A3, "reason", "fraud inquiry", "status", "SUSPENDED"));
    replayed.apply(EntryTypes.UNITS_CANCELLED, Map.of("accountId", A3, "blocks", List.of(Map.of("start", 1L, "end", 10L)),
        "note", "verification revoked", "quantity", 10L, "reason", "INVALIDATION"));
    assertEquals(state.contents(), replayed.contents());
    accept(state, new Cancel(A3, new UnitSelection.ByQuantity(90, null, null, null), CancellationReason.INVALIDATION, null,
        null, null));
    assertEquals(BlockState.CANCELLED, state.blockContaining(100).orElseThrow().state());
    assertEquals(500, state.activeQuantity(A3));
    assertRejected(RejectCode.ACCOUNT_NOT_ACTIVE, // a closed account holds nothing to invalidate
        state.execute(new Cancel(A5, ranges(11, 20), CancellationReason.INVALIDATION, null, null, null)));
  }

  @Test
  void suspendAndReactivate() {
    assertEquals("{\"accountId\":\"A00000004F\",\"reason\":\"KYC review\",\"status\":\"SUSPENDED\"}",
        acceptJson(new ChangeAccountStatus(A4, AccountStatus.SUSPENDED, "KYC review")));
    assertEquals(AccountStatus.SUSPENDED, state.account(A4).orElseThrow().status());
    accept(state, new ChangeAccountStatus(A4, AccountStatus.ACTIVE, "KYC done"));
    assertEquals(AccountStatus.ACTIVE, state.account(A4).orElseThrow().status());
  }

  @Test
  void registerAJCreditProject() {
    assertEquals("{\"activityStart\":\"2019-06-01\",\"category\":\"FORESTRY\",\"creditingPeriod\":"
        + "{\"end\":\"2031-03-31\",\"start\":\"2016-04-01\"},\"hostCountry\":\"JP\",\"methodology\":\"FO-001\","
        + "\"mitigationType\":\"REMOVAL\",\"name\":\"Nagano forest\",\"otherRegistrations\":[{\"cancelled\":true,"
        + "\"period\":{\"end\":\"2018-12-31\",\"start\":\"2016-04-01\"},\"program\":\"VCS\",\"projectId\":\"1234\"}],"
        + "\"program\":\"JCREDIT\",\"programProjectId\":\"JCR-0777\",\"projectId\":\"P00000002X\","
        + "\"tseMarketClass\":\"FOREST\"}",
        acceptJson(new RegisterProject("JCREDIT", "JCR-0777", "Nagano forest", "JP", "FO-001",
            ProjectCategory.FORESTRY, MitigationType.REMOVAL, period("2016-04-01", "2031-03-31"),
            LocalDate.of(2019, 6, 1), TseMarketClass.FOREST,
            List.of(new OtherRegistration("VCS", "1234", period("2016-04-01", "2018-12-31"), true)))));
  }

  @Test
  void recordAnAuthorisation() {
    assertEquals("{\"authorisationId\":\"L00000002B\",\"authorisedQuantity\":50000,\"firstTransferDefinition\":"
        + "\"USE_OR_CANCELLATION\",\"hostCountry\":\"JP\",\"loaDate\":\"2024-05-01\",\"loaReference\":"
        + "\"JP-LOA-2024-002\",\"purpose\":\"NDC_AND_OIMP\",\"vintageFrom\":2021,\"vintageTo\":2030}",
        acceptJson(new RecordAuthorisation("JP", "JP-LOA-2024-002", LocalDate.of(2024, 5, 1),
            AuthorisationPurpose.NDC_AND_OIMP, FirstTransferDefinition.USE_OR_CANCELLATION, 50_000, 2021, 2030, false)));
  }

  @Test
  void issueAuthorisedUnitsAtTheNextFreeSerials() {
    assertEquals("{\"accountId\":\"A00000001L\",\"authorisationId\":\"L00000001D\",\"correspondingAdjustment\":"
        + "\"PENDING\",\"firstTransfer\":\"DONE\",\"issuanceId\":\"I00000002U\",\"labels\":[\"CCP\","
        + "\"CORSIA_FIRST_PHASE\"],\"monitoringPeriod\":{\"end\":\"2022-12-31\",\"start\":\"2022-01-01\"},"
        + "\"projectId\":\"P00000001Z\",\"quantity\":500,\"serialEnd\":1500,\"serialStart\":1001,\"unitType\":\"JCU\","
        + "\"vintage\":2022}",
        acceptJson(Fixture.issue(2022, 500, List.of("CORSIA_FIRST_PHASE", "CCP"), L1)));
    assertEquals(new Block(1001, 1500, "I00000002U", A1, BlockState.ACTIVE), state.blockContaining(1200).orElseThrow());
    assertEquals(1501, state.nextFreeSerial());
  }

  @Test
  void issueUnauthorisedUnitsAtChosenSerials() {
    assertEquals("{\"accountId\":\"A00000001L\",\"correspondingAdjustment\":\"NOT_REQUIRED\",\"firstTransfer\":"
        + "\"NOT_APPLICABLE\",\"issuanceId\":\"I00000002U\",\"labels\":[],\"monitoringPeriod\":{\"end\":"
        + "\"2023-06-30\",\"start\":\"2023-01-01\"},\"projectId\":\"P00000001Z\",\"quantity\":10,\"serialEnd\":"
        + "5000009,\"serialStart\":5000000,\"unitType\":\"JCU\",\"vintage\":2023}",
        acceptJson(new Issue(P1, period("2023-01-01", "2023-06-30"), 2023, 10, "JCU", null, null, 5_000_000L)));
    assertEquals(5_000_010, state.nextFreeSerial());
  }

  @Test
  void firstTransferUnderUseOrCancellationCompletesAtFirstInternationalUse() {
    String i2 = issueUnderUseOrCancellation();
    assertEquals(FirstTransferState.PENDING, state.issuance(i2).orElseThrow().firstTransfer());
    accept(state, transfer(A1, A3, 1001, 1100));
    assertEquals(FirstTransferState.PENDING, state.issuance(i2).orElseThrow().firstTransfer(), "a transfer is no use");
    accept(state, new Retire(A3, ranges(1001, 1001), RetirementPurpose.NDC, "Japan", null, null, 2024, null, "JP", null));
    assertEquals(FirstTransferState.PENDING, state.issuance(i2).orElseThrow().firstTransfer(), "the host's own NDC is no international use");
    for (CancellationReason reason : List.of(CancellationReason.INVALIDATION, CancellationReason.BUFFER_LOSS)) {
      long serial = 1002 + reason.ordinal();
      accept(state, new Cancel(A3, ranges(serial, serial), reason, null, null, "test"));
      assertEquals(FirstTransferState.PENDING, state.issuance(i2).orElseThrow().firstTransfer(), reason + " is no international use");
    }
    accept(state, new Cancel(A3, ranges(1010, 1010), CancellationReason.EXPORT, "EU-REG", "EXP-1", "test"));
    assertEquals(FirstTransferState.DONE, state.issuance(i2).orElseThrow().firstTransfer(), "an export is");
  }

  @Test
  void firstTransferUnderUseOrCancellationCompletesAtAnOtherCancellationButNotAtGxEtsUseOfJapaneseUnits() {
    String i2 = issueUnderUseOrCancellation(); // the fixture's project is Japanese
    accept(state, transfer(A1, A3, 1001, 1100));
    accept(state, new Retire(A3, ranges(1001, 1001), RetirementPurpose.GX_ETS, "Acme", null, null, 2024, null, null, null));
    assertEquals(FirstTransferState.PENDING, state.issuance(i2).orElseThrow().firstTransfer(), "GX-ETS is a use in Japan");
    accept(state, new Cancel(A3, ranges(1002, 1002), CancellationReason.OTHER, null, null, "test"));
    assertEquals(FirstTransferState.DONE, state.issuance(i2).orElseThrow().firstTransfer(), "OTHER may be an export by another name");
  }

  @Test
  void firstTransferUnderUseOrCancellationCompletesAtAVoluntaryRetirement() {
    String i2 = issueUnderUseOrCancellation();
    accept(state, transfer(A1, A3, 1001, 1100));
    accept(state, new Retire(A3, ranges(1001, 1001), RetirementPurpose.VOLUNTARY_OFFSET, "Acme", null, null, 2024, null, null, null));
    assertEquals(FirstTransferState.DONE, state.issuance(i2).orElseThrow().firstTransfer());
  }

  /** 100 units at serials 1001-1100 in A1, authorised by JP for NDC use with first transfer at use or cancellation. */
  private String issueUnderUseOrCancellation() {
    String l2 = (String) accept(state, new RecordAuthorisation("JP", "JP-LOA-UOC", LocalDate.of(2024, 5, 1),
        AuthorisationPurpose.NDC, FirstTransferDefinition.USE_OR_CANCELLATION, 1000, 2021, 2030, false))
        .get("authorisationId");
    return (String) accept(state, Fixture.issue(2022, 100, List.of(), l2)).get("issuanceId");
  }

  @Test
  void transferExplicitRangesSplitsBlocks() {
    assertEquals("{\"blocks\":[{\"end\":100,\"start\":1},{\"end\":250,\"start\":201}],\"fromAccountId\":"
        + "\"A00000003H\",\"quantity\":150,\"reference\":\"trade-42\",\"toAccountId\":\"A00000004F\"}",
        acceptJson(new Transfer(A3, A4, ranges(201, 250, 1, 100), "trade-42")));
    assertEquals(List.of(new Block(1, 100, I1, A4, BlockState.ACTIVE), new Block(201, 250, I1, A4, BlockState.ACTIVE)),
        state.blocksOf(A4));
    assertEquals(List.of(new Block(101, 200, I1, A3, BlockState.ACTIVE),
        new Block(251, 600, I1, A3, BlockState.ACTIVE)),
        state.blocksOf(A3));
    assertEquals(450, state.activeQuantity(A3));
  }

  @Test
  void transferARangeAcrossTwoBlocksListsOnePartPerBlock() {
    accept(state, transfer(A1, A4, 601, 700));
    accept(state, transfer(A1, A4, 701, 800));
    assertEquals("{\"blocks\":[{\"end\":700,\"start\":650},{\"end\":750,\"start\":701}],\"fromAccountId\":"
        + "\"A00000004F\",\"quantity\":101,\"toAccountId\":\"A00000003H\"}",
        acceptJson(transfer(A4, A3, 650, 750)));
  }

  @Test
  void transferByQuantityTakesOldestVintageFirstThenLowestSerial() {
    String i2 = issueUnauthorised(state, 2020, 100);
    accept(state, transfer(A1, A3, 1001, 1100));
    assertEquals("{\"blocks\":[{\"end\":550,\"start\":1},{\"end\":1100,\"start\":1001}],\"fromAccountId\":"
        + "\"A00000003H\",\"quantity\":650,\"toAccountId\":\"A00000004F\"}",
        acceptJson(new Transfer(A3, A4, new UnitSelection.ByQuantity(650, null, null, null), null)));
    assertEquals(List.of(new Block(551, 600, I1, A3, BlockState.ACTIVE)), state.blocksOf(A3));
    assertEquals("I00000002U", i2);
  }

  @Test
  void transferByQuantityHonoursFilters() {
    issueUnauthorised(state, 2020, 100);
    accept(state, transfer(A1, A3, 1001, 1100));
    assertEquals("{\"blocks\":[{\"end\":10,\"start\":1}],\"fromAccountId\":\"A00000003H\",\"quantity\":10,"
        + "\"toAccountId\":\"A00000004F\"}",
        acceptJson(new Transfer(A3, A4, new UnitSelection.ByQuantity(10, I1, P1, 2021), null)));
  }

  @Test
  void retireForCorsiaFirstPhase() {
    assertEquals("{\"accountId\":\"A00000003H\",\"beneficiary\":{\"id\":\"ICAO-SKY\",\"name\":\"Sky Airlines\"},"
        + "\"blocks\":[{\"end\":100,\"start\":1}],\"corsia\":{\"compliancePeriod\":\"FIRST_PHASE\",\"operator\":"
        + "\"Sky Airlines\",\"operatorState\":\"SG\"},\"purpose\":\"CORSIA\",\"quantity\":100,\"reportingYear\":2025}",
        acceptJson(new Retire(A3, ranges(1, 100), RetirementPurpose.CORSIA, "Sky Airlines", "ICAO-SKY", null, 2025,
            new CorsiaDetails("Sky Airlines", "SG", CompliancePeriod.FIRST_PHASE), null, null)));
    assertEquals(new Block(1, 100, I1, A3, BlockState.RETIRED), state.blockContaining(50).orElseThrow());
    assertEquals(500, state.activeQuantity(A3));
  }

  /** "VCS-999 " must not pass for another activity than the fixture's VCS-999: ids are compared as written. */
  @Test
  void aOneLineTextMayNotBeginOrEndWithASpace() {
    for (String padded : List.of("VCS-999 ", " VCS-999", "VCS-999\u00a0", "\u3000VCS-999", "VCS-999\u200b", "\ufeffVCS-999")) {
      assertRejected(RejectCode.FIELD_INVALID, state.execute(new RegisterProject("VCS", padded, "Same boilers", "JP",
          "VM0001", ProjectCategory.RENEWABLE_HEAT, MitigationType.REDUCTION, period("2014-01-01", "2035-12-31"),
          LocalDate.of(2014, 4, 1), null, List.of())));
    }
    assertRejected(RejectCode.FIELD_INVALID, state.execute(new Transfer(A3, A4, ranges(1, 1), "T-1 ")));
    accept(state, new Transfer(A3, A4, ranges(1, 1), "T-1 a b"));
  }

  /** A letter's projectIds: never empty (absent means any project), and every unknown id reported before a foreign one. */
  @Test
  void aLettersProjectIdsAreGivenOrLeftOutAndUnknownOnesComeFirst() {
    String singapore = (String) accept(state, Fixture.project("GS", "GS-SG-2", "SG")).get("projectId");
    assertRejected(RejectCode.FIELD_INVALID, state.execute(letter(List.of())));
    assertRejected(RejectCode.PROJECT_NOT_FOUND, state.execute(letter(List.of(singapore, P99))));
    assertRejected(RejectCode.AUTHORISATION_HOST_COUNTRY_MISMATCH, state.execute(letter(List.of(P1, singapore))));
    assertEquals(List.of(P1), accept(state, letter(List.of(P1))).get("projectIds"));
    assertFalse(accept(state, new RecordAuthorisation("JP", "JP-LOA-ANY", LocalDate.of(2024, 1, 1), AuthorisationPurpose.OIMP,
        FirstTransferDefinition.ISSUANCE, 10, 2021, 2030, false, null)).containsKey("projectIds"), "absent: any project");
  }

  private static RecordAuthorisation letter(List<String> projectIds) {
    return new RecordAuthorisation("JP", "JP-LOA-NAMED", LocalDate.of(2024, 1, 1), AuthorisationPurpose.OIMP,
        FirstTransferDefinition.ISSUANCE, 10, 2021, 2030, false, projectIds);
  }

  /** Days are inclusive: a period has ended once its last day is over, not on that day. */
  @Test
  void aMonitoringPeriodHasEndedTheDayAfterItsLastDay() {
    Issue year2025 = new Issue(P1, period("2025-01-01", "2025-12-31"), 2025, 10, "JCU", List.of(), null, null);
    assertRejected(RejectCode.MONITORING_PERIOD_NOT_ENDED, state.decide(year2025, LocalDate.of(2025, 12, 31)));
    assertInstanceOf(Decision.Accepted.class, state.decide(year2025, LocalDate.of(2026, 1, 1)));
  }

  @Test
  void aCorsiaClaimPeriodLiesInItsCompliancePeriod() {
    CorsiaDetails firstPhase = new CorsiaDetails("Sky Airlines", "SG", CompliancePeriod.FIRST_PHASE);
    assertRejected(RejectCode.CLAIM_OUTSIDE_COMPLIANCE_PERIOD, state.execute(new Retire(A3, ranges(1, 10),
        RetirementPurpose.CORSIA, "Sky Airlines", null, period("2023-07-01", "2024-06-30"), null, firstPhase, null, null)));
    assertRejected(RejectCode.CLAIM_OUTSIDE_COMPLIANCE_PERIOD, state.execute(new Retire(A3, ranges(1, 10),
        RetirementPurpose.CORSIA, "Sky Airlines", null, null, 2023, firstPhase, null, null)));
    accept(state, new Retire(A3, ranges(1, 10), RetirementPurpose.CORSIA, "Sky Airlines", null,
        period("2024-01-01", "2026-12-31"), 2026, firstPhase, null, null));
  }

  @Test
  void anAuthorisedIssuanceHasItsWholeMonitoringPeriodInsideTheLettersVintages() {
    String from2023 = (String) accept(state, new RecordAuthorisation("JP", "JP-LOA-2023-ON", LocalDate.of(2024, 5, 1),
        AuthorisationPurpose.OIMP, FirstTransferDefinition.ISSUANCE, 1000, 2023, 2030, false)).get("authorisationId");
    assertRejected(RejectCode.VINTAGE_NOT_AUTHORISED, state.execute(new Issue(P1, period("2022-07-01", "2023-06-30"), 2023,
        10, "JCU", List.of(), from2023, null)));
    accept(state, new Issue(P1, period("2023-01-01", "2023-06-30"), 2023, 10, "JCU", List.of(), from2023, null));
  }

  @Test
  void retireVoluntarilyWithAClaimPeriodAndNote() {
    assertEquals("{\"accountId\":\"A00000003H\",\"beneficiary\":{\"name\":\"Acme Trading\"},\"blocks\":[{\"end\":"
        + "7,\"start\":1}],\"claimPeriod\":{\"end\":\"2024-12-31\",\"start\":\"2024-01-01\"},\"note\":"
        + "\"FY2024 offset\\nline 2\",\"purpose\":\"VOLUNTARY_OFFSET\",\"quantity\":7}",
        acceptJson(new Retire(A3, new UnitSelection.ByQuantity(7, null, null, null),
            RetirementPurpose.VOLUNTARY_OFFSET, "Acme Trading", null, period("2024-01-01", "2024-12-31"), null, null,
            null, "FY2024 offset\nline 2")));
  }

  @Test
  void retireForCorsiaPilot() {
    String p2 = (String) accept(state, new RegisterProject("GS", "GS-1", "Cookstoves", "KE", "GS-TPDDTEC",
        ProjectCategory.HOUSEHOLD_DEVICES, MitigationType.REDUCTION, period("2016-06-01", "2026-05-31"),
        LocalDate.of(2016, 6, 1), null, null)).get("projectId");
    accept(state, new OpenAccount(H1, null, null, "GS issuance", AccountType.ISSUANCE, "GS"));
    String i2 = (String) accept(state, new Issue(p2, period("2018-01-01", "2018-12-31"), 2018, 100, "VER",
        List.of("CORSIA_PILOT"), null, null)).get("issuanceId");
    long start = state.issuance(i2).orElseThrow().serialStart();
    accept(state, transfer("A00000006B", A4, start, start + 99));
    accept(state, new Retire(A4, ranges(start, start + 99), RetirementPurpose.CORSIA, "Sky Airlines", null, null, 2022,
        new CorsiaDetails("Sky Airlines", "SG", CompliancePeriod.PILOT), null, null));
    assertEquals(BlockState.RETIRED, state.blockContaining(start).orElseThrow().state());
  }

  /** Retiring for an NDC: which units, for which country. */
  static Stream<Arguments> ndcRetirements() {
    FirstTransferDefinition atAuthorisation = FirstTransferDefinition.AUTHORISATION;
    FirstTransferDefinition atUse = FirstTransferDefinition.USE_OR_CANCELLATION;
    return Stream.of(
        Arguments.of("host country's own NDC, unauthorised units", "JP", null, null, false, null),
        Arguments.of("host country's own NDC, authorised, first transfer pending", "JP", AuthorisationPurpose.NDC,
            atUse, false, null),
        Arguments.of("host country's own NDC, authorised, first transfer done: committed abroad", "JP",
            AuthorisationPurpose.NDC, atAuthorisation, false, RejectCode.UNITS_COMMITTED_TO_INTERNATIONAL_USE),
        Arguments.of("host country's own NDC, authorised, adjustment applied: counted abroad", "JP",
            AuthorisationPurpose.NDC_AND_OIMP, atUse, true, RejectCode.UNITS_COMMITTED_TO_INTERNATIONAL_USE),
        Arguments.of("another NDC, unauthorised units", "SG", null, null, false,
            RejectCode.UNITS_NOT_AUTHORISED_FOR_PURPOSE),
        Arguments.of("another NDC, units authorised for OIMP only", "SG", AuthorisationPurpose.OIMP, atAuthorisation,
            true, RejectCode.UNITS_NOT_AUTHORISED_FOR_PURPOSE),
        Arguments.of("another NDC, authorised, adjustment pending", "SG", AuthorisationPurpose.NDC, atAuthorisation,
            false, RejectCode.CORRESPONDING_ADJUSTMENT_NOT_APPLIED),
        Arguments.of("another NDC, authorised, adjustment applied", "SG", AuthorisationPurpose.NDC_AND_OIMP,
            atAuthorisation, true, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ndcRetirements")
  void retireForAnNdc(String name, String ndcCountry, AuthorisationPurpose purpose,
      FirstTransferDefinition firstTransfer, boolean adjusted, RejectCode expected) {
    String authorisationId = purpose == null ? null : (String) accept(state, new RecordAuthorisation("JP",
        "LOA-" + name, LocalDate.of(2024, 1, 1), purpose, firstTransfer, 1000, 2021, 2030, false))
        .get("authorisationId");
    String issuanceId = (String) accept(state, Fixture.issue(2022, 100, List.of(), authorisationId))
        .get("issuanceId");
    if (adjusted) {
      accept(state, new ApplyCorrespondingAdjustment(issuanceId, "JP", "BTR-1"));
    }
    accept(state, transfer(A1, A4, 1001, 1100));
    Retire retire = new Retire(A4, ranges(1001, 1010), RetirementPurpose.NDC, "Singapore", null, null, 2025, null,
        ndcCountry, null);
    RegistryContents before = state.contents();
    Decision decision = state.decide(retire);
    assertEquals(before, state.contents());
    if (expected == null) {
      assertInstanceOf(Decision.Accepted.class, decision, decision::toString);
      assertEquals(ndcCountry, ((Decision.Accepted) decision).data().get("ndcCountry"));
    } else {
      assertRejected(expected, decision);
    }
  }

  /** The attestation CORSIA's first phase accepts stands in for no adjustment toward another country's NDC. */
  @Test
  void anAttestedAdjustmentIsNoAdjustmentForAnotherNdc() {
    String letter = (String) accept(state, new RecordAuthorisation("JP", "LOA-ATTESTED", LocalDate.of(2024, 1, 1),
        AuthorisationPurpose.NDC_AND_OIMP, FirstTransferDefinition.AUTHORISATION, 1000, 2021, 2030, true))
        .get("authorisationId");
    accept(state, Fixture.issue(2022, 100, List.of(), letter));
    accept(state, transfer(A1, A4, 1001, 1100));
    assertRejected(RejectCode.CORRESPONDING_ADJUSTMENT_NOT_APPLIED, state.decide(new Retire(A4, ranges(1001, 1010),
        RetirementPurpose.NDC, "Singapore", null, null, 2025, null, "SG", null)));
  }

  private static Retire forCorsiaFirstPhase(long quantity) {
    return new Retire(A3, new UnitSelection.ByQuantity(quantity, null, null, null), RetirementPurpose.CORSIA,
        "Sky Airlines", null, null, 2025, new CorsiaDetails("Sky Airlines", "SG", CompliancePeriod.FIRST_PHASE), null,
        null);
  }

  @Test
  void aClaimByQuantitySkipsUnitsItMayNotClaimWhenTheOthersAreEnough() {
    issueUnauthorised(state, 2020, 100); // 1001..1100: older than I1's 2021 units, so taken first by quantity
    accept(state, transfer(A1, A3, 1001, 1100));
    RegistryContents before = state.contents();
    assertRejected(RejectCode.CORSIA_INELIGIBLE, state.decide(forCorsiaFirstPhase(601)));
    assertRejected(RejectCode.UNITS_NOT_HELD, state.decide(forCorsiaFirstPhase(701)));
    assertEquals(before, state.contents());

    accept(state, forCorsiaFirstPhase(50));
    assertEquals(new Block(1, 50, I1, A3, BlockState.RETIRED), state.blockContaining(1).orElseThrow());
    assertEquals(BlockState.ACTIVE, state.blockContaining(1001).orElseThrow().state());
    accept(state, RulesPrecedenceTest.retirement(A3, new UnitSelection.ByQuantity(10, null, null, null)));
    assertEquals(BlockState.RETIRED, state.blockContaining(1001).orElseThrow().state(),
        "a voluntary retirement has no claim rules: the oldest vintage goes first");
  }

  @Test
  void anNdcClaimByQuantitySkipsUnitsTheHostAdjustedWhenTheOthersAreEnough() {
    issueUnauthorised(state, 2022, 100); // 1001..1100, newer than I1's adjusted 2021 units
    accept(state, transfer(A1, A3, 1001, 1100));
    Retire forJapan = new Retire(A3, new UnitSelection.ByQuantity(60, null, null, null), RetirementPurpose.NDC,
        "Japan", null, null, 2025, null, "JP", null);
    accept(state, forJapan);
    assertEquals(new Block(1001, 1060, "I00000002U", A3, BlockState.RETIRED), state.blockContaining(1001).orElseThrow());
    assertEquals(BlockState.ACTIVE, state.blockContaining(1).orElseThrow().state());
    assertRejected(RejectCode.UNITS_COMMITTED_TO_INTERNATIONAL_USE, state.decide(forJapan));
  }

  @Test
  void cancelForExport() {
    assertEquals("{\"accountId\":\"A00000003H\",\"blocks\":[{\"end\":50,\"start\":1}],\"externalReference\":"
        + "\"VCS-IMPORT-77\",\"note\":\"to VCS\",\"quantity\":50,\"reason\":\"EXPORT\",\"targetRegistry\":\"Verra\"}",
        acceptJson(new Cancel(A3, ranges(1, 50), CancellationReason.EXPORT, "Verra", "VCS-IMPORT-77", "to VCS")));
    assertEquals(new Block(1, 50, I1, A3, BlockState.CANCELLED), state.blockContaining(1).orElseThrow());
  }

  @Test
  void applyACorrespondingAdjustment() {
    String i2 = (String) accept(state, Fixture.issue(2022, 100, List.of(), L1)).get("issuanceId");
    assertEquals("{\"hostCountry\":\"JP\",\"issuanceId\":\"I00000002U\",\"reportReference\":\"JP-BTR-2026\"}",
        acceptJson(new ApplyCorrespondingAdjustment(i2, "JP", "JP-BTR-2026")));
    assertEquals(CorrespondingAdjustmentStatus.APPLIED, state.issuance(i2).orElseThrow().correspondingAdjustment());
  }

  @Test
  void closeAnEmptiedAccount() {
    accept(state, transfer(A3, A4, 1, 600));
    accept(state, new ChangeAccountStatus(A3, AccountStatus.CLOSED, "client left"));
    assertRejected(RejectCode.ACCOUNT_CLOSED,
        state.decide(new ChangeAccountStatus(A3, AccountStatus.ACTIVE, "client back")));
    assertRejected(RejectCode.ACCOUNT_NOT_ACTIVE, state.decide(transfer(A4, A3, 1, 1)));
  }
}
