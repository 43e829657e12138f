package org.carbonledger.registry;

/**
 * Account is where units are held. {@code program} is set only for an ISSUANCE account, the one account of its
 * program that receives the program's issuances.
 */
public record Account(String accountId, String holderId, String name, AccountType type, String program,
    AccountStatus status) {

  /** This account with another status. */
  public Account withStatus(AccountStatus newStatus) {
    return new Account(accountId, holderId, name, type, program, newStatus);
  }
}
