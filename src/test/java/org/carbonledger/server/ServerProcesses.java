package org.carbonledger.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** ServerProcesses starts the built server jar as a separate process, for the tests that kill or restart it. */
final class ServerProcesses {

  static final Path JAR = Path.of(System.getProperty("carbonledger.jar", "target/carbon-ledger.jar")).toAbsolutePath();
  static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Pattern STARTED = Pattern.compile("server\\.started graphql=https?://[^ ]+?:([0-9]+)/graphql");

  private ServerProcesses() {}

  /** Runs {@code java -jar <jar> args...} in {@code directory}, its output (stdout and stderr) going to {@code output}. */
  static Process launch(Path directory, Path output, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).directory(directory.toFile())
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
  }

  /**
   * Waits until the process logs {@code server.started} and returns the HTTP port it names; fails with its output
   * if it exits or takes too long. Launch with {@code --http-port 0}: a port picked here and handed over could be
   * taken by another process in between.
   */
  static int awaitStarted(Process process, Path output) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      String log = Files.exists(output) ? Files.readString(output) : "";
      Matcher started = STARTED.matcher(log);
      if (started.find()) {
        return Integer.parseInt(started.group(1));
      }
      if (!process.isAlive()) {
        throw new AssertionError("the server exited with " + process.exitValue() + ":\n" + log);
      }
      Thread.sleep(100);
    }
    process.destroyForcibly();
    throw new AssertionError("the server did not start in time:\n" + Files.readString(output));
  }
}
