package org.carbonledger.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Options reads a command's settings from `--name value` / `--name=value` flags, falling back to the
 * environment variable CARBONLEDGER_NAME (upper case, dashes as underscores), then to the default.
 * Each command declares its options once; the same declarations print `--help`.
 *
 * <p>An empty value, as a flag or as a variable, is refused rather than read as "not given": it is how an unset
 * shell variable arrives ({@code --pg-url "$PG_URL"}), and the default it would fall back to can be far from what
 * was meant (for --pg-url, a new embedded database with a new registry, signing key and admin key).
 */
public final class Options {

  /** Option is one setting: its flag name, default (null for none) and one line of help. */
  public record Option(String name, String defaultValue, String help) {
    public String environmentVariable() {
      return "CARBONLEDGER_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }
  }

  private final Map<String, Option> declared = new LinkedHashMap<>();
  private final Map<String, String> flags = new LinkedHashMap<>();
  private final List<String> positional = new ArrayList<>();
  private final Map<String, String> environment;

  public Options(List<Option> options, Map<String, String> environment) {
    options.forEach(option -> declared.put(option.name(), option));
    this.environment = environment;
  }

  /** Parses the arguments after the command name; unknown flags are a ConfigException. */
  public Options parse(List<String> arguments) {
    for (int i = 0; i < arguments.size(); i++) {
      String argument = arguments.get(i);
      if (!argument.startsWith("--")) {
        positional.add(argument);
        continue;
      }
      String name = argument.substring(2);
      String value;
      int equals = name.indexOf('=');
      if (equals >= 0) {
        value = name.substring(equals + 1);
        name = name.substring(0, equals);
      } else if (i + 1 < arguments.size()) {
        value = arguments.get(++i);
      } else {
        throw new ConfigException("option --" + name + " needs a value");
      }
      if (!declared.containsKey(name)) {
        throw new ConfigException("unknown option --" + name + " (see --help)");
      }
      if (value.isEmpty()) {
        throw new ConfigException("--" + name + " is empty: give it a value, or leave the option out");
      }
      flags.put(name, value);
    }
    for (Option option : declared.values()) {
      String variable = option.environmentVariable();
      if (!flags.containsKey(option.name()) && "".equals(environment.get(variable))) {
        throw new ConfigException(variable + " is empty (it sets --" + option.name() + "): give it a value, or unset it");
      }
    }
    return this;
  }

  public List<String> positional() {
    return positional;
  }

  /** Whether a flag or the environment gives the option a value (not only its default). */
  public boolean given(String name) {
    return givenValue(name) != null;
  }

  /** Where a given option's value comes from, for messages: its flag, or its environment variable. */
  public String source(String name) {
    return flags.containsKey(name) ? "--" + name : declared.get(name).environmentVariable();
  }

  /** The value of an option, or null when neither flag, environment nor default gives one. */
  public String get(String name) {
    String value = givenValue(name);
    return value != null ? value : declared.get(name).defaultValue();
  }

  /** The flag's value, else the environment variable's (never empty: {@link #parse} refuses that), else null. */
  private String givenValue(String name) {
    Option option = declared.get(name);
    if (option == null) {
      throw new IllegalArgumentException("undeclared option " + name);
    }
    return flags.containsKey(name) ? flags.get(name) : environment.get(option.environmentVariable());
  }

  public String require(String name) {
    String value = get(name);
    if (value == null) {
      throw new ConfigException("--" + name + " is required (or set " + declared.get(name).environmentVariable() + ")");
    }
    return value;
  }

  public int getInt(String name, int min, int max) {
    String value = require(name);
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed < min || parsed > max) {
        throw new ConfigException("--" + name + " must be between " + min + " and " + max + ", got " + value);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new ConfigException("--" + name + " must be a whole number, got '" + value + "'");
    }
  }

  public boolean getBoolean(String name) {
    String value = require(name).trim().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "true", "yes", "1", "on" -> true;
      case "false", "no", "0", "off" -> false;
      default -> throw new ConfigException("--" + name + " must be true or false, got '" + value + "'");
    };
  }

  /** The help text: one line per option with its environment variable and default. */
  public String help() {
    StringBuilder text = new StringBuilder();
    for (Option option : declared.values()) {
      text.append(String.format("  --%-22s %s%n", option.name() + " VALUE", option.help()));
      text.append(String.format("  %-24s env %s%s%n", "", option.environmentVariable(),
          option.defaultValue() == null ? "" : ", default " + option.defaultValue()));
    }
    return text.toString();
  }
}
