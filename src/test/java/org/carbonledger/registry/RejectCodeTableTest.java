package org.carbonledger.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Goal: reject codes are a stable, documented contract: unique numbers in their family's range, names that read
 * as a sentence about the input, a doc line and a concept each, every code reachable from some precedence list,
 * and docs/REJECT-CODES.md identical to what the code generates. Method: checks over the enum, then a text
 * comparison; on a mismatch the expected page is written to target/REJECT-CODES.md, and with
 * {@code -Dregistry.regenerate=true} straight to docs/REJECT-CODES.md.
 */
class RejectCodeTableTest {

  private static final Path PAGE = Path.of("docs", "REJECT-CODES.md");

  @Test
  void numbersAreUniqueAndInTheirFamily() {
    Set<Integer> numbers = new HashSet<>();
    for (RejectCode code : RejectCode.values()) {
      assertTrue(numbers.add(code.number()), "number reused: " + code);
      assertTrue(code.number() >= 101 && code.number() <= 799, code.toString());
    }
    assertEquals(1, RejectCode.ID_MALFORMED.number() / 100);
    assertEquals(2, RejectCode.ACCOUNT_NOT_FOUND.number() / 100);
    assertEquals(3, RejectCode.PROJECT_NOT_FOUND.number() / 100);
    assertEquals(4, RejectCode.AUTHORISATION_NOT_FOUND.number() / 100);
    assertEquals(5, RejectCode.SERIAL_RANGE_OVERLAPS.number() / 100);
    assertEquals(6, RejectCode.UNITS_NOT_HELD.number() / 100);
    assertEquals(7, RejectCode.CORSIA_INELIGIBLE.number() / 100);
  }

  @Test
  void everyCodeIsNamedDocumentedAndUsed() {
    Set<RejectCode> used = EnumSet.noneOf(RejectCode.class);
    for (CommandKind kind : CommandKind.values()) {
      Precedence.of(kind).forEach(step -> used.add(step.code()));
    }
    Precedence.RESOLVE_SERIAL_NUMBER.forEach(step -> used.add(step.code()));
    Precedence.IDEMPOTENCY_KEY.forEach(step -> used.add(step.code()));
    Precedence.ENTRY.forEach(step -> used.add(step.code()));
    for (RejectCode code : RejectCode.values()) {
      assertTrue(code.name().matches("[A-Z][A-Z0-9]*(_[A-Z0-9]+)+"), "not upper snake case: " + code);
      assertFalse(code.doc().isBlank(), "no doc: " + code);
      assertTrue(code.doc().endsWith("."), "doc is not a sentence: " + code);
      assertFalse(code.concept().isBlank(), "no concept: " + code);
      assertTrue(used.contains(code), "in no precedence list: " + code);
    }
  }

  @Test
  void stepsAreDocumented() {
    for (CommandKind kind : CommandKind.values()) {
      for (Precedence.Step step : Precedence.of(kind)) {
        assertFalse(step.rule().isBlank(), kind + " " + step.code());
      }
    }
  }

  @Test
  void pageMatchesTheCode() throws IOException {
    String expected = RejectCodeTable.markdown();
    if (Boolean.getBoolean("registry.regenerate")) {
      Files.writeString(PAGE, expected, StandardCharsets.UTF_8);
    }
    String actual = Files.exists(PAGE) ? Files.readString(PAGE, StandardCharsets.UTF_8) : "";
    if (!expected.equals(actual)) {
      Path target = Path.of("target", "REJECT-CODES.md");
      Files.createDirectories(target.getParent());
      Files.writeString(target, expected, StandardCharsets.UTF_8);
    }
    assertEquals(expected, actual, "docs/REJECT-CODES.md is stale: copy target/REJECT-CODES.md over it");
  }
}
