package org.carbonledger.registry;

/** MitigationType says whether a project reduces emissions, removes CO2 from the atmosphere, or both. */
public enum MitigationType {
  REDUCTION,
  REMOVAL,
  MIXED
}
