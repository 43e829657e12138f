package org.carbonledger.registry;

/** ChangeAccountStatus suspends, reactivates or closes an account, giving a reason for the record. */
public record ChangeAccountStatus(String accountId, AccountStatus newStatus, String reason) implements Command {

  @Override
  public CommandKind kind() {
    return CommandKind.CHANGE_ACCOUNT_STATUS;
  }
}
