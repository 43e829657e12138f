package org.carbonledger.api;

import org.carbonledger.registry.SerialNumber;
import org.carbonledger.store.RegistryRows.IssuanceRow;
import org.carbonledger.store.RegistryRows.ProjectRow;

/** SerialNumberText writes the human-readable serial number (docs/REGISTRY.md) of serials of an issuance. */
final class SerialNumberText {

  private SerialNumberText() {}

  static String format(ProjectRow project, IssuanceRow issuance, long start, long end) {
    return new SerialNumber(project.program(), issuance.unitType(), project.hostCountry(), project.projectId(),
        issuance.vintage(), issuance.issuanceId(), start, end).format();
  }
}
