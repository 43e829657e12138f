package org.carbonledger.api;

import io.netty.util.NetUtil;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * TrustedProxies finds a request's client address behind the operator's own proxies and load balancers, for
 * rate limits and the failed-authentication lockout: without it every client behind a load balancer shares the
 * balancer's address, so one bad token every few seconds locks out every key. Only when the connection comes
 * from a trusted proxy is {@code X-Forwarded-For} read, from its right end, where each proxy appends the address
 * it received the request from; the first address from the right that is not a trusted proxy is the client.
 * Entries further left were written by the client itself and are never believed. With no trusted proxies (the
 * default) the header is ignored.
 */
public final class TrustedProxies {

  /** No proxy is trusted: the client is the connection's peer. */
  public static final TrustedProxies NONE = new TrustedProxies(List.of());

  /** Range is an address block: the address bytes and how many leading bits must match. */
  private record Range(byte[] address, int prefixBits) {
    boolean contains(byte[] candidate) {
      if (candidate.length != address.length) {
        return false;
      }
      int whole = prefixBits / 8;
      for (int i = 0; i < whole; i++) {
        if (candidate[i] != address[i]) {
          return false;
        }
      }
      int rest = prefixBits % 8;
      int mask = (0xff << (8 - rest)) & 0xff;
      return rest == 0 || (candidate[whole] & mask) == (address[whole] & mask);
    }
  }

  private final List<Range> ranges;

  private TrustedProxies(List<Range> ranges) {
    this.ranges = List.copyOf(ranges);
  }

  /**
   * Parses a comma-separated list of IP addresses and CIDR blocks, e.g. {@code 10.0.0.0/8, 192.0.2.7, fd00::/8}.
   *
   * @throws IllegalArgumentException naming the first entry that is not an IP literal or a CIDR block
   */
  public static TrustedProxies parse(String list) {
    List<Range> ranges = new ArrayList<>();
    for (String entry : list.split(",")) {
      String text = entry.trim();
      if (text.isEmpty()) {
        continue;
      }
      int slash = text.indexOf('/');
      byte[] address = literal(slash < 0 ? text : text.substring(0, slash));
      if (address == null) {
        throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block");
      }
      int bits = address.length * 8;
      if (slash >= 0) {
        String prefix = text.substring(slash + 1);
        if (!prefix.matches("[0-9]{1,3}") || Integer.parseInt(prefix) > bits) {
          throw new IllegalArgumentException("'" + text + "' has a prefix length that is not 0 to " + bits);
        }
        bits = Integer.parseInt(prefix);
      }
      ranges.add(new Range(address, bits));
    }
    return new TrustedProxies(ranges);
  }

  /** The client's address: the peer's, or, behind trusted proxies, the one they forwarded. */
  public String clientAddress(HttpServerRequest request) {
    return clientAddress(request.remoteAddress(), request.headers());
  }

  /**
   * The client's address of a request from {@code remote} with {@code headers}: the same for a WebSocket upgrade,
   * whose handshake is not an HttpServerRequest, as for any other request.
   */
  public String clientAddress(SocketAddress remote, MultiMap headers) {
    String peer = remote == null ? "unknown" : remote.hostAddress();
    if (ranges.isEmpty() || !trusted(peer)) {
      return peer;
    }
    List<String> forwarded = headers.getAll("X-Forwarded-For");
    String client = peer;
    for (int h = forwarded.size() - 1; h >= 0; h--) {
      String[] hops = forwarded.get(h).split(",");
      for (int i = hops.length - 1; i >= 0; i--) {
        String hop = withoutPort(hops[i].trim());
        if (literal(hop) == null) {
          return client; // not written by a proxy of ours: stop at the last address we can stand behind
        }
        client = hop;
        if (!trusted(hop)) {
          return hop;
        }
      }
    }
    return client;
  }

  private boolean trusted(String address) {
    byte[] bytes = literal(address);
    if (bytes == null) {
      return false;
    }
    for (Range range : ranges) {
      if (range.contains(bytes)) {
        return true;
      }
    }
    return false;
  }

  /** The bytes of an IPv4 or IPv6 literal (never a name: no DNS lookup), or null. */
  private static byte[] literal(String text) {
    return NetUtil.createByteArrayFromIpAddressString(text);
  }

  /**
   * The address of a hop, without the port some proxies add ({@code 1.2.3.4:5678}, {@code [2001:db8::1]:5678}), so
   * that a client's requests share one budget whichever port they came from.
   */
  private static String withoutPort(String hop) {
    if (hop.startsWith("[")) {
      int end = hop.indexOf(']');
      return end < 0 ? hop : hop.substring(1, end);
    }
    int colon = hop.indexOf(':');
    return colon > 0 && colon == hop.lastIndexOf(':') ? hop.substring(0, colon) : hop;
  }
}
