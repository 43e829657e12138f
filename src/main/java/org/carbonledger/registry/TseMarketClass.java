package org.carbonledger.registry;

/** TseMarketClass is the Tokyo Stock Exchange carbon-credit market class of a J-Credit project. */
public enum TseMarketClass {
  ENERGY_SAVING,
  RENEWABLE_ELECTRICITY,
  RENEWABLE_HEAT,
  RENEWABLE_ELECTRICITY_AND_HEAT,
  FOREST,
  OTHER
}
