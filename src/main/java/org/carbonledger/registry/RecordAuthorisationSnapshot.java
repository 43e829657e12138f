package org.carbonledger.registry;

/**
 * RecordAuthorisationSnapshot is the state the authorisation rules need. It holds:
 * <ul>
 *   <li>{@code existing}: the authorisation whose {@code loaReference} equals the command's (exact,
 *   case-sensitive), or null.</li>
 *   <li>{@code nextAuthorisationNumber}: the number of authorisations plus one.</li>
 * </ul>
 */
public record RecordAuthorisationSnapshot(Authorisation existing, long nextAuthorisationNumber) {}
