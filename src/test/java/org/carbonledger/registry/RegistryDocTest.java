package org.carbonledger.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** RegistryDocTest keeps the examples of docs/REGISTRY.md true: every id and serial number shown checks. */
class RegistryDocTest {

  @Test
  void everyExampleIdAndSerialNumberIsValid() throws Exception {
    String doc = Files.readString(Path.of("docs/REGISTRY.md"));
    Matcher ids = Pattern.compile("`([HAPLI])([0-9]{8}[0-9A-Z])`").matcher(doc);
    int checked = 0;
    while (ids.find()) {
      Ids.Kind kind = switch (ids.group(1)) {
        case "H" -> Ids.Kind.HOLDER;
        case "A" -> Ids.Kind.ACCOUNT;
        case "P" -> Ids.Kind.PROJECT;
        case "L" -> Ids.Kind.AUTHORISATION;
        default -> Ids.Kind.ISSUANCE;
      };
      String id = ids.group(1) + ids.group(2);
      if (!id.equals("A12345687L")) { // the doc's example of a transposition the check character misses
        assertTrue(Ids.isValid(kind, id), id);
        checked++;
      }
    }
    assertTrue(checked >= 5, "ids checked: " + checked);
    Matcher serial = Pattern.compile("\\n(JCREDIT-[^\\n]+)\\n").matcher(doc);
    assertTrue(serial.find(), "the serial number example");
    SerialNumber parsed = SerialNumbers.parse(serial.group(1)).orElseThrow();
    assertEquals(serial.group(1), parsed.format());
  }
}
