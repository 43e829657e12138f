package org.carbonledger.registry;

import static org.carbonledger.registry.CorsiaEligibilityTest.Adjustment.APPLIED;
import static org.carbonledger.registry.CorsiaEligibilityTest.Adjustment.ATTESTED;
import static org.carbonledger.registry.CorsiaEligibilityTest.Adjustment.PENDING;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Goal: CorsiaEligibility lists exactly the failing conditions of REGISTRY.md, "CORSIA eligibility", in order.
 * Method: a table of issuances, one row per condition and boundary.
 */
class CorsiaEligibilityTest {

  private static final String P = Ids.format(Ids.Kind.PROJECT, 1);
  private static final String L = Ids.format(Ids.Kind.AUTHORISATION, 1);

  static Stream<Arguments> rows() {
    return Stream.of(
        row("pilot, eligible", CompliancePeriod.PILOT, "2016-01-01", 2016, "CORSIA_PILOT", null, PENDING),
        row("pilot, started 2015-12-31, vintage 2021, no label", CompliancePeriod.PILOT, "2015-12-31", 2021, "CCP",
            null, PENDING, "ACTIVITY_STARTED_BEFORE_2016", "VINTAGE_OUTSIDE_PILOT", "PROGRAM_NOT_ELIGIBLE_FOR_PHASE"),
        row("pilot, vintage 2020 is the last", CompliancePeriod.PILOT, "2017-01-01", 2020, "CORSIA_PILOT", null, PENDING),
        row("first phase, eligible", CompliancePeriod.FIRST_PHASE, "2014-01-01", 2026, "CORSIA_FIRST_PHASE",
            AuthorisationPurpose.OIMP, APPLIED),
        row("first phase, NDC_AND_OIMP also covers OIMP", CompliancePeriod.FIRST_PHASE, "2014-01-01", 2021,
            "CORSIA_FIRST_PHASE", AuthorisationPurpose.NDC_AND_OIMP, APPLIED),
        row("first phase, vintage 2027, NDC only, not adjusted", CompliancePeriod.FIRST_PHASE, "2014-01-01", 2027,
            "CORSIA_FIRST_PHASE", AuthorisationPurpose.NDC, PENDING, "VINTAGE_OUTSIDE_FIRST_PHASE",
            "NOT_AUTHORISED_FOR_OIMP", "CORRESPONDING_ADJUSTMENT_NOT_APPLIED"),
        row("first phase, unauthorised, pilot label", CompliancePeriod.FIRST_PHASE, "2014-01-01", 2022,
            "CORSIA_PILOT", null, PENDING, "PROGRAM_NOT_ELIGIBLE_FOR_PHASE", "NOT_AUTHORISED_FOR_OIMP",
            "CORRESPONDING_ADJUSTMENT_NOT_APPLIED"),
        row("second phase, vintage 2035, eligible", CompliancePeriod.SECOND_PHASE, "2014-01-01", 2035,
            "CORSIA_SECOND_PHASE", AuthorisationPurpose.OIMP, APPLIED),
        row("second phase, vintage 2020, first-phase label", CompliancePeriod.SECOND_PHASE, "2014-01-01", 2020,
            "CORSIA_FIRST_PHASE", AuthorisationPurpose.OIMP, APPLIED, "VINTAGE_OUTSIDE_SECOND_PHASE",
            "PROGRAM_NOT_ELIGIBLE_FOR_PHASE"),
        row("first phase, adjustment pending but attested by the letter", CompliancePeriod.FIRST_PHASE, "2014-01-01",
            2024, "CORSIA_FIRST_PHASE", AuthorisationPurpose.OIMP, ATTESTED),
        row("first phase, attested but authorised for NDC only", CompliancePeriod.FIRST_PHASE, "2014-01-01", 2024,
            "CORSIA_FIRST_PHASE", AuthorisationPurpose.NDC, ATTESTED, "NOT_AUTHORISED_FOR_OIMP"),
        row("second phase, attested is not enough", CompliancePeriod.SECOND_PHASE, "2014-01-01", 2030,
            "CORSIA_SECOND_PHASE", AuthorisationPurpose.OIMP, ATTESTED, "CORRESPONDING_ADJUSTMENT_NOT_APPLIED"));
  }

