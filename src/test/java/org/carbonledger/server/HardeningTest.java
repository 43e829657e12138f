package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.pgclient.PgConnectOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.carbonledger.store.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HardeningTest checks the HTTP layer's protections over real connections: security headers, CORS only for
 * configured origins, a bound on request headers, and HTTPS from PEM files.
 */
class HardeningTest {

  @Test
  void securityHeadersAndCorsForConfiguredOriginsOnly() throws Exception {
    try (TestServer server = TestServer.start("--cors-origins", "https://ui.example.org")) {
      HttpResponse<String> response = server.send(server.request("/graphql?query=%7BserverVersion%7D").GET());
      assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(""));
      assertEquals("DENY", response.headers().firstValue("X-Frame-Options").orElse(""));
      assertTrue(response.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));

      HttpResponse<String> allowed = server.send(server.request("/graphql").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
          .header("Origin", "https://ui.example.org").header("Access-Control-Request-Method", "POST")
          .header("Access-Control-Request-Headers", "content-type, authorization"));
      assertEquals("https://ui.example.org", allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
      HttpResponse<String> foreign = server.send(server.request("/graphql").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
          .header("Origin", "https://evil.example.com").header("Access-Control-Request-Method", "POST"));
      assertFalse(foreign.headers().firstValue("Access-Control-Allow-Origin").isPresent(), "no CORS for other origins");
      assertEquals(403, foreign.statusCode());
      assertTrue(foreign.body().contains("\"FORBIDDEN\""), foreign.body());
    }
  }

  @Test
  void oversizedHeadersAreRefused() throws Exception {
    try (TestServer server = TestServer.start()) {
      HttpResponse<String> response = server.send(server.request("/health/live").header("X-Padding", "x".repeat(20_000)).GET());
      assertEquals(431, response.statusCode());
    }
  }

  @Test
  void servesHttpsFromPemFiles(@TempDir Path directory) throws Exception {
    Path certificate = directory.resolve("cert.pem");
    Path key = directory.resolve("key.pem");
    Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key.toString(), "-out", certificate.toString()).redirectErrorStream(true).start();
    assertTrue(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0, "openssl makes a test certificate");
    try (TestServer server = TestServer.start("--tls-cert-file", certificate.toString(), "--tls-key-file", key.toString())) {
      HttpClient client = HttpClient.newBuilder().sslContext(trustingEverything()).connectTimeout(Duration.ofSeconds(10)).build();
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(server.base.replace("http://", "https://") + "/health/live"))
          .GET().build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode());
      assertTrue(response.headers().firstValue("Strict-Transport-Security").isPresent());
    }
  }

  /**
   * TLS files that cannot be loaded, an --http-host that names no address, or a configured signing key file that is
   * missing are bad configuration found before anything is written: no migration, no signing key, no admin key for
   * a server that could not serve.
   */
  @Test
  void configurationFoundBadAtStartStopsItBeforeItWritesAnything(@TempDir Path directory) throws Exception {
    Path certificate = Files.writeString(directory.resolve("cert.pem"), "not a certificate\n");
    Path key = Files.writeString(directory.resolve("key.pem"), "not a key\n");
    record Case(List<String> args, String message) {}
    for (Case c : List.of(
        new Case(List.of("--tls-cert-file", certificate.toString(), "--tls-key-file", key.toString()),
            "--tls-cert-file " + certificate + " and --tls-key-file " + key + " are not a PEM certificate chain and its private key"),
        new Case(List.of("--http-host", "no-such-host.invalid"), "--http-host no-such-host.invalid is no address"),
        new Case(List.of("--signing-key-file", directory.resolve("missing.key").toString()),
            "signing key file " + directory.resolve("missing.key") + " does not exist"))) {
      Path data = Files.createTempDirectory(directory, "data");
      PgConnectOptions database = TestDatabases.create();
      List<String> args = new java.util.ArrayList<>(List.of("serve", "--pg-url", TestDatabases.url(database),
          "--data-dir", data.toString(), "--http-port", "0"));
      args.addAll(c.args());
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = Main.run(args, Map.of(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
      String message = err.toString(StandardCharsets.UTF_8);
      assertEquals(2, code, message);
      assertEquals(1, message.lines().count(), message);
      assertTrue(message.contains(c.message()), message);
      assertFalse(Files.exists(data.resolve("log-signing.key")), "no signing key was made");
      assertFalse(Files.exists(data.resolve("admin-api-key")), "no admin key was made");
      try (Connection connection = TestDatabases.jdbc(database); Statement statement = connection.createStatement()) {
        ResultSet migrated = statement.executeQuery("SELECT to_regclass('schema_migrations') IS NOT NULL");
        migrated.next();
        assertFalse(migrated.getBoolean(1), "the database was not migrated");
      }
    }
  }

  /** Trusts the test's own self-signed certificate (and anything else: test code only). */
  private static SSLContext trustingEverything() throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, new SecureRandom());
    return context;
  }
}
