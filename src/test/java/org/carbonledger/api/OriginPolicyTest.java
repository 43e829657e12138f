package org.carbonledger.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** OriginPolicyTest: one row per kind of Origin a WebSocket upgrade can carry, with and without an allow-list. */
class OriginPolicyTest {

  @Test
  void originsAreAllowedOnlyWhenSameOriginOrListed() {
    record Case(String name, List<String> allowed, String origin, String host, boolean allows) {}
    List<String> listed = List.of("https://registry.example.org", "http://localhost:3000/");
    for (Case c : new Case[] {
        new Case("no Origin: not a browser", List.of(), null, "127.0.0.1:8080", true),
        new Case("same origin over http", List.of(), "http://127.0.0.1:8080", "127.0.0.1:8080", true),
        new Case("same origin over https, other case", List.of(), "HTTPS://Registry.Example.org", "registry.example.org", true),
        new Case("same host, other port", List.of(), "http://127.0.0.1:9999", "127.0.0.1:8080", false),
        new Case("another site", List.of(), "https://evil.example", "127.0.0.1:8080", false),
        new Case("an opaque origin", List.of(), "null", "127.0.0.1:8080", false),
        new Case("no Host header", List.of(), "http://127.0.0.1:8080", null, false),
        new Case("listed", listed, "https://registry.example.org", "10.0.0.1:8080", true),
        new Case("listed with a trailing slash", listed, "http://localhost:3000", "10.0.0.1:8080", true),
        new Case("listed scheme only over https", listed, "http://registry.example.org", "10.0.0.1:8080", false),
        new Case("any origin", List.of("*"), "https://anyone.example", "127.0.0.1:8080", true)}) {
      assertEquals(c.allows(), new OriginPolicy(c.allowed()).allows(c.origin(), c.host()), c.name());
    }
  }
}
