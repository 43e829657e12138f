package org.carbonledger.registry;

/**
 * ApplyCorrespondingAdjustment records that the host country applied the corresponding adjustment for an
 * authorised issuance, citing its report (e.g. its biennial transparency report).
 */
public record ApplyCorrespondingAdjustment(String issuanceId, String hostCountry, String reportReference)
    implements Command {

  @Override
  public CommandKind kind() {
    return CommandKind.APPLY_CORRESPONDING_ADJUSTMENT;
  }
}
