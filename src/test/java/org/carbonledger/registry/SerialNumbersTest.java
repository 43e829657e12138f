package org.carbonledger.registry;

import static org.carbonledger.registry.Fixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Goal: human-readable serial numbers round-trip, carry a check character over their parts, refuse every
 * malformed spelling, and resolve to the block that holds them by the rules of Precedence.RESOLVE_SERIAL_NUMBER.
 * Method: golden text for the fixture's I1, then tables of corruptions and resolutions.
 */
class SerialNumbersTest {

  private static final String GOLDEN = "JCREDIT-JCU-JP-P00000001Z-2021-I00000001W-1-600-"
      + CheckCharacter.compute("JCREDITJCUJPP00000001Z2021I00000001W1600");

  private final RegistryState state = Fixture.standard();

  @Test
  void formatAndParseRoundTrip() {
    Issuance issuance = state.issuance(I1).orElseThrow();
    Project project = state.project(P1).orElseThrow();
    String text = SerialNumbers.format(issuance, project, 1, 600);
    assertEquals(GOLDEN, text);
    SerialNumber parsed = SerialNumbers.parse(text).orElseThrow();
    assertEquals(new SerialNumber("JCREDIT", "JCU", "JP", P1, 2021, I1, 1, 600), parsed);
    assertEquals(text, parsed.format());
    assertTrue(parsed.names(issuance, project));
  }

  /** REGISTRY.md's example has wrong check characters (P00000003X should be P00000003V); parsing refuses it. */
  @Test
  void theDocumentExampleFailsItsChecks() {
    assertEquals(Optional.empty(), SerialNumbers.parse("JCREDIT-JCU-JP-P00000003X-2023-I00000007K-1000001-1000500-Q"));
    String fixed = "JCREDIT-JCU-JP-P00000003V-2023-I00000007K-1000001-1000500-6";
    assertEquals(fixed, SerialNumbers.parse(fixed).orElseThrow().format());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "JCREDIT-JCU-JP-P00000001Z-2021-I00000001W-1-600",
      "JCREDIT-JCU-JP-P00000001Z-2021-I00000001W-1-600-",
      "JCREDIT-JCU-JP-P00000001Z-2021-I00000001W-1-600-XX",
      "jcredit-JCU-JP-P00000001Z-2021-I00000001W-1-600-0",
      "JCREDIT-JCU-JP-P00000001Y-2021-I00000001W-1-600-0",
      "JCREDIT-JCU-JP-P00000001Z-21-I00000001W-1-600-0",
      "JCREDIT-JCU-JP-P00000001Z-2021-I00000001W-01-600-0",
      "JCREDIT-JCU-JP-P00000001Z-2021-I00000001W-600-1-0",
      "JCREDIT-JCU-JP-P00000001Z-2021-I00000001W-0-600-0",
      "JCREDIT-JCU-JP-P00000001Z-2021-I00000001W-1-9007199254740992-0",
      "JCREDIT--JCU-JP-P00000001Z-2021-I00000001W-1-600-0"})
  void malformedSpellingsDoNotParse(String text) {
    assertEquals(Optional.empty(), SerialNumbers.parse(text), text);
  }

  @Test
  void everySingleCharacterErrorIsRefused() {
    for (int i = 0; i < GOLDEN.length(); i++) {
      for (char c : (CheckCharacter.ALPHABET + "-").toCharArray()) {
        if (c != GOLDEN.charAt(i)) {
          String mistyped = GOLDEN.substring(0, i) + c + GOLDEN.substring(i + 1);
          assertFalse(SerialNumbers.parse(mistyped).isPresent(), mistyped);
        }
      }
    }
  }

  record Resolve(String name, String text, RejectCode expected) {}

  @Test
  void resolveByPrecedence() {
    accept(state, transfer(A3, A4, 101, 200));
    Issuance issuance = state.issuance(I1).orElseThrow();
    Project project = state.project(P1).orElseThrow();
    SerialNumber other = new SerialNumber("JCREDIT", "JCU", "JP", P1, 2022, I1, 1, 100);
    List<Resolve> rows = List.of(
        new Resolve("garbage", "A00000001L", RejectCode.SERIAL_NUMBER_MALFORMED),
        new Resolve("leading zero", "0100", RejectCode.SERIAL_NUMBER_MALFORMED),
        new Resolve("bare serial never issued", "5000", RejectCode.SERIAL_NOT_ISSUED),
        new Resolve("range across the split at 100", SerialNumbers.format(issuance, project, 50, 150),
            RejectCode.SERIAL_RANGE_SPANS_BLOCKS),
        new Resolve("parts name another vintage", other.format(), RejectCode.SERIAL_NUMBER_DOES_NOT_MATCH),
        new Resolve("bare serial", "150", null),
        new Resolve("sub-range of one block", SerialNumbers.format(issuance, project, 120, 130), null));
    List<RejectCode> order = Precedence.RESOLVE_SERIAL_NUMBER.stream().map(Precedence.Step::code).toList();
    for (Resolve row : rows) {
      SerialResolution resolution = state.resolve(row.text());
      if (row.expected() == null) {
        assertTrue(resolution.isResolved(), row.name());
        assertEquals(new Block(101, 200, I1, A4, BlockState.ACTIVE), resolution.block(), row.name());
      } else {
        assertEquals(row.expected(), resolution.rejection().code(), row.name());
        assertTrue(order.contains(row.expected()));
      }
    }
  }
}
