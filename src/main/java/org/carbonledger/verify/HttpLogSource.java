package org.carbonledger.verify;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.carbonledger.ledger.BundleId;
import org.carbonledger.ledger.Check;
import org.carbonledger.ledger.Hashes;
import org.carbonledger.ledger.LedgerEntry;
import org.carbonledger.ledger.SignedNote;
import org.carbonledger.ledger.TileId;

/**
 * HttpLogSource reads a log's C2SP tlog-tiles resources over HTTP/1.1 with {@link HttpURLConnection}, whose
 * connections are kept alive and reused across requests. Every request has a deadline for the whole response,
 * headers and body, and every response a size cap derived from the format (a full tile is 8 KiB, a bundle at
 * most 256 entries of 65,535 bytes), so a slow or hostile server can neither hang the verifier nor exhaust its
 * memory. Redirects are followed as a browser would, but only to http or https, and never from https to http.
 * A 429 Too Many Requests is waited out as its Retry-After says and asked again, a bounded number of times.
 *
 * <p>Not java.net.http.HttpClient: a verifier is a short-lived JVM that makes about two requests per 256 entries,
 * and measured on a 2-CPU machine over ~1,000 requests HttpClient cost twice the CPU time (4.5 s against 2.1 s,
 * most of it compiling its much larger code path) and twice the wall time.
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

  /** Redirects followed for one resource, as many as a browser would follow. */
  static final int REDIRECTS_MAX = 5;

  /**
   * Times one resource is asked for again after 429 Too Many Requests: a server rate-limits each client address
   * (Carbon Ledger: 50 requests a second after a burst of 200 by default, a tile a sixteenth of one), and a verifier
   * fetches thousands of tiles on {@link Fetcher#BUNDLES_AHEAD_MAX} threads, so it meets the limit and waits.
   */
  static final int RATE_LIMITED_RETRIES_MAX = 10;

  /** Longest Retry-After a verifier waits; a server that asks for longer is a fetch failure, said so at once. */
  static final long RETRY_AFTER_SECONDS_MAX = 60;

  /** The wait after a 429 without a Retry-After in seconds (none, or an HTTP date). */
  static final long RETRY_AFTER_SECONDS_DEFAULT = 1;

  /** Too Many Requests, which HttpURLConnection has no name for. */
  private static final int TOO_MANY_REQUESTS = 429;

  /** The same words whichever deadline fires first, the socket's for one read or ours for the whole response. */
  private static final String NO_RESPONSE = "no complete response within ";

  /**
   * Runs the requests, so that the caller can give up on one at its deadline: HttpURLConnection has no way to
   * abort a response that keeps trickling in. Daemon threads, so that a verifier can exit without waiting for a
   * request it gave up on; such a request ends at its socket's read timeout at the latest.
   */
  private static final ExecutorService REQUESTS = Executors.newCachedThreadPool(task -> {
    Thread thread = new Thread(task, "verify-http");
    thread.setDaemon(true);
    return thread;
  });

  private final String logUrl;
  private final Duration timeout;

  /**
   * @param logUrl  the log's base URL, the one {@code checkpoint} and {@code tile/...} are relative to, without
   *                a trailing slash (see {@link #logUrl(String)})
   * @param timeout deadline for each whole response
   */
  public HttpLogSource(URI logUrl, Duration timeout) {
    Check.argument(!timeout.isNegative() && !timeout.isZero(), "timeout must be positive");
    Check.argument(timeout.toMillis() <= Integer.MAX_VALUE, "timeout must be at most 2^31-1 ms");
    this.logUrl = logUrl.toString();
    Check.argument(!this.logUrl.endsWith("/"), "log URL must not end with a slash");
    this.timeout = timeout;
  }

  /**
   * The log URL for a server URL such as {@code http://127.0.0.1:8080}: the server serves its log under
   * {@code /log}, and a URL that already ends in {@code /log} (with or without a slash) is taken as is.
   *
   * @throws IllegalArgumentException for anything but an absolute http or https URL without user name or
   *     password, query or fragment; its message says what is wrong to follow the URL's name, e.g. "must not have
   *     a query or fragment: URL", and shows the URL only if it has no {@code @}, so never a password
   */
  public static URI logUrl(String url) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("is not a URL" + shown(url));
    }
    if (uri.getRawUserInfo() != null || uri.getRawAuthority() != null && uri.getRawAuthority().contains("@")) {
      throw new IllegalArgumentException("must not have a user name or password (user@host): the verifier sends"
          + " no credentials");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getRawAuthority() == null || uri.getHost() == null) {
      throw new IllegalArgumentException("is not an http:// or https:// URL with a host" + shown(url));
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("must not have a query or fragment" + shown(url));
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

  /** The URL for a message, after a colon; none when it is blank, or has an @, which may follow a password. */
  private static String shown(String url) {
    return url.isBlank() || url.contains("@") ? "" : ": " + url;
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

  /**
   * The body of the resource at path; after 429 Too Many Requests, waits as long as Retry-After says and asks
   * again, up to {@link #RATE_LIMITED_RETRIES_MAX} times. Each try has the whole deadline.
   */
  private byte[] get(String path, long bytesMax) throws FetchException {
    String url = logUrl + "/" + path;
    for (int retries = 0; ; retries++) {
      try {
        return getOnce(url, bytesMax);
      } catch (RateLimited limited) {
        if (retries == RATE_LIMITED_RETRIES_MAX) {
          throw new FetchException(url, "HTTP 429, still rate limited after " + RATE_LIMITED_RETRIES_MAX + " retries");
        }
        if (limited.retryAfterSeconds > RETRY_AFTER_SECONDS_MAX) {
          throw new FetchException(url, "HTTP 429, asked to retry after " + limited.retryAfterSeconds
              + " s, longer than the " + RETRY_AFTER_SECONDS_MAX + " s a verifier waits");
        }
        try {
          Thread.sleep(TimeUnit.SECONDS.toMillis(limited.retryAfterSeconds));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new FetchException(url, "interrupted");
        }
      }
    }
  }

  /** RateLimited is a 429 answer, thrown on the request thread to {@link #get}: try again after retryAfterSeconds. */
  private static final class RateLimited extends IOException {
    final long retryAfterSeconds;

    RateLimited(long retryAfterSeconds) {
      super("HTTP 429, retry after " + retryAfterSeconds + " s");
      this.retryAfterSeconds = retryAfterSeconds;
    }
  }

  private byte[] getOnce(String url, long bytesMax) throws FetchException, RateLimited {
    Future<byte[]> response = REQUESTS.submit(() -> follow(url, bytesMax));
    try {
      return response.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      response.cancel(true);
      throw new FetchException(url, NO_RESPONSE + timeout.toSeconds() + " s");
    } catch (InterruptedException e) {
      response.cancel(true);
      Thread.currentThread().interrupt();
      throw new FetchException(url, "interrupted");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RateLimited limited) {
        throw limited;
      }
      throw failure(url, e.getCause());
    }
  }

  private FetchException failure(String url, Throwable cause) {
    if (cause instanceof FetchException fetch) {
      return fetch;
    }
    if (cause instanceof SocketTimeoutException) {
      return new FetchException(url, NO_RESPONSE + timeout.toSeconds() + " s", cause);
    }
    if (cause instanceof IOException) {
      return new FetchException(url, reason(cause), cause);
    }
    if (cause instanceof RuntimeException runtime) {
      throw runtime; // a bug here, not a property of the log or the network
    }
    throw new IllegalStateException("fetching " + url + " failed", cause);
  }

  /** Requests url and each redirect target in turn, and returns the body of the last. */
  private byte[] follow(String url, long bytesMax) throws IOException {
    URL target = new URL(url);
    for (int redirects = 0; ; redirects++) {
      HttpURLConnection connection = open(target, url);
      int status = connection.getResponseCode();
      String location = connection.getHeaderField("Location");
      if (!isRedirect(status) || location == null) {
        return body(url, connection, status, bytesMax);
      }
      discard(connection);
      if (redirects == REDIRECTS_MAX) {
        throw new FetchException(url, "HTTP " + status + " after " + REDIRECTS_MAX + " redirects");
      }
      target = redirectTarget(url, status, target, location);
    }
  }

  /**
   * Where a redirect leads: an http or https URL, and https if target is. Any other scheme (file:, ftp:, jar:
   * and the like) would read something other than the log's server, so it is a fetch failure, as is https to http.
   */
  private static URL redirectTarget(String url, int status, URL target, String location) throws FetchException {
    URL next;
    try {
      next = new URL(target, location);
    } catch (MalformedURLException e) {
      throw new FetchException(url, "HTTP " + status + " to a malformed URL or one of an unknown scheme: " + location);
    }
    String scheme = next.getProtocol();
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new FetchException(url, "HTTP " + status + " to a URL that is not http or https: " + location);
    }
    if (target.getProtocol().equals("https") && !scheme.equals("https")) {
      throw new FetchException(url, "HTTP " + status + " to a URL that is not https: " + next);
    }
    return next;
  }

  /**
   * Connects to target, on the way to url; a failure here is the server's address or port, not its answer.
   * Target is an http or https URL, so the cast holds: the log URL is one ({@link #logUrl(String)}), and every
   * redirect followed leads to one ({@link #redirectTarget}).
   */
  private HttpURLConnection open(URL target, String url) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) target.openConnection();
    connection.setConnectTimeout((int) timeout.toMillis());
    connection.setReadTimeout((int) timeout.toMillis());
    connection.setInstanceFollowRedirects(false); // followed here, so that https never leads to http
    connection.setUseCaches(false);
    connection.setRequestProperty("User-Agent", "carbon-ledger-verify");
    try {
      connection.connect();
    } catch (SocketTimeoutException e) {
      throw new FetchException(url, "cannot connect within " + timeout.toSeconds() + " s", e);
    } catch (ConnectException e) {
      throw new FetchException(url, "cannot connect", e);
    } catch (IOException e) {
      throw new FetchException(url, "cannot connect (" + reason(e) + ")", e);
    }
    return connection;
  }

  /** The body of a 200 response, read whole and within the cap; any other status is a failure. */
  private static byte[] body(String url, HttpURLConnection connection, int status, long bytesMax)
      throws IOException {
    if (status == TOO_MANY_REQUESTS) {
      String retryAfter = connection.getHeaderField("Retry-After");
      discard(connection);
      throw new RateLimited(retryAfterSeconds(retryAfter));
    }
    if (status != HttpURLConnection.HTTP_OK) {
      discard(connection);
      throw new FetchException(url, "HTTP " + status);
    }
    long declared = connection.getContentLengthLong();
    if (declared > bytesMax) {
      connection.disconnect();
      throw tooLarge(url, bytesMax, declared);
    }
    try (InputStream in = connection.getInputStream()) {
      if (declared >= 0) {
        byte[] body = new byte[(int) declared];
        int read = in.readNBytes(body, 0, body.length);
        if (read < body.length) {
          throw new FetchException(url, "response cut short after " + read + " of " + declared + " bytes");
        }
        return body;
      }
      // No Content-Length: read one byte past the cap, to tell a body at the cap from a larger one.
      byte[] body = in.readNBytes((int) bytesMax + 1);
      if (body.length > bytesMax) {
        connection.disconnect();
        throw tooLarge(url, bytesMax, body.length);
      }
      return body;
    }
  }

  /**
   * The seconds a Retry-After header asks for (RFC 9110, section 10.2.3): a whole number of seconds (Long.MAX_VALUE
   * for more digits than a long holds), or {@link #RETRY_AFTER_SECONDS_DEFAULT} when there is none or it is an HTTP
   * date, which we do not read. Never 0: a cache or proxy answering "Retry-After: 0" would otherwise spend every
   * retry at once.
   */
  static long retryAfterSeconds(String header) {
    String value = header == null ? "" : header.trim();
    if (!value.matches("[0-9]+")) {
      return RETRY_AFTER_SECONDS_DEFAULT;
    }
    return value.length() > 18 ? Long.MAX_VALUE : Math.max(1, Long.parseLong(value));
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  /** Reads and drops an unwanted response body, so that its connection can be reused. */
  private static void discard(HttpURLConnection connection) {
    try (InputStream in = connection.getErrorStream() != null ? connection.getErrorStream()
        : connection.getInputStream()) {
      in.readNBytes((int) KEY_BYTES_MAX);
    } catch (IOException e) {
      connection.disconnect(); // not reusable; the status already says what went wrong
    }
  }

  private static FetchException tooLarge(String url, long bytesMax, long bytes) {
    return new FetchException(url, "response exceeds the cap of " + bytesMax + " bytes (" + bytes + " or more)");
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
