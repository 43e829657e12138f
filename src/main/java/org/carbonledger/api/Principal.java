package org.carbonledger.api;

import org.carbonledger.ledger.Check;
import org.carbonledger.store.ApiKeys;

/**
 * Principal is who makes a request: the API key it authenticated with (its public id, role and, for an
 * ACCOUNT_HOLDER, the holder it acts for), or {@link #PUBLIC} for a request without credentials. It holds no
 * secret, so it may be logged and recorded.
 */
public record Principal(String keyId, Role role, String holderId) {

  /** Anyone without a key. */
  public static final Principal PUBLIC = new Principal(null, Role.PUBLIC, null);

  public Principal {
    Check.argument(role != null, "a principal has a role");
    Check.argument((keyId == null) == (role == Role.PUBLIC), "exactly the keyed roles have a key id: " + role + " " + keyId);
    Check.argument(keyId == null || ApiKeys.isKeyId(keyId), "not a key id: " + keyId);
    Check.argument((holderId != null) == (role == Role.ACCOUNT_HOLDER), "exactly ACCOUNT_HOLDER is bound to a holder");
  }

  /** The principal of an authenticated key; throws IllegalArgumentException for a revoked key (a programmer error). */
  public static Principal of(ApiKeys.ApiKey key) {
    Check.argument(!key.revoked(), "key " + key.keyId() + " is revoked");
    Role role = Role.ofKey(key.role()).orElseThrow(() -> new IllegalArgumentException("unknown role " + key.role()));
    return new Principal(key.keyId(), role, key.holderId());
  }

  /** False for PUBLIC. */
  public boolean authenticated() {
    return role != Role.PUBLIC;
  }

  /**
   * What an entry records as the principal of its command: the key id, never the secret. Only keyed principals
   * write, so asking it of PUBLIC means a write skipped {@link AccessPolicy}: that throws IllegalStateException.
   */
  public String principalId() {
    Check.state(authenticated(), "the public principal never writes, so it has no principal id to record");
    return keyId;
  }

  /** For log lines: the key id, or {@code public}. */
  @Override
  public String toString() {
    return authenticated() ? keyId + "(" + role + (holderId == null ? "" : " " + holderId) + ")" : "public";
  }
}
