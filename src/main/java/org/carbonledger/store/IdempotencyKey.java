package org.carbonledger.store;

import org.carbonledger.ledger.Check;
import org.carbonledger.ledger.Hashes;
import org.carbonledger.registry.Limits;

/**
 * IdempotencyKey is a client's name for one request, scoped to the principal that sent it, with the
 * fingerprint of what was asked. The writer stores it in the same transaction as the request's entries; a
 * later request with the same scope and key gets the original entries back if the fingerprint matches, and
 * IDEMPOTENCY_CONFLICT if it does not.
 */
public record IdempotencyKey(String principalId, String key, byte[] requestHash) {

  /** Scope is what a key is unique within: one principal's keys. */
  public record Scope(String principalId, String key) {}

  public IdempotencyKey {
    Check.argument(principalId != null, "an idempotency key belongs to a principal");
    Check.argument(problem(key) == null, "bad idempotency key: " + problem(key));
    Check.argument(requestHash != null && requestHash.length == Hashes.SIZE_BYTES, "the request hash is a SHA-256");
    requestHash = requestHash.clone();
  }

  /** Why {@code key} is not a valid key (1..Limits.IDEMPOTENCY_KEY_LENGTH_MAX printable ASCII characters), or null if it is. */
  public static String problem(String key) {
    if (key == null || key.isEmpty()) {
      return "idempotencyKey must not be empty";
    }
    if (key.length() > Limits.IDEMPOTENCY_KEY_LENGTH_MAX) {
      return "idempotencyKey is longer than " + Limits.IDEMPOTENCY_KEY_LENGTH_MAX + " characters";
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return "idempotencyKey must be printable ASCII (U+0020..U+007E)";
      }
    }
    return null;
  }

  public Scope scope() {
    return new Scope(principalId, key);
  }

  @Override
  public byte[] requestHash() {
    return requestHash.clone();
  }
}
