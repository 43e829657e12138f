package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * InternalErrors checks the promise of an INTERNAL error (ResolverErrors, GraphQLHttpHandler, docs/API.md
 * "Errors"): the message is only {@code internal error (incident <id>)}, {@code extensions.incident} is that id,
 * and the response tells the client nothing of our internals.
 */
final class InternalErrors {

  /** The message of every INTERNAL error: ResolverErrors.newIncidentId() is 6 random bytes in lower-case hex. */
  static final Pattern MESSAGE = Pattern.compile("internal error \\(incident ([0-9a-f]{12})\\)");

  /** What no response may carry, whatever failed: an exception's name or a stack trace. */
  private static final List<String> ALWAYS_HIDDEN = List.of("Exception", "exception", "\tat ", "at org.", "at java.", "at io.",
      "Caused by", "org.carbonledger");

  private InternalErrors() {}

  /**
   * Asserts that {@code error} is an opaque INTERNAL error and that {@code body}, the whole response it came in,
   * contains none of {@code internals} (the details the server logged instead); returns the incident id.
   */
  static String assertOpaque(JsonObject error, String body, String... internals) {
    assertEquals("INTERNAL", error.getJsonObject("extensions").getString("code"), body);
    Matcher message = MESSAGE.matcher(error.getString("message"));
    assertTrue(message.matches(), "the message says only where to look in the log: " + body);
    assertEquals(message.group(1), error.getJsonObject("extensions").getString("incident"), "extensions.incident: " + body);
    for (String hidden : ALWAYS_HIDDEN) {
      assertFalse(body.contains(hidden), "the response leaks \"" + hidden + "\": " + body);
    }
    for (String hidden : internals) {
      assertFalse(body.contains(hidden), "the response leaks \"" + hidden + "\": " + body);
    }
    return message.group(1);
  }
}
