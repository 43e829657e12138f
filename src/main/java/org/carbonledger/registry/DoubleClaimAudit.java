package org.carbonledger.registry;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * DoubleClaimAudit checks, for a verifier replaying the log, that a UNITS_RETIRED entry claims no units twice
 * over: a CORSIA retirement for the first or second phase, or one toward another country's NDC, must take units
 * whose issuance the host country authorised for that use and whose corresponding adjustment it had applied by
 * then (or, for the first phase, attested in the letter that it will); otherwise the reduction would count for
 * the host country and for the buyer. These are the rules the registry has decided retirements with since its
 * first version (the attestation only relaxes them), so every log it wrote meets them.
 *
 * <p>Not the other claim rules: CORSIA's program labels, vintages and activity dates are about eligibility, not
 * counting twice; host-country NDC use after an international transfer and the VCMI and GX-ETS criteria came
 * later, and older logs need not meet them. Nor anything {@link RegistryState#apply} checks: data that does not
 * read is left to it.
 */
public final class DoubleClaimAudit {

  private static final Set<RejectCode> DOUBLE_CLAIMS = EnumSet.of(RejectCode.UNITS_NOT_AUTHORISED_FOR_PURPOSE,
      RejectCode.CORRESPONDING_ADJUSTMENT_NOT_APPLIED);

  private DoubleClaimAudit() {}

  /**
   * The double claim the UNITS_RETIRED entry of {@code data} makes on {@code registry} as it stood before the
   * entry, described, or empty when it makes none.
   */
  public static Optional<String> of(RegistryState registry, Map<String, Object> data) {
    Retire claim = claim(data);
    if (claim == null || !(data.get("blocks") instanceof List<?> ranges)) {
      return Optional.empty();
    }
    for (Object item : ranges) {
      if (!(item instanceof Map<?, ?> range) || !(range.get("start") instanceof Long start)) {
        return Optional.empty();
      }
      Block block = registry.blocks.containing(start);
      if (block == null) {
        return Optional.empty();
      }
      Issuance issuance = registry.issuances.get(block.issuanceId());
      for (RejectCode code : RetirementRules.claimCodes(claim, issuance, registry)) {
        if (DOUBLE_CLAIMS.contains(code)) {
          return Optional.of("serials from " + start + " of issuance " + issuance.issuanceId() + " break "
              + code + " for " + claim.purpose() + (claim.ndcCountry() == null ? "" : " of " + claim.ndcCountry()));
        }
      }
    }
    return Optional.empty();
  }

  /** The claim's part of the retirement (purpose, CORSIA phase, NDC country), or null when it checks none. */
  private static Retire claim(Map<String, Object> data) {
    Object purpose = data.get("purpose");
    if ("CORSIA".equals(purpose) && data.get("corsia") instanceof Map<?, ?> corsia) {
      CompliancePeriod period = enumValue(CompliancePeriod.class, corsia.get("compliancePeriod"));
      return period == null || period == CompliancePeriod.PILOT ? null
          : retirement(RetirementPurpose.CORSIA, new CorsiaDetails(null, null, period), null);
    }
    if ("NDC".equals(purpose) && data.get("ndcCountry") instanceof String country) {
      return retirement(RetirementPurpose.NDC, null, country);
    }
    return null;
  }

  private static Retire retirement(RetirementPurpose purpose, CorsiaDetails corsia, String ndcCountry) {
    return new Retire(null, null, purpose, null, null, null, null, corsia, ndcCountry, null);
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, Object value) {
    try {
      return value instanceof String name ? Enum.valueOf(type, name) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
