package org.carbonledger.server;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Main is the command line: {@code java -jar carbon-ledger.jar [COMMAND] [OPTIONS]}. Without a command it
 * serves. Adding a command is one entry in {@link #commands()}.
 */
public final class Main {

  /** Exit code for bad configuration or usage. */
  static final int EXIT_USAGE = 2;

  private Main() {}

  /** The commands, printing their results to {@code out} and their failures to {@code err}. */
  static Map<String, Command> commands(PrintStream out, PrintStream err) {
    Map<String, Command> commands = new LinkedHashMap<>();
    for (Command command : List.<Command>of(new ServeCommand(), new VerifyCommand(out, err),
        new VerifyReceiptCommand(out, err), new DemoCommand(out), new KeysCommand(out, err))) {
      commands.put(command.name(), command);
    }
    return commands;
  }

  public static void main(String[] args) {
    Logging.configure();
    System.exit(run(Arrays.asList(args), System.getenv(), System.out, System.err));
  }

  /** Runs the command line {@code args} and returns the exit code, printing to {@code out} and {@code err}. */
  public static int run(List<String> args, Map<String, String> environment, PrintStream out, PrintStream err) {
    Map<String, Command> commands = commands(out, err);
    boolean named = !args.isEmpty() && !args.get(0).startsWith("-");
    if (!named && (args.contains("--help") || args.contains("-h"))) {
      out.print(usage(commands));
      return 0;
    }
    String name = named ? args.get(0) : "serve";
    Command command = commands.get(name);
    if (command == null) {
      ConsoleText.println(err, "carbon-ledger: unknown command '" + name + "'");
      err.print(usage(commands));
      return EXIT_USAGE;
    }
    List<String> rest = named ? args.subList(1, args.size()) : args;
    Options options = new Options(command.options(), environment);
    if (rest.contains("--help") || rest.contains("-h")) {
      out.println("usage: carbon-ledger " + command.usage());
      out.println(command.summary());
      out.println();
      out.print(options.help());
      return 0;
    }
    try {
      return command.run(options.parse(rest));
    } catch (ConfigException e) {
      ConsoleText.println(err, "carbon-ledger " + name + ": " + e.getMessage());
      return EXIT_USAGE;
    } catch (Exception e) {
      ConsoleText.println(err, "carbon-ledger " + name + ": " + e.getMessage());
      return 1;
    }
  }

  static String usage(Map<String, Command> commands) {
    StringBuilder text = new StringBuilder("usage: carbon-ledger [COMMAND] [OPTIONS]   (no command: serve)\n\ncommands:\n");
    for (Command command : commands.values()) {
      text.append(String.format("  %-12s %s%n", command.name(), command.summary()));
    }
    text.append("\n'carbon-ledger COMMAND --help' lists a command's options.\n");
    return text.toString();
  }
}