  /** The corresponding adjustment of an authorised issuance: applied, or pending with or without the letter's attestation. */
  enum Adjustment { APPLIED, PENDING, ATTESTED }

  private static Arguments row(String name, CompliancePeriod period, String activityStart, int vintage, String label,
      AuthorisationPurpose purpose, Adjustment adjusted, String... reasons) {
    Authorisation authorisation = purpose == null ? null : new Authorisation(L, "JP", "LOA-1",
        LocalDate.of(2024, 1, 1), purpose, FirstTransferDefinition.ISSUANCE, 1000, 2016, 2035, adjusted == ATTESTED);
    CorrespondingAdjustmentStatus adjustment = purpose == null ? CorrespondingAdjustmentStatus.NOT_REQUIRED
        : adjusted == APPLIED ? CorrespondingAdjustmentStatus.APPLIED : CorrespondingAdjustmentStatus.PENDING;
    Issuance issuance = new Issuance(Ids.format(Ids.Kind.ISSUANCE, 1), P, Ids.format(Ids.Kind.ACCOUNT, 1),
        new Period(LocalDate.of(vintage, 1, 1), LocalDate.of(vintage, 12, 31)), vintage, 10, 1, 10, "JCU",
        List.of(label), purpose == null ? null : L, adjustment, FirstTransferState.NOT_APPLICABLE);
    Project project = new Project(P, "JCREDIT", "J-1", "Project", "JP", "M", ProjectCategory.OTHER,
        MitigationType.REDUCTION, new Period(LocalDate.of(2014, 1, 1), LocalDate.of(2040, 1, 1)),
        LocalDate.parse(activityStart), null, List.of());
    return Arguments.of(name, period, issuance, project, authorisation, List.of(reasons));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void reasons(String name, CompliancePeriod period, Issuance issuance, Project project, Authorisation authorisation,
      List<String> expected) {
    assertEquals(expected, CorsiaEligibility.reasons(period, BlockState.ACTIVE, issuance, project, authorisation));
  }

  /**
   * The phase's years are when the reductions happened: an issuance whose monitoring period reaches into a year
   * before them is outside, whichever year it names as its vintage.
   */
  @Test
  void aMonitoringPeriodReachingBackBeforeThePhaseIsOutsideIt() {
    Arguments eligible = row("first phase", CompliancePeriod.FIRST_PHASE, "2016-01-01", 2021, "CORSIA_FIRST_PHASE",
        AuthorisationPurpose.OIMP, APPLIED);
    Issuance issuance = (Issuance) eligible.get()[2];
    Project project = (Project) eligible.get()[3];
    Authorisation authorisation = (Authorisation) eligible.get()[4];
    assertEquals(List.of(), CorsiaEligibility.reasons(CompliancePeriod.FIRST_PHASE, BlockState.ACTIVE, issuance, project,
        authorisation));
    Issuance reachingBack = new Issuance(issuance.issuanceId(), issuance.projectId(), issuance.accountId(),
        new Period(LocalDate.of(2020, 12, 31), LocalDate.of(2021, 12, 31)), 2021, issuance.quantity(), issuance.serialStart(),
        issuance.serialEnd(), issuance.unitType(), issuance.labels(), issuance.authorisationId(),
        issuance.correspondingAdjustment(), issuance.firstTransfer());
    assertEquals(List.of("VINTAGE_OUTSIDE_FIRST_PHASE"), CorsiaEligibility.reasons(CompliancePeriod.FIRST_PHASE,
        BlockState.ACTIVE, reachingBack, project, authorisation));
  }

  /** Used units are reported first: whatever their issuance, they can be claimed no more. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void usedUnitsAreNotEligible(String name, CompliancePeriod period, Issuance issuance, Project project,
      Authorisation authorisation, List<String> issuanceReasons) {
    for (BlockState used : List.of(BlockState.RETIRED, BlockState.CANCELLED)) {
      List<String> expected = new ArrayList<>();
      expected.add(used == BlockState.RETIRED ? "UNITS_RETIRED" : "UNITS_CANCELLED");
      expected.addAll(issuanceReasons);
      assertEquals(expected, CorsiaEligibility.reasons(period, used, issuance, project, authorisation));
    }
  }
}
