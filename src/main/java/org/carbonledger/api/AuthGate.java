package org.carbonledger.api;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.SocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.carbonledger.store.ApiKeys;

/**
 * AuthGate turns a request's {@code Authorization} header and client address into its {@link Principal}, or
 * refuses it: no header is the PUBLIC principal; a header that does not name a live key is UNAUTHENTICATED
 * (a mistyped key must not silently read as public); and every principal, and every address that keeps
 * failing to authenticate, is held to a rate limit (RATE_LIMITED, with the seconds to wait). Before all that, a
 * server that must not answer at all now (a replica behind its primary) refuses every request it admits, with or
 * without a key (UNAVAILABLE): the gate is where GraphQL over HTTP, statements and feeds are admitted.
 */
public final class AuthGate {

  /** Failed authentications one client address may make per minute before it is refused outright. */
  public static final int FAILURES_PER_MINUTE = 10;
  private static final int KEYS_TRACKED_MAX = 100_000;

  /**
   * Limits is the request budget of one key or, without a key, one client address: {@code requestsPerSecond}
   * after a burst of {@code burst}. It is an operator's policy (the server's own capacity is larger), so it is
   * configurable.
   */
  public record Limits(int requestsPerSecond, int burst) {
    public static final Limits DEFAULT = new Limits(50, 200);

    public Limits {
      if (requestsPerSecond < 1 || burst < 1) {
        throw new IllegalArgumentException("rate limits must be positive, got " + requestsPerSecond + "/s burst " + burst);
      }
    }
  }

  /** How long a client is asked to wait while the server is behind (a replica behind its primary). */
  static final long BEHIND_RETRY_AFTER_SECONDS = 5;

  private final ApiKeys keys;
  private final RateLimiter requests;
  private final RateLimiter failures;
  private final TrustedProxies proxies;
  private final Supplier<String> behind;

  /** {@code behind} says why the server must not answer now (a replica behind its primary), or null. */
  public AuthGate(ApiKeys keys, RateLimiter requests, RateLimiter failures, TrustedProxies proxies, Supplier<String> behind) {
    this.keys = keys;
    this.requests = requests;
    this.failures = failures;
    this.proxies = proxies;
    this.behind = behind;
  }

  /**
   * A gate with {@code limits} per key and address, and the fixed failed-authentication lockout, on the system
   * clock; client addresses are found behind {@code proxies}; while {@code behind} gives a reason, every request
   * is refused with UNAVAILABLE.
   */
  public static AuthGate withLimits(ApiKeys keys, Limits limits, TrustedProxies proxies, Supplier<String> behind) {
    return new AuthGate(keys,
        new RateLimiter(limits.burst(), limits.requestsPerSecond(), KEYS_TRACKED_MAX, System::nanoTime),
        new RateLimiter(FAILURES_PER_MINUTE, FAILURES_PER_MINUTE / 60.0, KEYS_TRACKED_MAX, System::nanoTime),
        proxies, behind);
  }

  /** Refused is why a request was turned away: its HTTP status, code and message, and for 429 and 503 the wait. */
  public static final class Refused extends RuntimeException {
    public final int status;
    public final String code;
    public final long retryAfterSeconds;

    Refused(int status, String code, String message, long retryAfterSeconds) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
      this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Sets the refusal's status and the headers it calls for: the auth scheme for 401, the wait for 429 and 503. */
    public void applyTo(HttpServerResponse response) {
      response.setStatusCode(status);
      if (status == 401) {
        response.putHeader("WWW-Authenticate", "Bearer");
      }
      if (retryAfterSeconds > 0) {
        response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
      }
    }
  }

  /** The principal of an HTTP request, from its Authorization header and client address. */
  public Future<Principal> admit(HttpServerRequest request) {
    List<String> authorizations = request.headers().getAll(HttpHeaders.AUTHORIZATION);
    if (authorizations.size() > 1) {
      // A proxy in front of us may act on another of them than we would: no credential is read from such a request.
      return Future.failedFuture(new Refused(401, ErrorCodes.UNAUTHENTICATED,
          "send one Authorization header, not " + authorizations.size(), 0));
    }
    return admit(authorizations.isEmpty() ? null : authorizations.get(0), proxies.clientAddress(request));
  }

