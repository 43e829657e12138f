package org.carbonledger.server;

/** ConfigException is bad configuration: its message is one line that tells the operator what to fix. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
