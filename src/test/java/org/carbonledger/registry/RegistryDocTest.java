package org.carbonledger.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
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

  /** Every data member the commands table names has its JSON type in the table of members. */
  @Test
  void everyDataMemberHasItsType() throws Exception {
    String doc = Files.readString(Path.of("docs/REGISTRY.md"));
    Set<String> written = membersIn(section(doc, "| command | entry `type` | `data` |", "\n\n"), 2);
    Set<String> typed = membersIn(section(doc, "| member | JSON type and value | checked by replay |", "\n\n"), 0);
    assertTrue(written.size() >= 50, "members found in the commands table: " + written);
    written.removeAll(typed);
    assertEquals(Set.of(), written, "data members without a row in \"Members of entry data\"");
  }

  private static String section(String doc, String start, String end) {
    int from = doc.indexOf(start);
    assertTrue(from >= 0, start);
    return doc.substring(from, doc.indexOf(end, from));
  }

  /** The backquoted lower-camel names in the given column of each table row after the header. */
  private static Set<String> membersIn(String table, int column) {
    Set<String> names = new TreeSet<>();
    for (String row : table.lines().skip(2).toList()) {
      Matcher name = Pattern.compile("`([a-z][A-Za-z]*)`").matcher(row.split("\\|")[column + 1]);
      while (name.find()) {
        if (!Set.of("true", "false", "null").contains(name.group(1))) {
          names.add(name.group(1));
        }
      }
    }
    return names;
  }
}
