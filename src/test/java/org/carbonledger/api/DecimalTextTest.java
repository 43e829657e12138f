package org.carbonledger.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DecimalTextTest {

  @ParameterizedTest
  @CsvSource({"0, 0", "-1, -1", "42, 42", "007, 7", "9223372036854775807, 9223372036854775807",
      "-9223372036854775808, -9223372036854775808"})
  void readsAsciiDecimals(String text, long expected) {
    assertEquals(expected, DecimalText.parseLong(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-", "+1", "\u0663", "1\u0663", "\uff11", " 1", "1 ", "1.0", "1e3", "0x10", "--1",
      "9223372036854775808", "12345678901234567890"})
  void refusesEverythingElse(String text) {
    assertThrows(NumberFormatException.class, () -> DecimalText.parseLong(text));
  }

  @Test
  void refusesNull() {
    assertThrows(NumberFormatException.class, () -> DecimalText.parseLong(null));
  }
}
