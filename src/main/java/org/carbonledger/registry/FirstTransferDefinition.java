package org.carbonledger.registry;

/**
 * FirstTransferDefinition is the event the host country named as the Article 6 "first transfer" of authorised
 * units.
 */
public enum FirstTransferDefinition {
  AUTHORISATION,
  ISSUANCE,
  USE_OR_CANCELLATION
}
