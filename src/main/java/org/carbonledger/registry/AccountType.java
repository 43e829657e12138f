package org.carbonledger.registry;

/**
 * AccountType says what an account is for; an ISSUANCE account (one per program) receives that program's
 * issuances.
 */
public enum AccountType {
  HOLDING,
  ISSUANCE,
  RETIREMENT,
  CANCELLATION,
  BUFFER
}
