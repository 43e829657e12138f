package org.carbonledger.registry;

/**
 * Retire uses units for a claim, finally: purpose, beneficiary, and a claim period or a reporting year (or both);
 * {@code corsia} only and always for a CORSIA retirement, {@code ndcCountry} only and always for an NDC one.
 */
public record Retire(String accountId, UnitSelection selection, RetirementPurpose purpose, String beneficiaryName,
    String beneficiaryId, Period claimPeriod, Integer reportingYear, CorsiaDetails corsia, String ndcCountry,
    String note) implements Command {

  @Override
  public CommandKind kind() {
    return CommandKind.RETIRE;
  }
}
