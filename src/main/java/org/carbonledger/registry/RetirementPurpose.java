package org.carbonledger.registry;

/** RetirementPurpose is the claim a retirement is made for. */
public enum RetirementPurpose {
  VOLUNTARY_OFFSET,
  CORSIA,
  GX_ETS,
  NDC,
  VCMI_CLAIM,
  OTHER
}
