package org.carbonledger.registry;

/**
 * AccountStatus: units in a SUSPENDED or CLOSED account are frozen (neither sent, used nor received); CLOSED is
 * final.
 */
public enum AccountStatus {
  ACTIVE,
  SUSPENDED,
  CLOSED
}
