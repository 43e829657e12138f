package org.carbonledger.registry;

/** CommandKind names each command, the entry type it writes, and (through {@link Precedence}) its rules. */
public enum CommandKind {
  OPEN_ACCOUNT("Open account", EntryTypes.ACCOUNT_OPENED),
  CHANGE_ACCOUNT_STATUS("Suspend, reactivate or close account", EntryTypes.ACCOUNT_STATUS_CHANGED),
  REGISTER_PROJECT("Register project", EntryTypes.PROJECT_REGISTERED),
  RECORD_AUTHORISATION("Record authorisation", EntryTypes.AUTHORISATION_RECORDED),
  ISSUE("Issue", EntryTypes.UNITS_ISSUED),
  TRANSFER("Transfer", EntryTypes.UNITS_TRANSFERRED),
  RETIRE("Retire", EntryTypes.UNITS_RETIRED),
  CANCEL("Cancel", EntryTypes.UNITS_CANCELLED),
  APPLY_CORRESPONDING_ADJUSTMENT("Apply corresponding adjustment", EntryTypes.CORRESPONDING_ADJUSTMENT_APPLIED);

  private final String title;
  private final String entryType;

  CommandKind(String title, String entryType) {
    this.title = title;
    this.entryType = entryType;
  }

  /** The command's name for people. */
  public String title() {
    return title;
  }

  /** The type of the entry an accepted command writes. */
  public String entryType() {
    return entryType;
  }
}
