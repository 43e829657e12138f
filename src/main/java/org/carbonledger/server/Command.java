package org.carbonledger.server;

import java.util.List;

/** Command is one subcommand of the carbon-ledger command line. */
public interface Command {

  /** The word that selects it, e.g. {@code serve}. */
  String name();

  /** The usage line after the program name, e.g. {@code verify --url URL --key VKEY}. */
  String usage();

  /** One line saying what it does. */
  String summary();

  List<Options.Option> options();

  /** Runs the command; returns the process exit code. ConfigException is reported as one line, exit 2. */
  int run(Options options) throws Exception;
}
