package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ConsoleTextTest checks that a failure line is one line of visible text: each control character and each
 * character that reorders or breaks a line is escaped, other text, whatever its script, is kept; and that Main's
 * usage and failure lines go through it.
 */
class ConsoleTextTest {

  @ParameterizedTest(name = "U+{0}")
  @ValueSource(strings = {"0000", "0009", "000a", "000d", "001b", "001f", "007f", "0080", "0085", "009b", "009f",
      "061c", "200e", "200f", "2028", "2029", "202a", "202b", "202c", "202d", "202e", "2066", "2067", "2068", "2069"})
  void escapes(String hex) {
    String c = String.valueOf((char) Integer.parseInt(hex, 16));
    assertEquals("a\\u" + hex + "b", ConsoleText.visible("a" + c + "b"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"verified registry.example.org/log: size 3", "Société Générale", "東京 森林",
      "شركة الغابات", "\\u001b is written as six characters", "\ud83c\udf33 tree", "tab\\tand slash\\"})
  void keepsVisibleText(String text) {
    assertEquals(text, ConsoleText.visible(text));
  }

  @Test
  void aLineOfEveryKindIsOneLine() {
    assertEquals("\\u000d\\u001b[2Kverified\\u000a\\u0085x\\u202e\n", printed("\r\u001b[2Kverified\n\u0085x\u202e"));
  }

  @Test
  void mainEscapesUsageErrorsAndUnknownCommands() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    int unknown = Main.run(List.of("verify\r\u001b[2K"), Map.of(), out, errStream);
    String unknownLine = err.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
    err.reset();
    int usage = Main.run(List.of("verify", "--key", "k", "--url", "http://127.0.0.1:1/\u001b[31m"), Map.of(), out,
        errStream);

    assertEquals(Main.EXIT_USAGE, unknown);
    assertEquals("carbon-ledger: unknown command 'verify\\u000d\\u001b[2K'", unknownLine);
    assertEquals(Main.EXIT_USAGE, usage);
    assertEquals("carbon-ledger verify: --url is not a URL: http://127.0.0.1:1/\\u001b[31m\n",
        err.toString(StandardCharsets.UTF_8));
  }

  private static String printed(String line) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ConsoleText.println(new PrintStream(bytes, true, StandardCharsets.UTF_8), line);
    return bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
  }
}
