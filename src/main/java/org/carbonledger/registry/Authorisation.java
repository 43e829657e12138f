package org.carbonledger.registry;

import java.time.LocalDate;

/**
 * Authorisation is a host country's Article 6 letter of authorisation (LoA): units of its vintages, up to
 * {@code authorisedQuantity} in total, may be used for {@code purpose}; the host then owes a corresponding
 * adjustment for them. {@code correspondingAdjustmentAttested}: the letter attests that the host will apply
 * that adjustment, which CORSIA's first phase accepts in place of one already applied.
 */
public record Authorisation(String authorisationId, String hostCountry, String loaReference, LocalDate loaDate,
    AuthorisationPurpose purpose, FirstTransferDefinition firstTransferDefinition, long authorisedQuantity,
    int vintageFrom, int vintageTo, boolean correspondingAdjustmentAttested) {

  /** True if units of this vintage are authorised. */
  public boolean coversVintage(int vintage) {
    return vintage >= vintageFrom && vintage <= vintageTo;
  }

  /** True if every year of {@code monitoringPeriod} is an authorised vintage: the letter covers all its reductions. */
  public boolean coversReductionsOver(Period monitoringPeriod) {
    return coversVintage(monitoringPeriod.start().getYear()) && coversVintage(monitoringPeriod.end().getYear());
  }
}
