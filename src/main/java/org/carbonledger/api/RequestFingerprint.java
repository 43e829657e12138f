package org.carbonledger.api;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.carbonledger.ledger.CanonicalJson;
import org.carbonledger.ledger.Hashes;

/**
 * RequestFingerprint is what "the same request" means for an idempotency key: SHA-256 of the canonical JSON
 * (RFC 8785) of {@code {"mutation": name, "input": input}}, where the input leaves out its idempotencyKey. The
 * coerced GraphQL input is first turned into CanonicalJson's value model, so the fingerprint depends on what
 * was asked, not on how it was spelled: member order, variables or literals, and an explicit null versus an
 * absent field make no difference. Nor does a {@link #FLAGS flag} asked as false: as in the log, only a set flag
 * is part of the request, so a request fingerprinted before the flag existed is still the same request.
 */
final class RequestFingerprint {

  /** The input field that carries the key, and so is not part of the request it names. */
  static final String KEY_FIELD = "idempotencyKey";
  /** Optional top-level input flags added after requests without them were fingerprinted: false means absent. */
  static final Set<String> FLAGS = Set.of("correspondingAdjustmentAttested");

  private RequestFingerprint() {}

  static byte[] of(String mutation, Map<String, Object> input) {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("mutation", mutation);
    Map<String, Object> asked = new LinkedHashMap<>(input);
    asked.remove(KEY_FIELD);
    FLAGS.forEach(flag -> asked.remove(flag, Boolean.FALSE));
    request.put("input", canonical(asked));
    return Hashes.sha256(CanonicalJson.encode(request));
  }

  /** A coerced GraphQL input value in CanonicalJson's value model. */
  static Object canonical(Object value) {
    if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer) {
      return value;
    }
    if (value instanceof Long number) {
      // Long inputs above 2^53 are refused later by the rules; here they only need a stable, exact spelling.
      return number >= -CanonicalJson.SAFE_INTEGER_MAX && number <= CanonicalJson.SAFE_INTEGER_MAX ? number : "long:" + number;
    }
    if (value instanceof LocalDate date) {
      return date.toString();
    }
    if (value instanceof Enum<?> constant) {
      return constant.name();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> members = new LinkedHashMap<>();
      map.forEach((name, member) -> {
        if (member != null) {
          members.put((String) name, canonical(member));
        }
      });
      return members;
    }
    if (value instanceof List<?> list) {
      List<Object> items = new ArrayList<>(list.size());
      list.forEach(item -> items.add(canonical(item)));
      return items;
    }
    throw new IllegalArgumentException("no canonical form for an input value of type " + value.getClass().getName());
  }
}
