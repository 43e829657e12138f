package org.carbonledger.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** CountriesTest pins the list of country codes a replay accepts, and keeps docs/REGISTRY.md's copy equal to it. */
class CountriesTest {

  @ParameterizedTest
  @ValueSource(strings = {"JP", "US", "KE", "SS", "BQ", "CW", "SX", "AX", "ZW", "AD"})
  void assignedCodesAreAccepted(String code) {
    assertTrue(Countries.isAssigned(code), code);
  }

  @ParameterizedTest
  @ValueSource(strings = {"AN", "CS", "YU", "XK", "ZZ", "EU", "UK", "jp", "Jp", "JPN", "J", "", " JP"})
  void withdrawnUserAssignedAndMalformedCodesAreRefused(String code) {
    assertFalse(Countries.isAssigned(code), code);
  }

  @Test
  void nullIsRefused() {
    assertFalse(Countries.isAssigned(null));
  }

  @Test
  void theListHoldsTheAssigned249CodesSortedOnce() {
    List<String> codes = Arrays.asList(Countries.ASSIGNED_CODES.split(" "));
    assertEquals(249, codes.size());
    assertEquals(codes.stream().sorted().distinct().toList(), codes);
    assertTrue(codes.stream().allMatch(code -> code.matches("[A-Z]{2}")), codes.toString());
  }

  @Test
  void registryDocListsExactlyTheseCodes() throws Exception {
    String doc = Files.readString(Path.of("docs/REGISTRY.md"));
    Matcher block = Pattern.compile("none is ever removed:\\n\\n```\\n([A-Z \\n]+)```").matcher(doc);
    assertTrue(block.find(), "the country list of docs/REGISTRY.md");
    assertEquals(Countries.ASSIGNED_CODES, String.join(" ", block.group(1).trim().split("\\s+")));
  }
}
