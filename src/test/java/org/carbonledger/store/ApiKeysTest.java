package org.carbonledger.store;

import static org.carbonledger.store.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.carbonledger.ledger.Hashes;
import org.carbonledger.registry.Ids;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ApiKeysTest checks API keys on a real PostgreSQL: tokens round-trip, every malformed or foreign token is
 * refused, a revocation takes effect at once in every process, nothing hands out a secret (list, toString, logs),
 * the table refuses every change but a revocation, and the first-start admin key is created once into an
 * owner-only file. Method: one migrated database for the class, and a fresh one where a test needs an empty table.
 */
class ApiKeysTest {

  private static final String HOLDER = Ids.format(Ids.Kind.HOLDER, 1);
  private static final String OTHER_HOLDER = Ids.format(Ids.Kind.HOLDER, 2);

  private static Vertx vertx;
  private static PgConnectOptions database;
  private static Pool pool;
  private static ApiKeys keys;
  private static final List<String> logged = new ArrayList<>();
  private static final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      synchronized (logged) {
        logged.add(record.getMessage());
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private static final Logger apiKeysLog = Logger.getLogger(ApiKeys.class.getName());
  private static Level previousLevel;

  @BeforeAll
  static void open() throws SQLException {
    vertx = Vertx.vertx();
    database = TestDatabases.create();
    pool = migrated(database);
    keys = new ApiKeys(vertx, pool);
    execute(database, "INSERT INTO account_holders VALUES ('" + HOLDER + "', 'Fuji Precision', 'JP', 1), ('"
        + OTHER_HOLDER + "', 'Sakura Airways', 'JP', 2)");
    previousLevel = apiKeysLog.getLevel();
    apiKeysLog.setLevel(Level.INFO);
    apiKeysLog.setUseParentHandlers(false); // captured, not printed
    apiKeysLog.addHandler(capture);
  }

  @AfterAll
  static void close() {
    apiKeysLog.removeHandler(capture);
    apiKeysLog.setUseParentHandlers(true);
    apiKeysLog.setLevel(previousLevel);
    pool.close().await();
    vertx.close().await();
  }

  private static Pool migrated(PgConnectOptions options) {
    Pool migrated = Database.pool(vertx, options, 4);
    await(Database.prepare(migrated, options));
    return migrated;
  }

  private static void execute(PgConnectOptions options, String sql) throws SQLException {
    try (Connection connection = TestDatabases.jdbc(options); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static Throwable failureOf(Future<?> future) {
    ExecutionException thrown = assertThrows(ExecutionException.class,
        () -> future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS));
    return thrown.getCause();
  }

  private static String secretOf(String token) {
    return token.substring(ApiKeys.TOKEN_LENGTH - 43);
  }

  @Test
  void createdTokensAuthenticateAsTheirKey() {
    record Case(String role, String holderId) {}
    for (Case c : List.of(new Case("REGISTRY_ADMIN", null), new Case("AUDITOR", null), new Case("ACCOUNT_HOLDER", HOLDER))) {
      ApiKeys.CreatedKey created = await(keys.create(c.role(), c.holderId(), "round trip " + c.role()));
      assertTrue(created.token().matches("clk_K[0-9a-f]{16}_[A-Za-z0-9_-]{43}"), created.token());
      assertEquals(ApiKeys.TOKEN_LENGTH, created.token().length());
      assertEquals(created.key().keyId(), created.token().substring(4, 21));
      ApiKeys.ApiKey key = await(keys.authenticate(created.token())).orElseThrow();
      assertEquals(created.key(), key, c.role());
      assertEquals(c.role(), key.role());
      assertEquals(c.holderId(), key.holderId());
      assertFalse(key.revoked());
    }
  }

  @Test
  void aWrongSecretIsRefused() {
    ApiKeys.CreatedKey first = await(keys.create("AUDITOR", null, "wrong secret 1"));
    ApiKeys.CreatedKey second = await(keys.create("AUDITOR", null, "wrong secret 2"));
    byte[] secret = Base64.getUrlDecoder().decode(secretOf(first.token()));
    secret[0] ^= 1;
    String flipped = first.token().substring(0, 22) + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    assertEquals(Optional.empty(), await(keys.authenticate(flipped)), "one bit of the secret flipped");
    String swapped = first.token().substring(0, 22) + secretOf(second.token());
    assertEquals(Optional.empty(), await(keys.authenticate(swapped)), "another key's secret");
    assertTrue(await(keys.authenticate(first.token())).isPresent(), "the right secret still works");
  }

  @Test
  void malformedAndForeignTokensAreRefused() {
    String token;
    do {
      // A secret that starts with '_' would make "extra underscore, same length" the token itself (1 in 64).
      token = await(keys.create("REGISTRY_ADMIN", null, "malformed table")).token();
    } while (secretOf(token).startsWith("_"));
    String prefix = token.substring(0, 4);
    String keyId = token.substring(4, 21);
    String secret = secretOf(token);
    String lastChar = secret.substring(42);
    // The last of 43 characters carries 4 bits of the secret and 2 spare bits that must be zero.
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    String spareBitSet = String.valueOf(alphabet.charAt(alphabet.indexOf(lastChar) ^ 1));
    assertEquals(Arrays.toString(Base64.getUrlDecoder().decode(secret)),
        Arrays.toString(Base64.getUrlDecoder().decode(secret.substring(0, 42) + spareBitSet)),
        "a lenient decoder reads the same secret from both: only the strict parse tells them apart");
    String foreign;
    PgConnectOptions otherDatabase = TestDatabases.create();
    Pool otherPool = migrated(otherDatabase);
    try {
      foreign = await(new ApiKeys(vertx, otherPool).create("REGISTRY_ADMIN", null, "other registry")).token();
    } finally {
      otherPool.close().await();
    }
    record Case(String name, String token) {}
    for (Case c : List.of(
        new Case("null", null),
        new Case("empty", ""),
        new Case("prefix only", "clk_"),
        new Case("no prefix", token.substring(4)),
        new Case("other prefix", "clx_" + token.substring(4)),
        new Case("upper-case prefix", "CLK_" + token.substring(4)),
        new Case("scheme left in", "Bearer " + token),
        new Case("leading space", " " + token),
        new Case("trailing space", token + " "),
        new Case("trailing newline", token + "\n"),
        new Case("secret one character short", token.substring(0, 64)),
        new Case("secret one character long", token + "A"),
        new Case("secret of 31 bytes", prefix + keyId + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[31])),
        new Case("secret of 33 bytes", prefix + keyId + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[33])),
        new Case("secret padded", token.substring(0, 64) + "="),
        new Case("secret in standard base64", token.substring(0, 22) + "+" + secret.substring(1)),
        new Case("secret with a slash", token.substring(0, 22) + "/" + secret.substring(1)),
        new Case("secret with non-zero spare bits", token.substring(0, 64) + spareBitSet),
        new Case("secret with a non-ASCII letter", token.substring(0, 22) + "é" + secret.substring(1)),
        new Case("secret with a NUL", token.substring(0, 22) + "\0" + secret.substring(1)),
        new Case("key id in upper case", prefix + "K" + keyId.substring(1).toUpperCase() + "_" + secret),
        new Case("key id with another letter", prefix + "A" + keyId.substring(1) + "_" + secret),
        new Case("key id one digit short", prefix + keyId.substring(0, 16) + "_" + secret),
        new Case("key id with full-width digit", prefix + keyId.substring(0, 16) + "\uff10" + "_" + secret),
        new Case("extra underscore after the prefix", "clk__" + token.substring(4)),
        new Case("extra underscore before the secret", prefix + keyId + "__" + secret),
        new Case("extra underscore, same length", prefix + keyId + "__" + secret.substring(1)),
        new Case("underscore inside the key id", prefix + keyId.substring(0, 8) + "_" + keyId.substring(9) + "_" + secret),
        new Case("dash instead of underscore", prefix + keyId + "-" + secret),
        new Case("parts swapped", prefix + secret + "_" + keyId),
        new Case("a well-formed key id no key has", prefix + "K0000000000000000_" + secret),
        new Case("a token of another registry's database", foreign))) {
      assertEquals(Optional.empty(), await(keys.authenticate(c.token())), c.name());
    }
    assertTrue(await(keys.authenticate(token)).isPresent(), "the unaltered token still works");
  }

