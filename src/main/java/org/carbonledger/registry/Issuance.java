package org.carbonledger.registry;

import java.util.List;

/**
 * Issuance is the creation of {@code quantity} units, serials {@code serialStart..serialEnd}, for a project's
 * monitoring period, into its program's issuance account. Every block of these serials refers to it for its
 * attributes; only the two Article 6 states change after issuance.
 */
public record Issuance(String issuanceId, String projectId, String accountId, Period monitoringPeriod, int vintage,
    long quantity, long serialStart, long serialEnd, String unitType, List<String> labels, String authorisationId,
    CorrespondingAdjustmentStatus correspondingAdjustment, FirstTransferState firstTransfer) {

  public Issuance {
    labels = List.copyOf(labels);
  }

  /** The serials of the issuance. */
  public SerialRange serials() {
    return new SerialRange(serialStart, serialEnd);
  }

  /** This issuance with another corresponding-adjustment status. */
  public Issuance withCorrespondingAdjustment(CorrespondingAdjustmentStatus status) {
    return new Issuance(issuanceId, projectId, accountId, monitoringPeriod, vintage, quantity, serialStart,
        serialEnd, unitType, labels, authorisationId, status, firstTransfer);
  }

  /** This issuance with another first-transfer state. */
  public Issuance withFirstTransfer(FirstTransferState state) {
    return new Issuance(issuanceId, projectId, accountId, monitoringPeriod, vintage, quantity, serialStart,
        serialEnd, unitType, labels, authorisationId, correspondingAdjustment, state);
  }
}
