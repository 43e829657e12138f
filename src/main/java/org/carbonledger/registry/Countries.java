package org.carbonledger.registry;

import java.util.Set;

/**
 * Countries knows the assigned ISO 3166-1 alpha-2 country codes. The list is fixed here rather than taken from
 * the JDK's Locale data, because replaying a log checks its countries against it: a verifier on another JDK, or
 * written in another language from docs/REGISTRY.md (which lists the same codes), must accept exactly the same
 * entries. Codes may be added when ISO assigns one; none may be removed, or older logs would stop replaying.
 */
public final class Countries {

  /** The 249 codes ISO 3166-1 assigns (as of 2024), as docs/REGISTRY.md lists them. */
  static final String ASSIGNED_CODES = """
      AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ \
      CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO \
      FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE \
      JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO \
      MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW \
      PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM \
      TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW""";

  private static final Set<String> ASSIGNED = Set.of(ASSIGNED_CODES.split(" "));

  private Countries() {}

  /** True if {@code code} is two upper-case letters assigned to a country. */
  public static boolean isAssigned(String code) {
    return code != null && code.length() == 2 && ASSIGNED.contains(code);
  }
}
