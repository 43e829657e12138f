package org.carbonledger.verify;

import java.io.IOException;

/**
 * FetchException is a resource that could not be read whole: a transport error, a timeout, an HTTP status other
 * than 200, or a response over its size cap. Its message is one line: {@code GET <url>: <reason>}.
 */
public final class FetchException extends IOException {

  public FetchException(String url, String reason) {
    super("GET " + url + ": " + reason);
  }

  public FetchException(String url, String reason, Throwable cause) {
    super("GET " + url + ": " + reason, cause);
  }
}
