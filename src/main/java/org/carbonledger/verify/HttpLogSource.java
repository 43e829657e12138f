package org.carbonledger.verify;

import org.carbonledger.ledger.Check;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.carbonledger.ledger.BundleId;
import org.carbonledger.ledger.Hashes;
import org.carbonledger.ledger.LedgerEntry;
import org.carbonledger.ledger.SignedNote;
import org.carbonledger.ledger.TileId;

/**
 * HttpLogSource reads a log's C2SP tlog-tiles resources over HTTP with {@link java.net.http.HttpClient}. Every
 * request has a deadline for the whole response, headers and body, and every response a size cap derived from
 * the format (a full tile is 8 KiB, a bundle at most 256 entries of 65,535 bytes), so a slow or hostile server
 * can neither hang the verifier nor exhaust its memory.
 */
public final class HttpLogSource implements LogSource {

  /** Default deadline for one whole response. */
  public static final Duration TIMEOUT_DEFAULT = Duration.ofSeconds(30);

  /** Largest checkpoint: the signed-note limit. */
  static final long CHECKPOINT_BYTES_MAX = SignedNote.SIZE_MAX_BYTES;

  /** Largest hash tile: 256 hashes. A shorter cap per width would hide a too-long tile behind a fetch error. */
  static final long TILE_BYTES_MAX = (long) TileId.FULL_WIDTH * Hashes.SIZE_BYTES;

  /** Largest entry, with its uint16 length prefix. */
  static final long BUNDLE_ENTRY_BYTES_MAX = 2L + LedgerEntry.SIZE_MAX_BYTES;

  /** Largest verifier key response; a vkey is about 100 characters. */
  static final long KEY_BYTES_MAX = 4 * 1024;

  /** The same words whichever deadline fires first, the client's for the headers or ours for the body. */
  private static final String NO_RESPONSE = "no complete response within ";

  private final String logUrl;
  private final Duration timeout;
  private final HttpClient client;

  /**
   * @param logUrl  the log's base URL, the one {@code checkpoint} and {@code tile/...} are relative to, without
   *                a trailing slash (see {@link #logUrl(String)})
   * @param timeout deadline for each whole response
   */
  public HttpLogSource(URI logUrl, Duration timeout) {
    Check.argument(!timeout.isNegative() && !timeout.isZero(), "timeout must be positive");
    this.logUrl = logUrl.toString();
    Check.argument(!this.logUrl.endsWith("/"), "log URL must not end with a slash");
    this.timeout = timeout;
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  /**
   * The log URL for a server URL such as {@code http://127.0.0.1:8080}: the server serves its log under
   * {@code /log}, and a URL that already ends in {@code /log} (with or without a slash) is taken as is.
   *
   * @throws IllegalArgumentException for anything but an absolute http or https URL without query or fragment
   */
  public static URI logUrl(String url) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: " + url);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getRawAuthority() == null || uri.getHost() == null) {
      throw new IllegalArgumentException("not an http:// or https:// URL with a host: " + url);
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("the URL must not have a query or fragment: " + url);
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (!path.endsWith("/log")) {
      path += "/log";
    }
    return URI.create(scheme + "://" + uri.getRawAuthority() + path);
  }

  /** The log URL resources are fetched from. */
  public String url() {
    return logUrl;
  }

  @Override
  public byte[] checkpoint() throws FetchException {
    return get("checkpoint", CHECKPOINT_BYTES_MAX);
  }

  @Override
  public byte[] tile(TileId id) throws FetchException {
    return get(id.path(), TILE_BYTES_MAX);
  }

  @Override
  public byte[] entryBundle(BundleId id) throws FetchException {
    return get(id.path(), id.width() * BUNDLE_ENTRY_BYTES_MAX);
  }

  @Override
  public byte[] key() throws FetchException {
    return get("key", KEY_BYTES_MAX);
  }

  private byte[] get(String path, long bytesMax) throws FetchException {
    String url = logUrl + "/" + path;
    HttpRequest request = HttpRequest.newBuilder(URI.create(url))
        .timeout(timeout)
        .header("User-Agent", "carbon-ledger-verify")
        .GET()
        .build();
    CompletableFuture<HttpResponse<byte[]>> pending = client.sendAsync(request, info -> info.statusCode() == 200
        ? new CappedBody(url, bytesMax, info.headers().firstValueAsLong("content-length").orElse(-1))
        : HttpResponse.BodySubscribers.replacing(new byte[0]));
    HttpResponse<byte[]> response;
    try {
      // The request timeout covers only the headers; this deadline covers the body too.
      response = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw new FetchException(url, NO_RESPONSE + timeout.toSeconds() + " s");
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      throw new FetchException(url, "interrupted");
    } catch (ExecutionException e) {
      throw failure(url, e.getCause());
    }
    if (response.statusCode() != 200) {
      throw new FetchException(url, "HTTP " + response.statusCode());
    }
    return response.body();
  }

  private FetchException failure(String url, Throwable cause) {
    if (cause instanceof FetchException fetch) {
      return fetch;
    }
    if (cause instanceof HttpConnectTimeoutException) {
      return new FetchException(url, "cannot connect within " + timeout.toSeconds() + " s", cause);
    }
    if (cause instanceof HttpTimeoutException) {
      return new FetchException(url, NO_RESPONSE + timeout.toSeconds() + " s", cause);
    }
    if (cause instanceof ConnectException) {
      String reason = reason(cause);
      return new FetchException(url, reason.equals(cause.getClass().getSimpleName())
          ? "cannot connect" : "cannot connect (" + reason + ")", cause);
    }
    return new FetchException(url, reason(cause), cause);
  }

  /** The most telling message in a cause chain; the JDK often throws with a null message. */
  static String reason(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    return failure.getClass().getSimpleName();
  }
}
