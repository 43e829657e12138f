package org.carbonledger.registry;

import java.util.List;

/** EntryTypes names the ledger entry types the registry writes, one per command. */
public final class EntryTypes {

  public static final String ACCOUNT_OPENED = "ACCOUNT_OPENED";
  public static final String ACCOUNT_STATUS_CHANGED = "ACCOUNT_STATUS_CHANGED";
  public static final String PROJECT_REGISTERED = "PROJECT_REGISTERED";
  public static final String AUTHORISATION_RECORDED = "AUTHORISATION_RECORDED";
  public static final String UNITS_ISSUED = "UNITS_ISSUED";
  public static final String UNITS_TRANSFERRED = "UNITS_TRANSFERRED";
  public static final String UNITS_RETIRED = "UNITS_RETIRED";
  public static final String UNITS_CANCELLED = "UNITS_CANCELLED";
  public static final String CORRESPONDING_ADJUSTMENT_APPLIED = "CORRESPONDING_ADJUSTMENT_APPLIED";

  /**
   * The data member, present in every entry written for an authenticated client, that names the API key
   * (its public id, never its secret) whose holder asked for the command.
   */
  public static final String PRINCIPAL = "principal";

  /** Every registry entry type, in the order of REGISTRY.md's table. */
  public static final List<String> ALL = List.of(ACCOUNT_OPENED, ACCOUNT_STATUS_CHANGED, PROJECT_REGISTERED,
      AUTHORISATION_RECORDED, UNITS_ISSUED, UNITS_TRANSFERRED, UNITS_RETIRED, UNITS_CANCELLED,
      CORRESPONDING_ADJUSTMENT_APPLIED);

  private EntryTypes() {}
}
