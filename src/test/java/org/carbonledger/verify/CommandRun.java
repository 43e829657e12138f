package org.carbonledger.verify;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.carbonledger.server.Command;
import org.carbonledger.server.Main;
import org.carbonledger.server.Options;

/**
 * CommandRun runs a command in-process and keeps what it printed: either the command object directly (as an
 * end-to-end test would) or the whole command line through Main, for --help and the exit code of usage errors.
 */
record CommandRun(int exitCode, String out, String err) {

  /** Runs the command as {@code command.run(options)}; a ConfigException propagates. */
  static CommandRun direct(CommandFactory factory, String... arguments) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Command command = factory.create(print(out), print(err));
    int code = command.run(new Options(command.options(), Map.of()).parse(Arrays.asList(arguments)));
    return new CommandRun(code, text(out), text(err));
  }

  /** Runs {@code carbon-ledger ARGUMENTS} through Main, without exiting the JVM. */
  static CommandRun main(String... arguments) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(List.of(arguments), Map.of(), print(out), print(err));
    return new CommandRun(code, text(out), text(err));
  }

  /** CommandFactory makes a command that prints to the given streams. */
  interface CommandFactory {
    Command create(PrintStream out, PrintStream err);
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }

  private static String text(ByteArrayOutputStream bytes) {
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