  @Test
  void aRevokedKeyIsRefusedAtOnceInEveryProcess() {
    ApiKeys.CreatedKey created = await(keys.create("ACCOUNT_HOLDER", HOLDER, "to be revoked"));
    Pool secondProcess = Database.pool(vertx, database, 2);
    try {
      ApiKeys elsewhere = new ApiKeys(vertx, secondProcess);
      assertTrue(await(keys.authenticate(created.token())).isPresent());
      assertTrue(await(elsewhere.authenticate(created.token())).isPresent());
      assertEquals(ApiKeys.Revocation.REVOKED, await(keys.revoke(created.key().keyId())));
      assertEquals(Optional.empty(), await(keys.authenticate(created.token())), "this process");
      assertEquals(Optional.empty(), await(elsewhere.authenticate(created.token())), "another process on the database");
      assertEquals(ApiKeys.Revocation.ALREADY_REVOKED, await(elsewhere.revoke(created.key().keyId())));
    } finally {
      secondProcess.close().await();
    }
    assertEquals(ApiKeys.Revocation.NOT_FOUND, await(keys.revoke("K0000000000000000")));
    assertEquals(ApiKeys.Revocation.NOT_FOUND, await(keys.revoke("not a key id")));
    ApiKeys.ApiKey listed = await(keys.list()).stream()
        .filter(key -> key.keyId().equals(created.key().keyId())).findFirst().orElseThrow();
    assertTrue(listed.revoked());
    assertFalse(listed.revokedAt().isBefore(listed.createdAt()));
  }

