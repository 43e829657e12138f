package org.carbonledger.registry;

/** RetirementPurpose is the claim a retirement is made for. */
public enum RetirementPurpose {
  VOLUNTARY_OFFSET,
  CORSIA,
  GX_ETS,
  NDC,
  VCMI_CLAIM,
  OTHER;

  /** GX-ETS is Japan's emissions trading: retiring for it is a use in Japan. */
  private static final String GX_ETS_COUNTRY = "JP";

  /**
   * The country in which a retirement for {@code purpose} uses the units, when it is one country's own use: an NDC
   * retirement's {@code ndcCountry}, Japan for GX-ETS; null for a claim made anywhere (CORSIA, VCMI, voluntary).
   */
  public static String useCountry(RetirementPurpose purpose, String ndcCountry) {
    return switch (purpose) {
      case NDC -> ndcCountry;
      case GX_ETS -> GX_ETS_COUNTRY;
      case VOLUNTARY_OFFSET, CORSIA, VCMI_CLAIM, OTHER -> null;
    };
  }

  /**
   * Whether retiring authorised units of {@code project} for {@code purpose} is their Article 6 first transfer (under
   * a letter that defines it as use or cancellation): any use but one in the host country itself (its NDC, or its
   * own trading scheme), which keeps the reduction at home and asks no corresponding adjustment.
   */
  public static boolean completesFirstTransfer(RetirementPurpose purpose, String ndcCountry, Project project) {
    return !project.hostCountry().equals(useCountry(purpose, ndcCountry));
  }
}
