package org.carbonledger.registry;

/** BlockState: ACTIVE units can move; RETIRED and CANCELLED are final. */
public enum BlockState {
  ACTIVE,
  RETIRED,
  CANCELLED
}