  @Test
  void theTableRefusesEveryChangeButARevocation() throws SQLException {
    ApiKeys.CreatedKey created = await(keys.create("AUDITOR", null, "tamper target"));
    String id = "'" + created.key().keyId() + "'";
    for (String sql : List.of(
        "DELETE FROM api_keys WHERE key_id = " + id,
        "UPDATE api_keys SET role = 'REGISTRY_ADMIN' WHERE key_id = " + id,
        "UPDATE api_keys SET name = 'renamed', revoked_at = now() WHERE key_id = " + id,
        "TRUNCATE api_keys",
        "INSERT INTO api_keys (key_id, secret_hash, role, name) VALUES ('K1111111111111111', decode(repeat('00', 32), 'hex'), 'PUBLIC', 'x')",
        "INSERT INTO api_keys (key_id, secret_hash, role, name) VALUES ('K1111111111111111', decode(repeat('00', 32), 'hex'), 'ACCOUNT_HOLDER', 'x')",
        "INSERT INTO api_keys (key_id, secret_hash, role, holder_id, name) VALUES ('K1111111111111111', decode(repeat('00', 32), 'hex'), 'AUDITOR', '" + HOLDER + "', 'x')",
        "INSERT INTO api_keys (key_id, secret_hash, role, name) VALUES ('k1111111111111111', decode(repeat('00', 32), 'hex'), 'AUDITOR', 'x')")) {
      assertThrows(SQLException.class, () -> execute(database, sql), sql);
    }
    assertTrue(await(keys.authenticate(created.token())).isPresent(), "untouched by the refused statements");
    execute(database, "UPDATE api_keys SET revoked_at = now() WHERE key_id = " + id);
    assertThrows(SQLException.class, () -> execute(database, "UPDATE api_keys SET revoked_at = NULL WHERE key_id = " + id),
        "a revoked key cannot be brought back");
    assertEquals(Optional.empty(), await(keys.authenticate(created.token())));
  }