  /** The address rate limits and per-client limits count {@code request} against: its client's, behind trusted proxies. */
  public String clientAddress(HttpServerRequest request) {
    return proxies.clientAddress(request);
  }

  /** The same for a request from {@code remote} with {@code headers}, such as a WebSocket upgrade. */
  public String clientAddress(SocketAddress remote, MultiMap headers) {
    return proxies.clientAddress(remote, headers);
  }

  /**
   * Takes one request from the budget of {@code clientAddress} without a key, the budget {@link #admit} charges a
   * request without an Authorization header: for requests that do not come as HTTP requests, each subscribe over
   * WebSocket (which carries no key), so that a client cannot start reads of the log faster over one socket than it
   * may ask for them over HTTP; and for {@code /log}, which is public and read without a key. 0 when it may go
   * ahead, else the seconds to wait. Unlike {@link #admit} it does not refuse while the server is behind:
   * subscriptions are still served then, and wait for new entries, and {@code /log} serves only what is signed.
   */
  public long chargeAnonymous(String clientAddress) {
    return chargeAnonymous(clientAddress, 1);
  }

  /**
   * Like {@link #chargeAnonymous(String)}, for a request that costs {@code cost} of a usual one (more than 0, at
   * most 1): the log's immutable tiles, which a verifier fetches by the thousand.
   */
  public long chargeAnonymous(String clientAddress, double cost) {
    return requests.acquire(addressBucket(clientAddress), cost);
  }

  private static String addressBucket(String clientAddress) {
    return "address:" + clientAddress;
  }

  /** The principal of a request, or a failed future with {@link Refused}. */
  private Future<Principal> admit(String authorization, String clientAddress) {
    String reason = behind.get();
    if (reason != null) {
      // A replica cut off from its primary would answer an old registry and honour keys revoked since.
      return Future.failedFuture(new Refused(503, ErrorCodes.UNAVAILABLE, "this server is behind the registry's primary: "
          + reason + "; retry later, or ask another server", BEHIND_RETRY_AFTER_SECONDS));
    }
    String address = addressBucket(clientAddress);
    if (authorization == null) {
      return limited(Principal.PUBLIC, address);
    }
    long blocked = failures.waitSeconds(address);
    if (blocked > 0) {
      return Future.failedFuture(new Refused(429, ErrorCodes.RATE_LIMITED,
          "too many failed authentications from this address; retry in " + blocked + " s", blocked));
    }
    String token = bearerToken(authorization);
    Future<java.util.Optional<ApiKeys.ApiKey>> key = token == null
        ? Future.succeededFuture(java.util.Optional.empty()) : keys.authenticate(token);
    return key.compose(found -> {
      if (found.isEmpty()) {
        failures.acquire(address);
        return Future.failedFuture(new Refused(401, ErrorCodes.UNAUTHENTICATED,
            "the Authorization header does not carry a valid API key (Authorization: Bearer clk_...)", 0));
      }
      Principal principal = Principal.of(found.get());
      return limited(principal, "key:" + principal.keyId());
    });
  }

  private Future<Principal> limited(Principal principal, String bucket) {
    long wait = requests.acquire(bucket);
    if (wait > 0) {
      return Future.failedFuture(new Refused(429, ErrorCodes.RATE_LIMITED, "rate limit reached; retry in " + wait + " s", wait));
    }
    return Future.succeededFuture(principal);
  }

  /** The token of a {@code Bearer} header (scheme case-insensitive), or null when it is not one. */
  static String bearerToken(String authorization) {
    String[] parts = authorization.trim().split(" +", 2);
    if (parts.length != 2 || !parts[0].toLowerCase(Locale.ROOT).equals("bearer")) {
      return null;
    }
    return parts[1].trim();
  }
}
