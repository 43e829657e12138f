package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ServerProcessIT runs the packaged jar as a user would: `java -jar carbon-ledger.jar` with no database
 * configured, in an empty directory. It answers GraphQL over HTTP, stops cleanly on SIGTERM, keeps its data
 * across a restart, refuses a second server on the same data, and ends bad configuration with one line.
 */
class ServerProcessIT {


  private final HttpClient http = HttpClient.newHttpClient();

  /** A started server process and the file its output goes to. */
  private record Server(Process process, Path output, int port) {
    String log() throws IOException {
      return Files.readString(output);
    }
  }

  private static Server start(Path directory, String name) throws Exception {
    Path output = directory.resolve(name + ".log");
    Process process = ServerProcesses.launch(directory, output, "--http-port", "0");
    return new Server(process, output, ServerProcesses.awaitStarted(process, output));
  }

  private static int stop(Server server) throws Exception {
    server.process().destroy(); // SIGTERM
    assertTrue(server.process().waitFor(60, TimeUnit.SECONDS), "the server did not stop on SIGTERM");
    return server.process().exitValue();
  }

  private JsonObject query(Server server, String query) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/graphql"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("query", query).encode())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body()).getJsonObject("data");
  }

  @Test
  void runsOnTheEmbeddedDatabaseAndKeepsItsDataAcrossRestarts(@TempDir Path directory) throws Exception {
    String question = "{ log { origin verifierKey size checkpoint { rootHash } } entry(seq: 0) { leafHash time } }";
    Server first = start(directory, "first");
    JsonObject before;
    try {
      assertTrue(first.log().contains("graphiql=http://127.0.0.1:" + first.port() + "/graphiql/"), first.log());
      assertTrue(first.log().contains("database=\"embedded PostgreSQL"), first.log());
      before = query(first, question);
      assertEquals(1, before.getJsonObject("log").getLong("size"));

      Path secondOutput = directory.resolve("second.log");
      Process second = ServerProcesses.launch(directory, secondOutput, "--http-port", "0");
      assertTrue(second.waitFor(60, TimeUnit.SECONDS));
      assertNotEquals(0, second.exitValue());
      String secondLog = Files.readString(secondOutput);
      assertTrue(secondLog.contains("is in use by another carbon-ledger process"), secondLog);
      assertFalse(secondLog.contains("\tat "), secondLog);
    } finally {
      assertEquals(0, stop(first), "SIGTERM ends with exit code 0");
    }
    assertTrue(first.log().contains("server.stopped"), first.log());
    assertTrue(Files.exists(directory.resolve("data/postgres/PG_VERSION")), "the embedded database lives in ./data");

    Server again = start(directory, "again");
    try {
      assertEquals(before, query(again, question), "same log, same key, same entry 0 after a restart");
    } finally {
      assertEquals(0, stop(again));
    }
  }

  @Test
  void badConfigurationEndsWithOneClearLine(@TempDir Path directory) throws Exception {
    record Case(String name, String[] args, String message) {}
    for (Case c : new Case[] {
        new Case("unreachable database", new String[] {"--pg-url", "postgresql://postgres@127.0.0.1:1/none"}, "cannot reach PostgreSQL at 127.0.0.1:1/none"),
        new Case("missing key file", new String[] {"--signing-key-file", "no-such.key"}, "signing key file"),
        new Case("bad port", new String[] {"--http-port", "http"}, "--http-port must be a whole number")}) {
      Path output = directory.resolve(c.name().replace(' ', '-') + ".log");
      Process process = ServerProcesses.launch(directory, output, c.args());
      assertTrue(process.waitFor(120, TimeUnit.SECONDS), c.name());
      String log = Files.readString(output);
      assertNotEquals(0, process.exitValue(), c.name());
      List<String> lines = log.lines().toList();
      assertTrue(lines.get(lines.size() - 1).contains(c.message()), c.name() + ":\n" + log);
      assertFalse(log.contains("\tat "), c.name() + " printed a stack trace:\n" + log);
    }
  }
}