  @Test
  void createRefusesBadRequestsAndWritesNothing() {
    int before = await(keys.list()).size();
    String badCheck = HOLDER.substring(0, 9) + (HOLDER.charAt(9) == 'A' ? 'B' : 'A');
    record Case(String name, String role, String holderId, String keyName, ApiKeys.Problem problem) {}
    for (Case c : List.of(
        new Case("no role", null, null, "n", ApiKeys.Problem.ROLE_UNKNOWN),
        new Case("public is no key's role", "PUBLIC", null, "n", ApiKeys.Problem.ROLE_UNKNOWN),
        new Case("lower-case role", "auditor", null, "n", ApiKeys.Problem.ROLE_UNKNOWN),
        new Case("holder key without holder", "ACCOUNT_HOLDER", null, "n", ApiKeys.Problem.HOLDER_REQUIRED_FOR_ACCOUNT_HOLDER),
        new Case("auditor with holder", "AUDITOR", HOLDER, "n", ApiKeys.Problem.HOLDER_ONLY_FOR_ACCOUNT_HOLDER),
        new Case("admin with holder", "REGISTRY_ADMIN", HOLDER, "n", ApiKeys.Problem.HOLDER_ONLY_FOR_ACCOUNT_HOLDER),
        new Case("holder id with a wrong check character", "ACCOUNT_HOLDER", badCheck, "n", ApiKeys.Problem.HOLDER_ID_MALFORMED),
        new Case("an account id is not a holder id", "ACCOUNT_HOLDER", Ids.format(Ids.Kind.ACCOUNT, 1), "n", ApiKeys.Problem.HOLDER_ID_MALFORMED),
        new Case("holder that does not exist", "ACCOUNT_HOLDER", Ids.format(Ids.Kind.HOLDER, 99), "n", ApiKeys.Problem.HOLDER_NOT_FOUND),
        new Case("no name", "AUDITOR", null, null, ApiKeys.Problem.NAME_MALFORMED),
        new Case("empty name", "AUDITOR", null, "", ApiKeys.Problem.NAME_MALFORMED),
        new Case("padded name", "AUDITOR", null, " desk", ApiKeys.Problem.NAME_MALFORMED),
        new Case("name with a newline", "AUDITOR", null, "desk\nrole=REGISTRY_ADMIN", ApiKeys.Problem.NAME_MALFORMED),
        new Case("name with a right-to-left override", "AUDITOR", null, "desk \u202eNIMDA", ApiKeys.Problem.NAME_MALFORMED),
        new Case("name with a bidi isolate", "AUDITOR", null, "desk \u2067x\u2069", ApiKeys.Problem.NAME_MALFORMED),
        new Case("name of a lone high surrogate", "AUDITOR", null, "\ud800", ApiKeys.Problem.NAME_MALFORMED),
        new Case("name with a lone low surrogate", "AUDITOR", null, "desk \udc00", ApiKeys.Problem.NAME_MALFORMED),
        new Case("name with surrogates in the wrong order", "AUDITOR", null, "desk \udc00\ud800", ApiKeys.Problem.NAME_MALFORMED),
        new Case("name too long", "AUDITOR", null, "x".repeat(ApiKeys.NAME_LENGTH_MAX + 1), ApiKeys.Problem.NAME_MALFORMED))) {
      Throwable failure = failureOf(keys.create(c.role(), c.holderId(), c.keyName()));
      assertEquals(c.problem(), assertInstanceOf(ApiKeys.KeyRequestException.class, failure, c.name()).problem(), c.name());
    }
    assertEquals(before, await(keys.list()).size());
    assertTrue(await(keys.create("AUDITOR", null, "x".repeat(ApiKeys.NAME_LENGTH_MAX))).token().startsWith("clk_"),
        "the longest name is fine");
    assertEquals("desk \ud83c\udf3f", await(keys.create("AUDITOR", null, "desk \ud83c\udf3f")).key().name(),
        "a character beyond the BMP, a surrogate pair, is fine");
  }

