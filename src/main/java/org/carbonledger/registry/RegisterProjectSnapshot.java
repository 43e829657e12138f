package org.carbonledger.registry;

/**
 * RegisterProjectSnapshot is the state the project rules need. It holds:
 * <ul>
 *   <li>{@code existing}: the project with the command's {@code program} and {@code programProjectId} (exact,
 *   case-sensitive match), or null.</li>
 *   <li>{@code nextProjectNumber}: the number of projects plus one.</li>
 * </ul>
 */
public record RegisterProjectSnapshot(Project existing, long nextProjectNumber) {}
