package org.carbonledger.store;

/**
 * CommandRejectedException: a rule forbids the command. {@code code} is the stable reject code the API
 * returns; nothing was written.
 */
public final class CommandRejectedException extends RuntimeException {
  private final String code;

  public CommandRejectedException(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
