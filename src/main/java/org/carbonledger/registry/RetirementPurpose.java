package org.carbonledger.registry;

/** RetirementPurpose is the claim a retirement is made for. */
public enum RetirementPurpose {
  VOLUNTARY_OFFSET,
  CORSIA,
  GX_ETS,
  NDC,
  VCMI_CLAIM,
  OTHER;

  /**
   * Whether retiring authorised units of {@code project} for {@code purpose} is their Article 6 first transfer (under
   * a letter that defines it as use or cancellation): any use but the host's own, towards its NDC
   * ({@code ndcCountry} its country), which keeps the reduction at home and asks no corresponding adjustment.
   */
  public static boolean completesFirstTransfer(RetirementPurpose purpose, String ndcCountry, Project project) {
    return purpose != NDC || !ndcCountry.equals(project.hostCountry());
  }
}
