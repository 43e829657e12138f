package org.carbonledger.registry;

import java.util.List;

/**
 * UnitSelection names the units a transfer, retirement or cancellation moves: explicit serial ranges, or a
 * quantity the registry picks from the account's ACTIVE blocks matching the optional filters, oldest vintage
 * first, then lowest serial, splitting the last block it takes (a claim skips the blocks its rules refuse when
 * the others are enough: {@link BlockView}).
 */
public sealed interface UnitSelection permits UnitSelection.Ranges, UnitSelection.ByQuantity {

  /** Ranges names serial ranges explicitly, in any order; they must not overlap. */
  record Ranges(List<SerialRange> ranges) implements UnitSelection {}

  /** ByQuantity asks for {@code quantity} units; a null filter matches everything. */
  record ByQuantity(long quantity, String issuanceId, String projectId, Integer vintage) implements UnitSelection {

    /** True if units of this issuance match every filter that is set. */
    public boolean matches(Issuance issuance) {
      return (issuanceId == null || issuanceId.equals(issuance.issuanceId()))
          && (projectId == null || projectId.equals(issuance.projectId()))
          && (vintage == null || vintage == issuance.vintage());
    }
  }
}
