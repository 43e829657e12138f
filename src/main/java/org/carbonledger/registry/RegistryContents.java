package org.carbonledger.registry;

import java.util.List;
import java.util.Map;

/**
 * RegistryContents is everything a registry holds, as plain values: two registries with equal contents are the
 * same registry. Tests compare it before and after a rejected command; a store can build it from its tables and
 * compare it with a {@link RegistryState} that replayed the same log.
 */
public record RegistryContents(Map<String, Holder> holders, Map<String, Account> accounts,
    Map<String, Project> projects, Map<String, Authorisation> authorisations, Map<String, Issuance> issuances,
    List<Block> blocks) {

  public RegistryContents {
    holders = Map.copyOf(holders);
    accounts = Map.copyOf(accounts);
    projects = Map.copyOf(projects);
    authorisations = Map.copyOf(authorisations);
    issuances = Map.copyOf(issuances);
    blocks = List.copyOf(blocks);
  }
}
