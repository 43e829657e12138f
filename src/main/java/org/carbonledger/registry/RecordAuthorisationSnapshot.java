package org.carbonledger.registry;

import java.util.Map;

/**
 * RecordAuthorisationSnapshot is the state the authorisation rules need. It holds:
 * <ul>
 *   <li>{@code existing}: the authorisation whose {@code loaReference} equals the command's (exact,
 *   case-sensitive), or null.</li>
 *   <li>{@code nextAuthorisationNumber}: the number of authorisations plus one.</li>
 *   <li>{@code projects}: of the command's {@code projectIds}, those that name a project, by id.</li>
 * </ul>
 */
public record RecordAuthorisationSnapshot(Authorisation existing, long nextAuthorisationNumber, Map<String, Project> projects) {

  public RecordAuthorisationSnapshot {
    projects = Map.copyOf(projects);
  }
}
