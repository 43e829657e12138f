package org.carbonledger.api;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * OriginPolicy decides from its Origin and Host headers whether a WebSocket upgrade may proceed. A browser
 * sends Origin on every WebSocket upgrade and no script can change it, while the same-origin policy does
 * not stop a page from opening a socket to any server: checking Origin keeps other sites' pages out
 * (cross-site WebSocket hijacking).
 *
 * <p>Allowed: a request without Origin (not a browser: servers, command-line tools, the graphql-ws Node
 * client); the same origin as the request, {@code http://} or {@code https://} followed by its Host header;
 * and every origin on the allow-list, compared without case; {@code *} on the list allows any origin.
 * Same-origin by Host does not stop DNS rebinding, where the attacker's own name points at this server:
 * what the socket serves is the public log, and credentials will come in connection_init, not in cookies.
 */
final class OriginPolicy {

  private final Set<String> allowed;
  private final boolean any;

  OriginPolicy(List<String> allowedOrigins) {
    this.allowed = allowedOrigins.stream().map(OriginPolicy::normalize).collect(Collectors.toUnmodifiableSet());
    this.any = allowed.contains("*");
  }

  boolean allows(String origin, String host) {
    if (origin == null || any) {
      return true;
    }
    String asked = normalize(origin);
    if (host != null && !host.isBlank()) {
      String self = host.trim().toLowerCase(Locale.ROOT);
      if (asked.equals("http://" + self) || asked.equals("https://" + self)) {
        return true;
      }
    }
    return allowed.contains(asked);
  }

  private static String normalize(String origin) {
    String trimmed = origin.trim().toLowerCase(Locale.ROOT);
    return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
  }
}
