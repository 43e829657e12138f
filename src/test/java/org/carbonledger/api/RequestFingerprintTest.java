package org.carbonledger.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What counts as the same request for an idempotency key. */
class RequestFingerprintTest {

  private static final Map<String, Object> LETTER = Map.of("hostCountry", "JP", "loaReference", "LOA-1",
      "authorisedQuantity", 100L, "idempotencyKey", "k1");

  private static Map<String, Object> with(String name, Object value) {
    Map<String, Object> input = new HashMap<>(LETTER);
    input.put(name, value);
    return input;
  }

  @Test
  void theKeyAnExplicitNullAndAFlagAskedAsFalseAreNotPartOfTheRequest() {
    byte[] plain = RequestFingerprint.of("recordAuthorisation", LETTER);
    // A request sent before the flag existed, retried after: graphql-java now fills in the flag's default, false.
    assertArrayEquals(plain, RequestFingerprint.of("recordAuthorisation", with("correspondingAdjustmentAttested", false)));
    assertArrayEquals(plain, RequestFingerprint.of("recordAuthorisation", with("correspondingAdjustmentAttested", null)));
    assertArrayEquals(plain, RequestFingerprint.of("recordAuthorisation", with("idempotencyKey", "another")));
  }

  @Test
  void whatWasAskedIs() {
    byte[] plain = RequestFingerprint.of("recordAuthorisation", LETTER);
    assertFalse(Arrays.equals(plain, RequestFingerprint.of("recordAuthorisation", with("correspondingAdjustmentAttested", true))));
    assertFalse(Arrays.equals(plain, RequestFingerprint.of("recordAuthorisation", with("authorisedQuantity", 101L))));
    assertFalse(Arrays.equals(plain, RequestFingerprint.of("issueUnits", LETTER)));
    // A boolean that is not such a flag keeps false apart from absent.
    assertFalse(Arrays.equals(plain, RequestFingerprint.of("recordAuthorisation", with("cancelled", false))));
  }
}
