package org.carbonledger.registry;

import java.util.List;
import java.util.Map;

/**
 * RetireSnapshot is the state the retirement rules need. It holds:
 * <ul>
 *   <li>{@code account}: the account whose id equals the command's {@code accountId}, or null.</li>
 *   <li>{@code candidates}: the blocks of the selection with their issuances, as {@link BlockView} defines.</li>
 *   <li>{@code projects}: the project of every candidate's issuance, by project id.</li>
 *   <li>{@code authorisations}: the authorisation of every candidate's issuance that has one, by
 *   authorisation id.</li>
 * </ul>
 */
public record RetireSnapshot(Account account, List<BlockView> candidates, Map<String, Project> projects,
    Map<String, Authorisation> authorisations) {

  public RetireSnapshot {
    candidates = List.copyOf(candidates);
    projects = Map.copyOf(projects);
    authorisations = Map.copyOf(authorisations);
  }
}
