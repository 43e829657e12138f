package org.carbonledger.registry;

/** Transfer moves units from one account to another; only the holder changes. */
public record Transfer(String fromAccountId, String toAccountId, UnitSelection selection, String reference)
    implements Command {

  @Override
  public CommandKind kind() {
    return CommandKind.TRANSFER;
  }
}
