package org.carbonledger.registry;

/**
 * FirstTransferState: NOT_APPLICABLE without authorisation, DONE once the Article 6 first transfer happened, else
 * PENDING.
 */
public enum FirstTransferState {
  NOT_APPLICABLE,
  PENDING,
  DONE
}
