package org.carbonledger.registry;

/**
 * CorsiaReason is one reason a block is not eligible for a CORSIA compliance period (REGISTRY.md, "CORSIA
 * eligibility"), with the reject code a CORSIA retirement reports for it.
 */
public enum CorsiaReason {
  /** The units themselves were retired: they can be claimed no more (asked of a block, not of an issuance). */
  UNITS_RETIRED(RejectCode.UNITS_ALREADY_RETIRED),
  /** The units themselves were cancelled. */
  UNITS_CANCELLED(RejectCode.UNITS_ALREADY_CANCELLED),
  ACTIVITY_STARTED_BEFORE_2016(RejectCode.CORSIA_INELIGIBLE),
  VINTAGE_OUTSIDE_PILOT(RejectCode.CORSIA_INELIGIBLE),
  VINTAGE_OUTSIDE_FIRST_PHASE(RejectCode.CORSIA_INELIGIBLE),
  VINTAGE_OUTSIDE_SECOND_PHASE(RejectCode.CORSIA_INELIGIBLE),
  PROGRAM_NOT_ELIGIBLE_FOR_PHASE(RejectCode.CORSIA_INELIGIBLE),
  NOT_AUTHORISED_FOR_OIMP(RejectCode.UNITS_NOT_AUTHORISED_FOR_PURPOSE),
  CORRESPONDING_ADJUSTMENT_NOT_APPLIED(RejectCode.CORRESPONDING_ADJUSTMENT_NOT_APPLIED);

  private final RejectCode code;

  CorsiaReason(RejectCode code) {
    this.code = code;
  }

  /** The code a CORSIA retirement of such a block is refused with. */
  public RejectCode code() {
    return code;
  }
}
