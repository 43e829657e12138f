package org.carbonledger.registry;

import org.carbonledger.ledger.Check;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * CorsiaEligibility says whether units of an issuance are CORSIA Eligible Emissions Units for a compliance
 * period, listing every condition of REGISTRY.md, "CORSIA eligibility", that fails, in that page's order.
 */
public final class CorsiaEligibility {

  /** ICAO's pilot phase takes units of activities started on or after this day. */
  private static final LocalDate PILOT_ACTIVITY_START_MIN = LocalDate.of(2016, 1, 1);

  private CorsiaEligibility() {}

  /**
   * The names of the failing conditions for units of {@code issuance} in state {@code units}, empty when they
   * are eligible: first whether they can still be used at all (a retired or cancelled unit is claimed by no one
   * again), then the conditions on their issuance. {@code authorisation} is null if the issuance has none.
   */
  public static List<String> reasons(CompliancePeriod period, BlockState units, Issuance issuance, Project project,
      Authorisation authorisation) {
    List<String> reasons = new ArrayList<>();
    switch (units) {
      case RETIRED -> reasons.add(CorsiaReason.UNITS_RETIRED.name());
      case CANCELLED -> reasons.add(CorsiaReason.UNITS_CANCELLED.name());
      case ACTIVE -> { }
    }
    check(period, issuance, project, authorisation).forEach(reason -> reasons.add(reason.name()));
    return List.copyOf(reasons);
  }

  /** The failing conditions of the issuance, whatever its units' state; empty means eligible. */
  public static List<CorsiaReason> check(CompliancePeriod period, Issuance issuance, Project project,
      Authorisation authorisation) {
    Check.argument(issuance.projectId().equals(project.projectId()), "issuance of another project");
    Check.argument(authorisation == null ? issuance.authorisationId() == null
        : authorisation.authorisationId().equals(issuance.authorisationId()), "authorisation of another issuance");
    List<CorsiaReason> reasons = new ArrayList<>();
    switch (period) {
      case PILOT -> {
        if (project.activityStart().isBefore(PILOT_ACTIVITY_START_MIN)) {
          reasons.add(CorsiaReason.ACTIVITY_STARTED_BEFORE_2016);
        }
        if (!period.acceptsReductionsOver(issuance.monitoringPeriod())) {
          reasons.add(CorsiaReason.VINTAGE_OUTSIDE_PILOT);
        }
        if (!issuance.labels().contains("CORSIA_PILOT")) {
          reasons.add(CorsiaReason.PROGRAM_NOT_ELIGIBLE_FOR_PHASE);
        }
      }
      case FIRST_PHASE, SECOND_PHASE -> {
        if (!period.acceptsReductionsOver(issuance.monitoringPeriod())) {
          reasons.add(period == CompliancePeriod.FIRST_PHASE ? CorsiaReason.VINTAGE_OUTSIDE_FIRST_PHASE
              : CorsiaReason.VINTAGE_OUTSIDE_SECOND_PHASE);
        }
        if (!issuance.labels().contains("CORSIA_" + period.name())) {
          reasons.add(CorsiaReason.PROGRAM_NOT_ELIGIBLE_FOR_PHASE);
        }
        if (authorisation == null || !authorisation.purpose().coversOimp()) {
          reasons.add(CorsiaReason.NOT_AUTHORISED_FOR_OIMP);
        }
        // The first phase accepts the host's attestation that the adjustment is or will be applied (ICAO's CORSIA
        // eligibility for 2024-2026; docs/REGISTRY.md); the second phase is held to an applied one until its rule
        // is known here.
        boolean attested = period == CompliancePeriod.FIRST_PHASE && authorisation != null
            && authorisation.correspondingAdjustmentAttested();
        if (issuance.correspondingAdjustment() != CorrespondingAdjustmentStatus.APPLIED && !attested) {
          reasons.add(CorsiaReason.CORRESPONDING_ADJUSTMENT_NOT_APPLIED);
        }
      }
    }
    return List.copyOf(reasons);
  }
}
