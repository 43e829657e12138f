package org.carbonledger.registry;

import static org.carbonledger.registry.Fixture.*;
import static org.carbonledger.registry.RejectCode.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Goal: every command reports its rules in exactly the order {@link Precedence} documents, and a rejected command
 * changes nothing. Method (TigerBeetle's "test errors by descending precedence"): per command, a valid baseline
 * and one breaker per rule, in precedence order; row i applies breakers n..i (the more important ones last, so
 * they win where two touch the same field) and expects code i, while every less important rule is broken too.
 * The last row applies none and expects acceptance. A second test checks the walks cover each Precedence list.
 */
class RulesPrecedenceTest {

  /** World is one row's registry (a fresh standard fixture) and the command being built. */
  static final class World<S> {
    final RegistryState state = Fixture.standard();
    final S spec;

    World(S spec) {
      this.spec = spec;
    }
  }

  record Breaker<S>(RejectCode code, String name, Consumer<World<S>> apply) {}

  /** Walk is one command's table: its baseline, a setup run first in every row, and its breakers in order. */
  record Walk<S>(CommandKind kind, Supplier<S> baseline, Consumer<World<S>> setup, Function<S, Command> build,
      List<Breaker<S>> breakers) {

    Walk(CommandKind kind, Supplier<S> baseline, Function<S, Command> build, List<Breaker<S>> breakers) {
      this(kind, baseline, w -> { }, build, breakers);
    }
  }

  static <S> Breaker<S> breaker(RejectCode code, String name, Consumer<World<S>> apply) {
    return new Breaker<>(code, name, apply);
  }

  @TestFactory
  Stream<DynamicTest> descendingPrecedence() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Walk<?> walk : walks()) {
      addRows(tests, walk);
    }
    return tests.stream();
  }

  @Test
  void walksCoverEachPrecedenceList() {
    for (Walk<?> walk : walks()) {
      List<RejectCode> documented = collapse(Precedence.of(walk.kind()).stream().map(Precedence.Step::code).toList());
      List<RejectCode> walked = collapse(walk.breakers().stream().map(Breaker::code).toList());
      assertEquals(documented, walked, walk.kind() + ": the walk does not follow the documented precedence");
    }
  }

  private static <S> void addRows(List<DynamicTest> tests, Walk<S> walk) {
    List<Breaker<S>> breakers = walk.breakers();
    for (int i = 0; i <= breakers.size(); i++) {
      int row = i;
      String name = walk.kind() + " " + (row + 1) + ": "
          + (row < breakers.size() ? breakers.get(row).code() + " (" + breakers.get(row).name() + ")" : "accepted");
      tests.add(DynamicTest.dynamicTest(name, () -> {
        World<S> world = new World<>(walk.baseline().get());
        walk.setup().accept(world);
        for (int j = breakers.size() - 1; j >= row; j--) {
          breakers.get(j).apply().accept(world);
        }
        RegistryContents before = world.state.contents();
        Decision decision = world.state.decide(walk.build().apply(world.spec));
        assertEquals(before, world.state.contents(), "deciding changed the state");
        if (row < breakers.size()) {
          assertRejected(breakers.get(row).code(), decision);
        } else {
          assertInstanceOf(Decision.Accepted.class, decision, decision::toString);
          world.state.apply(walk.kind().entryType(), ((Decision.Accepted) decision).data());
        }
      }));
    }
  }

  private static List<RejectCode> collapse(List<RejectCode> codes) {
    List<RejectCode> out = new ArrayList<>();
    for (RejectCode code : codes) {
      if (out.isEmpty() || out.get(out.size() - 1) != code) {
        out.add(code);
      }
    }
    return out;
  }

  private static List<Walk<?>> walks() {
    return List.of(openAccountWalk(), changeAccountStatusWalk(), registerProjectWalk(), recordAuthorisationWalk(),
        issueWalk(), transferWalk(), retireWalk(), cancelWalk(), applyCorrespondingAdjustmentWalk());
  }

  // ---- Open account

  static final class OpenSpec {
    String holderId = H2;
    String holderName;
    String holderCountry;
    String accountName = "Acme second";
    AccountType type = AccountType.HOLDING;
    String program;
  }

  private static Walk<OpenSpec> openAccountWalk() {
    return new Walk<>(CommandKind.OPEN_ACCOUNT, OpenSpec::new,
        s -> new OpenAccount(s.holderId, s.holderName, s.holderCountry, s.accountName, s.type, s.program),
        List.of(
            breaker(ID_MALFORMED, "holderId check character wrong", w -> w.spec.holderId = withWrongCheck(H2)),
            breaker(FIELD_INVALID, "accountName blank", w -> w.spec.accountName = "  "),
            breaker(TEXT_TOO_LONG, "accountName 201 characters", w -> w.spec.accountName = "a".repeat(201)),
            breaker(COUNTRY_UNKNOWN, "holderCountry XX", w -> w.spec.holderCountry = "XX"),
            breaker(HOLDER_NOT_FOUND, "holderId unknown", w -> w.spec.holderId = Ids.format(Ids.Kind.HOLDER, 99)),
            breaker(HOLDER_DETAILS_DIFFER, "holderName differs", w -> w.spec.holderName = "Acme Holdings"),
            breaker(ISSUANCE_ACCOUNT_EXISTS, "second JCREDIT issuance account", w -> {
              w.spec.type = AccountType.ISSUANCE;
              w.spec.program = "JCREDIT";
            })));
  }

  // ---- Change account status

  static final class StatusSpec {
    String accountId = A4;
    AccountStatus status = AccountStatus.SUSPENDED;
    String reason = "KYC review";
  }

  private static Walk<StatusSpec> changeAccountStatusWalk() {
    return new Walk<>(CommandKind.CHANGE_ACCOUNT_STATUS, StatusSpec::new,
        s -> new ChangeAccountStatus(s.accountId, s.status, s.reason),
        List.of(
            breaker(ID_MALFORMED, "accountId without check character", w -> w.spec.accountId = "A0000000"),
            breaker(FIELD_INVALID, "reason has a NUL", w -> w.spec.reason = "bad\u0000"),
            breaker(TEXT_TOO_LONG, "reason 1001 characters", w -> w.spec.reason = "r".repeat(1001)),
            breaker(ACCOUNT_NOT_FOUND, "accountId unknown", w -> w.spec.accountId = A99),
            breaker(ACCOUNT_CLOSED, "the closed account A5", w -> w.spec.accountId = A5),
            breaker(ACCOUNT_STATUS_UNCHANGED, "ACTIVE to ACTIVE", w -> w.spec.status = AccountStatus.ACTIVE),
            breaker(ACCOUNT_HAS_UNITS, "close with 10 units", w -> {
              accept(w.state, transfer(A3, A4, 1, 10));
              w.spec.status = AccountStatus.CLOSED;
            })));
  }

  // ---- Register project

  static final class ProjectSpec {
    String program = "VCS";
    String programProjectId = "VCS-2001";
    String name = "Kalimantan peat";
    String hostCountry = "ID";
    String methodology = "VM0007";
    Period creditingPeriod = period("2020-01-01", "2029-12-31");
    TseMarketClass tseMarketClass;
  }

  private static Walk<ProjectSpec> registerProjectWalk() {
    return new Walk<>(CommandKind.REGISTER_PROJECT, ProjectSpec::new,
        s -> new RegisterProject(s.program, s.programProjectId, s.name, s.hostCountry, s.methodology,
            ProjectCategory.FORESTRY, MitigationType.MIXED, s.creditingPeriod, LocalDate.of(2019, 6, 1),
            s.tseMarketClass, List.of(new OtherRegistration("GS", "GS-77", period("2018-01-01", "2019-12-31"), true))),
        List.of(
            breaker(FIELD_INVALID, "methodology has a BEL", w -> w.spec.methodology = "VM\u0007"),
            breaker(FIELD_INVALID, "name has a right-to-left override", w -> w.spec.name = "Forest \u202eDOOW"),
            breaker(TEXT_TOO_LONG, "programProjectId 101 characters", w -> w.spec.programProjectId = "V".repeat(101)),
            breaker(COUNTRY_UNKNOWN, "hostCountry ZZ", w -> w.spec.hostCountry = "ZZ"),
            breaker(PERIOD_INVALID, "creditingPeriod reversed",
                w -> w.spec.creditingPeriod = period("2029-12-31", "2020-01-01")),
            breaker(PROJECT_ALREADY_REGISTERED, "JCREDIT JCR-0001 again", w -> {
              w.spec.program = "JCREDIT";
              w.spec.programProjectId = "JCR-0001";
            })));
  }

  // ---- Record authorisation

  static final class AuthorisationSpec {
    String hostCountry = "JP";
    String loaReference = "JP-LOA-2024-002";
    AuthorisationPurpose purpose = AuthorisationPurpose.NDC_AND_OIMP;
    long quantity = 50_000;
    int vintageFrom = 2021;
    List<String> projectIds = List.of(P1);
  }

  private static Walk<AuthorisationSpec> recordAuthorisationWalk() {
    return new Walk<>(CommandKind.RECORD_AUTHORISATION, AuthorisationSpec::new,
        s -> new RecordAuthorisation(s.hostCountry, s.loaReference, LocalDate.of(2024, 5, 1), s.purpose,
            FirstTransferDefinition.USE_OR_CANCELLATION, s.quantity, s.vintageFrom, 2030, false, s.projectIds),
        List.of(
            breaker(ID_MALFORMED, "projectIds with a lower-case id", w -> w.spec.projectIds = List.of(P1.toLowerCase())),
            breaker(FIELD_INVALID, "purpose missing", w -> w.spec.purpose = null),
            breaker(TEXT_TOO_LONG, "loaReference 101 characters", w -> w.spec.loaReference = "L".repeat(101)),
            breaker(COUNTRY_UNKNOWN, "hostCountry lower case", w -> w.spec.hostCountry = "jp"),
            breaker(QUANTITY_MUST_BE_POSITIVE, "quantity 0", w -> w.spec.quantity = 0),
            breaker(QUANTITY_ABOVE_LIMIT, "quantity 10^12 + 1", w -> w.spec.quantity = Limits.QUANTITY_MAX + 1),
            breaker(PERIOD_INVALID, "vintageFrom after vintageTo", w -> w.spec.vintageFrom = 2031),
            breaker(PROJECT_NOT_FOUND, "projectIds names no project", w -> w.spec.projectIds = List.of(P1, P99)),
            breaker(AUTHORISATION_HOST_COUNTRY_MISMATCH, "projectIds names a project in Singapore", w -> w.spec.projectIds =
                List.of(P1, (String) accept(w.state, project("GS", "GS-SG-1", "SG")).get("projectId"))),
            breaker(AUTHORISATION_ALREADY_RECORDED, "L1's reference", w -> w.spec.loaReference = "JP-LOA-2024-001")));
  }

  // ---- Issue

  static final class IssueSpec {
    String projectId = P1;
    Period monitoringPeriod = period("2022-01-01", "2022-12-31");
    int vintage = 2022;
    long quantity = 500;
    String unitType = "JCU";
    String authorisationId = L1;
    Long serialStart;
  }

  private static Walk<IssueSpec> issueWalk() {
    return new Walk<>(CommandKind.ISSUE, IssueSpec::new,
        s -> new Issue(s.projectId, s.monitoringPeriod, s.vintage, s.quantity, s.unitType,
            List.of("CORSIA_FIRST_PHASE", "CCP"), s.authorisationId, s.serialStart),
        List.of(
            breaker(ID_MALFORMED, "projectId lower case", w -> w.spec.projectId = P1.toLowerCase()),
            breaker(FIELD_INVALID, "unitType lower case", w -> w.spec.unitType = "jcu"),
            breaker(PERIOD_INVALID, "monitoringPeriod reversed",
                w -> w.spec.monitoringPeriod = period("2022-12-31", "2022-01-01")),
            breaker(MONITORING_PERIOD_NOT_ENDED, "monitoringPeriod ending tomorrow", w -> {
              LocalDate tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1);
              w.spec.monitoringPeriod = new Period(tomorrow.withDayOfYear(1), tomorrow);
            }),
            breaker(QUANTITY_MUST_BE_POSITIVE, "quantity 0", w -> w.spec.quantity = 0),
            breaker(QUANTITY_ABOVE_LIMIT, "quantity 10^12 + 1", w -> w.spec.quantity = Limits.QUANTITY_MAX + 1),
            breaker(SERIAL_RANGE_INVALID, "serialStart 0", w -> w.spec.serialStart = 0L),
            breaker(PROJECT_NOT_FOUND, "projectId unknown", w -> w.spec.projectId = P99),
            breaker(ISSUANCE_ACCOUNT_MISSING, "a GS project, GS has no issuance account", w -> w.spec.projectId =
                (String) accept(w.state, project("GS", "GS-1", "JP")).get("projectId")),
            breaker(ACCOUNT_NOT_ACTIVE, "JCREDIT issuance account suspended",
                w -> accept(w.state, new ChangeAccountStatus(A1, AccountStatus.SUSPENDED, "audit"))),
            breaker(MONITORING_PERIOD_OUTSIDE_CREDITING_PERIOD, "monitoring 2013",
                w -> w.spec.monitoringPeriod = period("2013-01-01", "2013-12-31")),
            breaker(VINTAGE_OUTSIDE_MONITORING_PERIOD, "vintage 2020", w -> w.spec.vintage = 2020),
            breaker(MONITORING_PERIOD_ALREADY_ISSUED, "overlaps I1's 2021", w -> {
              w.spec.monitoringPeriod = period("2021-06-01", "2022-05-31");
              w.spec.vintage = 2022;
            }),
            breaker(ACTIVITY_ISSUED_IN_OTHER_PROGRAM, "2015, registered in VCS then", w -> {
              w.spec.monitoringPeriod = period("2015-01-01", "2015-12-31");
              w.spec.vintage = 2015;
            }),
            breaker(AUTHORISATION_NOT_FOUND, "authorisationId unknown", w -> w.spec.authorisationId = L99),
            breaker(AUTHORISATION_HOST_COUNTRY_MISMATCH, "an SG authorisation", w -> w.spec.authorisationId =
                authorisation(w.state, "SG", "SG-LOA-1", 2021)),
            breaker(AUTHORISATION_PROJECT_NOT_COVERED, "a letter for another Japanese project", w -> {
              String other = (String) accept(w.state, project("GS", "GS-JP-7", "JP")).get("projectId");
              w.spec.authorisationId = (String) accept(w.state, new RecordAuthorisation("JP", "JP-LOA-OTHER", LocalDate.of(2024, 1, 1),
                  AuthorisationPurpose.OIMP, FirstTransferDefinition.ISSUANCE, 1_000_000, 2021, 2030, false, List.of(other)))
                  .get("authorisationId");
            }),
            breaker(VINTAGE_NOT_AUTHORISED, "authorised from 2023", w -> w.spec.authorisationId =
                authorisation(w.state, "JP", "JP-LOA-2023-ON", 2023)),
            breaker(ISSUANCE_EXCEEDS_AUTHORISED_QUANTITY, "100,000 more under L1", w -> w.spec.quantity = 100_000),
            breaker(SERIAL_RANGE_OVERLAPS, "serialStart 900, inside I1", w -> w.spec.serialStart = 900L),
            breaker(SERIAL_NUMBERS_EXHAUSTED, "last serials taken", w -> accept(w.state, new Issue(P1,
                period("2019-01-01", "2019-12-31"), 2019, 10, "JCU", List.of(), null, Limits.SERIAL_MAX - 9)))));
  }

  private static String authorisation(RegistryState state, String country, String reference, int vintageFrom) {
    return (String) accept(state, new RecordAuthorisation(country, reference, LocalDate.of(2024, 1, 1),
        AuthorisationPurpose.OIMP, FirstTransferDefinition.ISSUANCE, 1_000_000, vintageFrom, 2030, false))
        .get("authorisationId");
  }

  // ---- Transfer

  static final class TransferSpec {
    String from = A3;
    String to = A4;
    UnitSelection selection = ranges(1, 100, 201, 250);
    String reference = "trade-42";
  }

  private static Walk<TransferSpec> transferWalk() {
    return new Walk<>(CommandKind.TRANSFER, TransferSpec::new,
        s -> new Transfer(s.from, s.to, s.selection, s.reference),
        List.of(
            breaker(ID_MALFORMED, "toAccountId A1", w -> w.spec.to = "A1"),
            breaker(FIELD_INVALID, "reference has a tab", w -> w.spec.reference = "trade\t42"),
            breaker(TEXT_TOO_LONG, "reference 101 characters", w -> w.spec.reference = "r".repeat(101)),
            breaker(QUANTITY_MUST_BE_POSITIVE, "quantity 0",
                w -> w.spec.selection = new UnitSelection.ByQuantity(0, null, null, null)),
            breaker(SERIAL_RANGE_INVALID, "range 10..5", w -> w.spec.selection = ranges(10, 5)),
            breaker(QUANTITY_ABOVE_LIMIT, "ranges over 10^12 serials",
                w -> w.spec.selection = ranges(1, Limits.QUANTITY_MAX + 1)),
            breaker(SAME_ACCOUNT, "to the sender", w -> w.spec.to = w.spec.from),
            breaker(ACCOUNT_NOT_FOUND, "sender unknown", w -> w.spec.from = A99),
            breaker(ACCOUNT_NOT_ACTIVE, "receiver suspended",
                w -> accept(w.state, new ChangeAccountStatus(w.spec.to, AccountStatus.SUSPENDED, "sanctions"))),
            breaker(ACCOUNT_TYPE_CANNOT_RECEIVE, "into the VCS issuance account", w -> w.spec.to = A2),
            breaker(SELECTION_SPANS_TOO_MANY_BLOCKS, "1,001 blocks", w -> {
              fragment(w.state, A3, 2023, Limits.BLOCKS_PER_ENTRY_MAX + 1);
              w.spec.selection = new UnitSelection.ByQuantity(Limits.BLOCKS_PER_ENTRY_MAX + 1, null, null, 2023);
            }),
            breaker(SERIAL_NOT_ISSUED, "a range beyond every issuance",
                w -> w.spec.selection = ranges(1, 100, 5_000_000, 5_000_010)),
            breaker(UNITS_NOT_HELD, "serials still in A1", w -> w.spec.selection = ranges(601, 700)),
            breaker(UNITS_ALREADY_RETIRED, "serials A3 retired", w -> {
              accept(w.state, retirement(A3, ranges(1, 10)));
              w.spec.selection = ranges(1, 10);
            }),
            breaker(UNITS_ALREADY_CANCELLED, "serials A3 cancelled", w -> {
              accept(w.state, new Cancel(A3, ranges(11, 20), CancellationReason.INVALIDATION, null, null, null));
              w.spec.selection = ranges(11, 20);
            })));
  }

  static Retire retirement(String accountId, UnitSelection selection) {
    return new Retire(accountId, selection, RetirementPurpose.VOLUNTARY_OFFSET, "Acme Trading", null, null, 2025,
        null, null, null);
  }

  // ---- Retire

  static final class RetireSpec {
    RetirementPurpose purpose = RetirementPurpose.CORSIA;
    String accountId = A3;
    UnitSelection selection = ranges(1, 100);
    CorsiaDetails corsia = new CorsiaDetails("Sky Airlines", "SG", CompliancePeriod.FIRST_PHASE);
    String ndcCountry;
    String note = "first phase offsetting";
    Period claimPeriod;
    Integer reportingYear = 2025;
  }

  private static Walk<RetireSpec> retireWalk() {
    return new Walk<>(CommandKind.RETIRE, RetireSpec::new,
        s -> new Retire(s.accountId, s.selection, s.purpose, "Sky Airlines", "ICAO-SKY",
            s.claimPeriod, s.reportingYear, s.corsia, s.ndcCountry, s.note),
        List.of(
            breaker(ID_MALFORMED, "accountId without check character", w -> w.spec.accountId = "A00000003"),
            breaker(RETIREMENT_DETAILS_MISSING, "CORSIA without corsia", w -> w.spec.corsia = null),
            breaker(FIELD_INVALID, "ndcCountry on a CORSIA retirement", w -> w.spec.ndcCountry = "JP"),
            breaker(TEXT_TOO_LONG, "note 1001 characters", w -> w.spec.note = "n".repeat(1001)),
            breaker(COUNTRY_UNKNOWN, "operatorState XX",
                w -> w.spec.corsia = new CorsiaDetails("Sky Airlines", "XX", CompliancePeriod.FIRST_PHASE)),
            breaker(PERIOD_INVALID, "claimPeriod reversed",
                w -> w.spec.claimPeriod = period("2025-12-31", "2025-01-01")),
            breaker(CLAIM_OUTSIDE_COMPLIANCE_PERIOD, "reportingYear 2027, after the pilot the breakers below ask for",
                w -> w.spec.reportingYear = 2027),
            breaker(QUANTITY_MUST_BE_POSITIVE, "quantity -5",
                w -> w.spec.selection = new UnitSelection.ByQuantity(-5, null, null, null)),
            breaker(SERIAL_RANGE_INVALID, "range from 0", w -> w.spec.selection = ranges(0, 10)),
            breaker(QUANTITY_ABOVE_LIMIT, "quantity 10^12 + 1",
                w -> w.spec.selection = new UnitSelection.ByQuantity(Limits.QUANTITY_MAX + 1, null, null, null)),
            breaker(ACCOUNT_NOT_FOUND, "accountId unknown", w -> w.spec.accountId = A99),
            breaker(ACCOUNT_NOT_ACTIVE, "account suspended",
                w -> accept(w.state, new ChangeAccountStatus(A3, AccountStatus.SUSPENDED, "court order"))),
            breaker(SELECTION_SPANS_TOO_MANY_BLOCKS, "1,001 blocks", w -> {
              fragment(w.state, A3, 2023, Limits.BLOCKS_PER_ENTRY_MAX + 1);
              w.spec.selection = new UnitSelection.ByQuantity(Limits.BLOCKS_PER_ENTRY_MAX + 1, null, null, 2023);
            }),
            breaker(SERIAL_NOT_ISSUED, "a range beyond every issuance",
                w -> w.spec.selection = ranges(9_000_000, 9_000_001)),
            breaker(UNITS_NOT_HELD, "serials still in A1", w -> w.spec.selection = ranges(601, 610)),
            breaker(UNITS_ALREADY_RETIRED, "serials A3 retired", w -> {
              accept(w.state, retirement(A3, ranges(1, 10)));
              w.spec.selection = ranges(1, 10);
            }),
            breaker(UNITS_ALREADY_CANCELLED, "serials A3 cancelled", w -> {
              accept(w.state, new Cancel(A3, ranges(11, 20), CancellationReason.INVALIDATION, null, null, null));
              w.spec.selection = ranges(11, 20);
            }),
            breaker(CORSIA_INELIGIBLE, "for the pilot phase", w -> {
              w.spec.corsia = new CorsiaDetails("Sky Airlines", "SG", CompliancePeriod.PILOT);
              w.spec.reportingYear = 2022;
            }),
            breaker(UNITS_NOT_AUTHORISED_FOR_PURPOSE, "unauthorised 2024 units", w -> {
              w.spec.corsia = new RetireSpec().corsia;
              w.spec.reportingYear = 2025;
              w.spec.selection = heldByA3(w.state, issueUnauthorised(w.state, 2024, 50, "CORSIA_FIRST_PHASE"));
            }),
            breaker(CORRESPONDING_ADJUSTMENT_NOT_APPLIED, "2025 units, adjustment pending", w -> {
              // Back to the CORSIA retirement the breaker below turned into one for Japan's NDC.
              w.spec.purpose = RetirementPurpose.CORSIA;
              w.spec.ndcCountry = null;
              w.spec.corsia = new RetireSpec().corsia;
              w.spec.selection = heldByA3(w.state, (String) accept(w.state,
                  Fixture.issue(2025, 50, List.of("CORSIA_FIRST_PHASE"), L1)).get("issuanceId"));
            }),
            breaker(UNITS_COMMITTED_TO_INTERNATIONAL_USE, "Japan's own NDC, 2026 units adjusted", w -> {
              String issuanceId = (String) accept(w.state, new Issue(P1, period("2026-01-01", "2026-06-30"), 2026, 50, "JCU",
                  List.of(), L1, null)).get("issuanceId");
              accept(w.state, new ApplyCorrespondingAdjustment(issuanceId, "JP", "BTR-2026"));
              w.spec.selection = heldByA3(w.state, issuanceId);
              w.spec.purpose = RetirementPurpose.NDC;
              w.spec.corsia = null;
              w.spec.ndcCountry = "JP";
            }),
            breaker(UNITS_INELIGIBLE_FOR_CLAIM, "a VCMI claim of units without the CCP label", w -> {
              w.spec.purpose = RetirementPurpose.VCMI_CLAIM;
              w.spec.corsia = null;
            })));
  }

  /** Moves all units of an issuance from A1 to A3 and selects 10 of them by issuance. */
  private static UnitSelection heldByA3(RegistryState state, String issuanceId) {
    Issuance issuance = state.issuance(issuanceId).orElseThrow();
    accept(state, transfer(A1, A3, issuance.serialStart(), issuance.serialEnd()));
    return new UnitSelection.ByQuantity(10, issuanceId, null, null);
  }

  // ---- Cancel

  static final class CancelSpec {
    String accountId = A3;
    UnitSelection selection = ranges(1, 50);
    CancellationReason reason = CancellationReason.EXPORT;
    String targetRegistry = "Verra";
    String externalReference = "VCS-IMPORT-77";
  }

  private static Walk<CancelSpec> cancelWalk() {
    return new Walk<>(CommandKind.CANCEL, CancelSpec::new,
        s -> new Cancel(s.accountId, s.selection, s.reason, s.targetRegistry, s.externalReference, "to VCS"),
        List.of(
            breaker(ID_MALFORMED, "accountId missing", w -> w.spec.accountId = null),
            breaker(CANCELLATION_DETAILS_MISSING, "EXPORT without externalReference", w -> {
              w.spec.reason = CancellationReason.EXPORT;
              w.spec.externalReference = null;
            }),
            breaker(FIELD_INVALID, "targetRegistry on an INVALIDATION",
                w -> w.spec.reason = CancellationReason.INVALIDATION),
            breaker(TEXT_TOO_LONG, "targetRegistry 101 characters", w -> w.spec.targetRegistry = "T".repeat(101)),
            breaker(QUANTITY_MUST_BE_POSITIVE, "quantity 0",
                w -> w.spec.selection = new UnitSelection.ByQuantity(0, null, null, null)),
            breaker(SERIAL_RANGE_INVALID, "overlapping ranges", w -> w.spec.selection = ranges(1, 10, 5, 20)),
            breaker(QUANTITY_ABOVE_LIMIT, "every serial", w -> w.spec.selection = ranges(1, Limits.SERIAL_MAX)),
            breaker(ACCOUNT_NOT_FOUND, "accountId unknown", w -> w.spec.accountId = A99),
            breaker(ACCOUNT_NOT_ACTIVE, "account suspended",
                w -> accept(w.state, new ChangeAccountStatus(A3, AccountStatus.SUSPENDED, "court order"))),
            breaker(SELECTION_SPANS_TOO_MANY_BLOCKS, "1,001 blocks", w -> {
              fragment(w.state, A3, 2023, Limits.BLOCKS_PER_ENTRY_MAX + 1);
              w.spec.selection = new UnitSelection.ByQuantity(Limits.BLOCKS_PER_ENTRY_MAX + 1, null, null, 2023);
            }),
            breaker(SERIAL_NOT_ISSUED, "a range beyond every issuance",
                w -> w.spec.selection = ranges(9_000_000, 9_000_001)),
            breaker(UNITS_NOT_HELD, "serials still in A1", w -> w.spec.selection = ranges(601, 610)),
            breaker(UNITS_ALREADY_RETIRED, "serials A3 retired", w -> {
              accept(w.state, retirement(A3, ranges(1, 10)));
              w.spec.selection = ranges(1, 10);
            }),
            breaker(UNITS_ALREADY_CANCELLED, "serials A3 cancelled", w -> {
              accept(w.state, new Cancel(A3, ranges(11, 20), CancellationReason.INVALIDATION, null, null, null));
              w.spec.selection = ranges(11, 20);
            })));
  }

  // ---- Apply corresponding adjustment

  static final class AdjustmentSpec {
    String issuanceId;
    String hostCountry = "JP";
    String reportReference = "JP-BTR-2026";
  }

  private static Walk<AdjustmentSpec> applyCorrespondingAdjustmentWalk() {
    return new Walk<>(CommandKind.APPLY_CORRESPONDING_ADJUSTMENT, AdjustmentSpec::new,
        // The baseline adjusts a new, pending issuance of 2022 under L1.
        w -> w.spec.issuanceId = (String) accept(w.state, Fixture.issue(2022, 100, List.of(), L1)).get("issuanceId"),
        s -> new ApplyCorrespondingAdjustment(s.issuanceId, s.hostCountry, s.reportReference),
        List.of(
            breaker(ID_MALFORMED, "issuanceId I2", w -> w.spec.issuanceId = "I2"),
            breaker(FIELD_INVALID, "reportReference missing", w -> w.spec.reportReference = null),
            breaker(TEXT_TOO_LONG, "reportReference 101 characters", w -> w.spec.reportReference = "R".repeat(101)),
            breaker(COUNTRY_UNKNOWN, "hostCountry QQ", w -> w.spec.hostCountry = "QQ"),
            breaker(ISSUANCE_NOT_FOUND, "issuanceId unknown", w -> w.spec.issuanceId = I99),
            breaker(ISSUANCE_NOT_AUTHORISED, "an unauthorised issuance",
                w -> w.spec.issuanceId = issueUnauthorised(w.state, 2023, 10)),
            breaker(AUTHORISATION_HOST_COUNTRY_MISMATCH, "hostCountry SG", w -> w.spec.hostCountry = "SG"),
            breaker(CORRESPONDING_ADJUSTMENT_ALREADY_APPLIED, "I1, adjusted in the fixture",
                w -> w.spec.issuanceId = I1)));
  }
}
