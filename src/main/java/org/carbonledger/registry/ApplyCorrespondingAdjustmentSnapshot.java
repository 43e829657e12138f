package org.carbonledger.registry;

/**
 * ApplyCorrespondingAdjustmentSnapshot is the state the corresponding-adjustment rules need. It holds:
 * <ul>
 *   <li>{@code issuance}: the issuance whose id equals the command's {@code issuanceId}, or null.</li>
 *   <li>{@code authorisation}: that issuance's authorisation, or null if it has none.</li>
 * </ul>
 */
public record ApplyCorrespondingAdjustmentSnapshot(Issuance issuance, Authorisation authorisation) {}