  @Test
  void nothingHandsOutASecret() {
    ApiKeys.CreatedKey created = await(keys.create("ACCOUNT_HOLDER", OTHER_HOLDER, "listed"));
    String secret = secretOf(created.token());
    String hashHex = HexFormat.of().formatHex(Hashes.sha256(Base64.getUrlDecoder().decode(secret)));
    assertEquals(List.of("keyId", "role", "holderId", "name", "createdAt", "revokedAt"),
        Arrays.stream(ApiKeys.ApiKey.class.getRecordComponents()).map(RecordComponent::getName).toList(),
        "a listed key has no field that could carry a secret");
    List<ApiKeys.ApiKey> listed = await(keys.list());
    assertTrue(listed.contains(created.key()));
    String everything = listed.toString() + created;
    assertFalse(everything.contains(secret), "the secret");
    assertFalse(everything.contains(hashHex), "the secret's hash");
    assertFalse(created.toString().contains(created.token()));
    await(keys.authenticate(created.token().substring(0, 22) + "A" + secret.substring(1)));
    await(keys.authenticate(created.token() + "x"));
    await(keys.authenticate(created.token()));
    synchronized (logged) {
      assertTrue(logged.stream().anyMatch(line -> line.contains("auth.failed reason=wrong_secret key_id=" + created.key().keyId())), logged.toString());
      assertTrue(logged.stream().anyMatch(line -> line.contains("auth.failed reason=malformed_token")), logged.toString());
      for (String line : logged) {
        assertFalse(line.contains(secret.substring(1, 20)), "a log line holds part of a secret: " + line);
        assertFalse(line.contains("clk_"), "a log line holds a token: " + line);
      }
    }
  }

  @Test
  void theFirstStartWritesOneAdminKeyToAnOwnerOnlyFile(@TempDir Path directory) throws Exception {
    PgConnectOptions fresh = TestDatabases.create();
    Pool freshPool = migrated(fresh);
    try {
      ApiKeys freshKeys = new ApiKeys(vertx, freshPool);
      Path file = directory.resolve("secrets").resolve("admin-api-key");
      assertTrue(await(freshKeys.ensureAdminKey(file)), "no admin key: one is created");
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
      String text = Files.readString(file, StandardCharsets.UTF_8);
      assertTrue(text.endsWith("\n") && text.lines().count() == 1, text);
      String token = text.strip();
      ApiKeys.ApiKey admin = await(freshKeys.authenticate(token)).orElseThrow();
      assertEquals(ApiKeys.REGISTRY_ADMIN, admin.role());
      assertNull(admin.holderId());
      try (var listing = Files.list(file.getParent())) {
        assertEquals(List.of(file), listing.toList(), "no temporary file left behind");
      }

      assertFalse(await(freshKeys.ensureAdminKey(file)), "an admin key exists: nothing is created");
      assertEquals(text, Files.readString(file, StandardCharsets.UTF_8), "and the file is left alone");
      Path elsewhere = directory.resolve("other-server-admin-api-key");
      assertFalse(await(freshKeys.ensureAdminKey(elsewhere)));
      assertFalse(Files.exists(elsewhere), "a second server sharing the database writes no file");
      assertEquals(1, await(freshKeys.list()).size());

      // With every admin key revoked the registry would have no operator: the next start makes a new key.
      await(freshKeys.revoke(admin.keyId()));
      assertTrue(await(freshKeys.ensureAdminKey(file)));
      String replaced = Files.readString(file, StandardCharsets.UTF_8).strip();
      assertNotEquals(token, replaced);
      assertTrue(await(freshKeys.authenticate(replaced)).isPresent());
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    } finally {
      freshPool.close().await();
    }
  }

  @Test
  void serversStartingTogetherCreateOneAdminKey(@TempDir Path directory) {
    PgConnectOptions fresh = TestDatabases.create();
    Pool first = migrated(fresh);
    Pool second = Database.pool(vertx, fresh, 4);
    try {
      List<Future<Boolean>> starts = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        ApiKeys server = new ApiKeys(vertx, i % 2 == 0 ? first : second);
        starts.add(server.ensureAdminKey(directory.resolve("server-" + i + ".key")));
      }
      await(Future.all(starts));
      assertEquals(1, starts.stream().filter(Future::result).count(), "exactly one server created the key");
      assertEquals(1, await(new ApiKeys(vertx, first).list()).size());
    } finally {
      first.close().await();
      second.close().await();
    }
  }
}
