package org.carbonledger.api;

/**
 * ApiException is an error a resolver reports to the client: {@code code} is the stable machine-readable
 * value of {@code extensions.code}; the message is for people and may change.
 */
public class ApiException extends RuntimeException {
  private final String code;

  public ApiException(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
