package org.carbonledger.registry;

/** ProjectCategory is the kind of mitigation activity a project carries out. */
public enum ProjectCategory {
  ENERGY_SAVING,
  RENEWABLE_ELECTRICITY,
  RENEWABLE_HEAT,
  FORESTRY,
  AGRICULTURE,
  WASTE,
  INDUSTRIAL_PROCESS,
  TRANSPORT,
  HOUSEHOLD_DEVICES,
  DACCS,
  BECCS,
  BIOCHAR,
  BLUE_CARBON,
  CCU,
  MINERALISATION,
  OTHER
}
