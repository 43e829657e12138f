package org.carbonledger.registry;

/**
 * CorrespondingAdjustmentStatus: NOT_REQUIRED without authorisation, else PENDING until the host country applies
 * it, then APPLIED.
 */
public enum CorrespondingAdjustmentStatus {
  NOT_REQUIRED,
  PENDING,
  APPLIED
}
