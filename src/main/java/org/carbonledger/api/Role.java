package org.carbonledger.api;

import java.util.Optional;

/**
 * Role is what a caller may do, decided by {@link AccessPolicy}. Every API key has one of the first three;
 * a request without a key is PUBLIC. The names are stored in {@code api_keys.role} and never change meaning.
 */
public enum Role {
  /**
   * The registry's operator: opens accounts, registers projects, records authorisations and corresponding
   * adjustments, issues, suspends, and moves units out of the accounts the registry runs (ISSUANCE, BUFFER).
   */
  REGISTRY_ADMIN,
  /** Acts for one account holder: moves, retires and cancels units of that holder's accounts, reads them. */
  ACCOUNT_HOLDER,
  /** Reads everything, changes nothing: supervisors, verifiers, the registry's own auditors. */
  AUDITOR,
  /** Anyone, without a key: reads what the registry publishes. */
  PUBLIC;

  /** True for the roles a key may carry (all but PUBLIC, which is the absence of a key). */
  public boolean keyed() {
    return this != PUBLIC;
  }

  /** The keyed role named {@code name} (upper case, as stored), or empty. */
  public static Optional<Role> ofKey(String name) {
    for (Role role : values()) {
      if (role.keyed() && role.name().equals(name)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }
}
