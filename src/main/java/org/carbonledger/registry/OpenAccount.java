package org.carbonledger.registry;

/**
 * OpenAccount opens an account for an existing holder ({@code holderId}) or, with {@code holderId} null, for a
 * new holder named by {@code holderName} and {@code holderCountry}. {@code program} is for ISSUANCE accounts only.
 */
public record OpenAccount(String holderId, String holderName, String holderCountry, String accountName,
    AccountType type, String program) implements Command {

  @Override
  public CommandKind kind() {
    return CommandKind.OPEN_ACCOUNT;
  }
}
