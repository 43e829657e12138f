package org.carbonledger.registry;

import java.time.LocalDate;
import java.util.List;

/**
 * Authorisation is a host country's Article 6 letter of authorisation (LoA): units of its vintages, up to
 * {@code authorisedQuantity} in total, may be used for {@code purpose}; the host then owes a corresponding
 * adjustment for them. {@code correspondingAdjustmentAttested}: the letter attests that the host will apply
 * that adjustment, which CORSIA's first phase accepts in place of one already applied. {@code projectIds}: the
 * projects whose units the letter authorises, in id order; empty for a letter of any project of its host country.
 */
public record Authorisation(String authorisationId, String hostCountry, String loaReference, LocalDate loaDate,
    AuthorisationPurpose purpose, FirstTransferDefinition firstTransferDefinition, long authorisedQuantity,
    int vintageFrom, int vintageTo, boolean correspondingAdjustmentAttested, List<String> projectIds) {

  public Authorisation {
    projectIds = List.copyOf(projectIds);
  }

  /** A letter for any project of its host country. */
  public Authorisation(String authorisationId, String hostCountry, String loaReference, LocalDate loaDate,
      AuthorisationPurpose purpose, FirstTransferDefinition firstTransferDefinition, long authorisedQuantity,
      int vintageFrom, int vintageTo, boolean correspondingAdjustmentAttested) {
    this(authorisationId, hostCountry, loaReference, loaDate, purpose, firstTransferDefinition, authorisedQuantity,
        vintageFrom, vintageTo, correspondingAdjustmentAttested, List.of());
  }

  /** True if the letter authorises units of this project (its host country's is checked apart). */
  public boolean coversProject(String projectId) {
    return projectIds.isEmpty() || projectIds.contains(projectId);
  }

  /** True if units of this vintage are authorised. */
  public boolean coversVintage(int vintage) {
    return vintage >= vintageFrom && vintage <= vintageTo;
  }

  /** True if every year of {@code monitoringPeriod} is an authorised vintage: the letter covers all its reductions. */
  public boolean coversReductionsOver(Period monitoringPeriod) {
    return coversVintage(monitoringPeriod.start().getYear()) && coversVintage(monitoringPeriod.end().getYear());
  }
}
