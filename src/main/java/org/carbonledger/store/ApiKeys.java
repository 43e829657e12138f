package org.carbonledger.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.carbonledger.ledger.Hashes;
import org.carbonledger.registry.BidiControls;
import org.carbonledger.registry.Ids;

/**
 * ApiKeys creates, lists, revokes and checks the API's bearer tokens, kept in {@code api_keys} (see
 * {@code migrations/V003__api_keys.sql}).
 *
 * <p>A token is {@code clk_<keyId>_<secret>}: {@code keyId} is {@code K} and 16 lower-case hex digits (64 random
 * bits, public: entries record it), {@code secret} is 32 random bytes in base64url without padding (43
 * characters, which may themselves contain {@code _} and {@code -}), so a token is always 65 characters. The
 * parts sit at fixed offsets, so parsing never splits on {@code _}. Only SHA-256 of the secret bytes is stored;
 * the token exists in memory once, when it is created, and is shown to its owner then or never.
 *
 * <p>{@link #authenticate} reads the key's row (one primary-key lookup; the key id is in the token so that there
 * is no scan and no comparison against other keys' hashes), unless {@link KnownKeys} remembers the key: then
 * it checks the secret against the remembered hash. A revocation takes effect in the revoking process when
 * {@link #revoke} returns, and in every other process when PostgreSQL's announcement of the commit reaches it
 * (see {@link KnownKeys} for when keys are not remembered at all).
 *
 * <p>Roles are strings here ({@link #ROLES}) because {@code store} must not depend on {@code api}, where the
 * {@code Role} enum lives; the table's CHECK constraint holds the same list, and a test keeps the three equal.
 */
public final class ApiKeys {

  private static final Logger LOG = Logger.getLogger(ApiKeys.class.getName());

  /** What every token starts with, so a leaked one is recognisable (secret scanners, logs). */
  public static final String TOKEN_PREFIX = "clk_";
  /** Random bytes of a secret: 256 bits, so a fast hash is enough and guessing is hopeless. */
  public static final int SECRET_BYTES = 32;
  /** Characters of a key id: {@code K} and 16 hex digits. */
  public static final int KEY_ID_LENGTH = 17;
  /** Characters of a whole token: prefix, key id, separator, 43 base64url characters. */
  public static final int TOKEN_LENGTH = TOKEN_PREFIX.length() + KEY_ID_LENGTH + 1 + 43;
  /** Longest key name (a label for people, e.g. "Fuji trading desk"). */
  public static final int NAME_LENGTH_MAX = 100;
  /** The role of the first-start key. */
  public static final String REGISTRY_ADMIN = "REGISTRY_ADMIN";
  /** The role a key bound to an account holder has. */
  public static final String ACCOUNT_HOLDER = "ACCOUNT_HOLDER";
  /** The roles a key may have, as stored; the anonymous public has no key. */
  public static final List<String> ROLES = List.of(REGISTRY_ADMIN, ACCOUNT_HOLDER, "AUDITOR");

  private static final Pattern KEY_ID = Pattern.compile("K[0-9a-f]{16}");
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
  /** Compared against when the key id is unknown, so that case costs the same comparison as a wrong secret. */
  private static final byte[] NO_HASH = new byte[Hashes.SIZE_BYTES];
  /** Serialises first-start checks of servers sharing a database; any constant unlike the other lock keys. */
  private static final long ADMIN_KEY_LOCK = 0x434c41444d494eL;
  private static final String KEY_COLUMNS = "key_id, role, holder_id, name, created_at, revoked_at";

  /** ApiKey is a key as anyone may see it: everything but its secret and the secret's hash. */
  public record ApiKey(String keyId, String role, String holderId, String name, Instant createdAt, Instant revokedAt) {
    public boolean revoked() {
      return revokedAt != null;
    }
  }

  /** CreatedKey is a new key and its token; the token is in no other place, so show it and drop it. */
  public record CreatedKey(ApiKey key, String token) {
    @Override
    public String toString() {
      return "CreatedKey[key=" + key + ", token=<hidden>]"; // a stray log line must not leak it
    }
  }

  /** Revocation is what {@link #revoke} found: the key revoked now, revoked before, or no such key. */
  public enum Revocation { REVOKED, ALREADY_REVOKED, NOT_FOUND }

  /** Problem is why a key cannot be created, as a code that reads as a sentence about the request. */
  public enum Problem {
    /** The role is not one of {@link #ROLES}. */
    ROLE_UNKNOWN,
    /** An ACCOUNT_HOLDER key must name the holder whose accounts it acts for. */
    HOLDER_REQUIRED_FOR_ACCOUNT_HOLDER,
    /** Only an ACCOUNT_HOLDER key is bound to a holder. */
    HOLDER_ONLY_FOR_ACCOUNT_HOLDER,
    /** The holder id is not a well-formed holder id (H, eight digits, check character). */
    HOLDER_ID_MALFORMED,
    /** No account holder has that id (yet): binding a key to a future holder would hand it that holder's accounts. */
    HOLDER_NOT_FOUND,
    /**
     * The name is empty, longer than {@link #NAME_LENGTH_MAX}, padded with spaces or holds control characters
     * (bidirectional ones included) or unpaired surrogates, which are no text and would be stored as '?'.
     */
    NAME_MALFORMED
  }

  /** KeyRequestException refuses a key that cannot be created; {@link #problem} says why. */
  public static final class KeyRequestException extends RuntimeException {
    private final Problem problem;

    KeyRequestException(Problem problem) {
      super(problem.name(), null, false, false);
      this.problem = problem;
    }

    public Problem problem() {
      return problem;
    }
  }

  private final Vertx vertx;
  private final Pool pool;
  private final KnownKeys known;
  private final SecureRandom random = new SecureRandom();
  private final AtomicLong lookups = new AtomicLong();

  /**
   * Keys in the database of {@code pool}, each looked up on every request; {@code vertx} runs the blocking file
   * write of {@link #ensureAdminKey}.
   */
  public ApiKeys(Vertx vertx, Pool pool) {
    this(vertx, pool, KnownKeys.none());
  }

  /** Keys in the database of {@code pool}, looked up only when {@code known} does not remember them. */
  public ApiKeys(Vertx vertx, Pool pool, KnownKeys known) {
    this.vertx = vertx;
    this.pool = pool;
    this.known = known;
  }

  /**
   * The first problem of a key request, checked without the database; empty when only the holder's
   * existence is left to check. Callers MAY use it to refuse early; {@link #create} checks it again.
   */
  public static Optional<Problem> check(String role, String holderId, String name) {
    if (role == null || !ROLES.contains(role)) {
      return Optional.of(Problem.ROLE_UNKNOWN);
    }
    if (role.equals(ACCOUNT_HOLDER) && holderId == null) {
      return Optional.of(Problem.HOLDER_REQUIRED_FOR_ACCOUNT_HOLDER);
    }
    if (!role.equals(ACCOUNT_HOLDER) && holderId != null) {
      return Optional.of(Problem.HOLDER_ONLY_FOR_ACCOUNT_HOLDER);
    }
    if (holderId != null && !Ids.isValid(Ids.Kind.HOLDER, holderId)) {
      return Optional.of(Problem.HOLDER_ID_MALFORMED);
    }
    // By code point, so that a lone surrogate (which PostgreSQL would store as '?') is seen as one and refused.
    if (name == null || name.isEmpty() || name.length() > NAME_LENGTH_MAX || !name.strip().equals(name)
        || name.codePoints().anyMatch(c -> Character.isISOControl(c) || BidiControls.is(c)
            || Character.getType(c) == Character.SURROGATE)) {
      return Optional.of(Problem.NAME_MALFORMED);
    }
    return Optional.empty();
  }

  /** True for a well-formed key id, e.g. {@code K0123456789abcdef}. */
  public static boolean isKeyId(String keyId) {
    return keyId != null && KEY_ID.matcher(keyId).matches();
  }

  /**
   * Creates a key and succeeds with it and its token, which MUST be shown to its owner now: it is stored
   * nowhere. Fails with KeyRequestException for a request {@link #check} refuses or a holder that does not exist.
   */
  public Future<CreatedKey> create(String role, String holderId, String name) {
    Optional<Problem> problem = check(role, holderId, name);
    if (problem.isPresent()) {
      return Future.failedFuture(new KeyRequestException(problem.get()));
    }
    return insert(pool, role, holderId, name);
  }

  /** Every key, revoked ones too, oldest first. Operators create keys by hand, so the list stays short. */
  public Future<List<ApiKey>> list() {
    return pool.query("SELECT " + KEY_COLUMNS + " FROM api_keys ORDER BY created_at, key_id").execute()
        .map(rows -> {
          List<ApiKey> keys = new ArrayList<>();
          rows.forEach(row -> keys.add(apiKey(row)));
          return keys;
        });
  }

  /** Revokes a key for good; from the commit on, {@link #authenticate} refuses it in every process. */
  public Future<Revocation> revoke(String keyId) {
    if (!isKeyId(keyId)) {
      return Future.succeededFuture(Revocation.NOT_FOUND);
    }
    // greatest(): a database clock stepped back must not make the revocation fail its CHECK.
    return pool.preparedQuery("""
            WITH revoked AS (
              UPDATE api_keys SET revoked_at = greatest(now(), created_at)
               WHERE key_id = $1 AND revoked_at IS NULL RETURNING key_id)
            SELECT EXISTS (SELECT 1 FROM revoked), EXISTS (SELECT 1 FROM api_keys WHERE key_id = $1)""")
        .execute(Tuple.of(keyId))
        .map(rows -> {
          Row row = rows.iterator().next();
          Revocation revocation = row.getBoolean(0) ? Revocation.REVOKED
              : row.getBoolean(1) ? Revocation.ALREADY_REVOKED : Revocation.NOT_FOUND;
          // At once here, not only when the announcement comes back.
          known.forget(keyId);
          LOG.info("auth.key_revoke key_id=" + keyId + " outcome=" + revocation);
          return revocation;
        });
  }

  /**
   * The key a bearer token names, if the token is well formed, its secret is the key's and the key is not
   * revoked; otherwise empty, and one log line says why, with the key id at most and never any secret. Fails only
   * when the database does. The hashes are compared in constant time, also when the key id is unknown.
   */
  public Future<Optional<ApiKey>> authenticate(String token) {
    Optional<Token> parsed = Token.parse(token);
    if (parsed.isEmpty()) {
      LOG.info("auth.failed reason=malformed_token length=" + (token == null ? 0 : token.length()));
      return Future.succeededFuture(Optional.empty());
    }
    String keyId = parsed.get().keyId();
    byte[] presented = parsed.get().secretHash();
    KnownKeys.Known remembered = known.get(keyId);
    // A wrong secret still asks the database, so that its answer takes as long as for a key nobody uses:
    // a fast refusal would tell a prober which keys are active.
    if (remembered != null && MessageDigest.isEqual(presented, remembered.secretHash())) {
      return Future.succeededFuture(Optional.of(remembered.key()));
    }
    long generation = known.generation();
    lookups.incrementAndGet();
    return pool.preparedQuery("SELECT " + KEY_COLUMNS + ", secret_hash FROM api_keys WHERE key_id = $1")
        .execute(Tuple.of(keyId))
        .map(rows -> {
          Row row = rows.size() == 0 ? null : rows.iterator().next();
          byte[] stored = row == null ? NO_HASH : row.getBuffer("secret_hash").getBytes();
          boolean secretMatches = MessageDigest.isEqual(presented, stored);
          String failure = row == null ? "unknown_key" : !secretMatches ? "wrong_secret"
              : row.getValue("revoked_at") != null ? "revoked_key" : null;
          if (failure != null) {
            LOG.info("auth.failed reason=" + failure + " key_id=" + keyId);
            return Optional.empty();
          }
          ApiKey key = apiKey(row);
          known.remember(generation, key, stored);
          return Optional.of(key);
        });
  }

  /** How many times {@link #authenticate} has asked the database: what {@link KnownKeys} saves. */
  long lookups() {
    return lookups.get();
  }

  /**
   * On a database without an active REGISTRY_ADMIN key, creates one and writes its token to {@code file}
   * (one line, permissions rw-------, replaced atomically); succeeds with true then, false when such a key
   * already exists. The check and the insert hold a lock, so servers starting together create one key. The file is
   * written before the key commits: a crash in between leaves a file whose token never worked, and the next
   * start, still finding no admin key, replaces it. Never logs the token.
   */
  public Future<Boolean> ensureAdminKey(Path file) {
    AtomicBoolean written = new AtomicBoolean();
    return pool.withTransaction(sql -> sql.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(ADMIN_KEY_LOCK))
            .compose(locked -> sql.preparedQuery(
                "SELECT EXISTS (SELECT 1 FROM api_keys WHERE role = $1 AND revoked_at IS NULL)").execute(Tuple.of(REGISTRY_ADMIN)))
            .compose(rows -> {
              if (rows.iterator().next().getBoolean(0)) {
                return Future.succeededFuture(false);
              }
              return insert(sql, REGISTRY_ADMIN, null, "admin key written at start (none was active)")
                  .compose(created -> vertx.executeBlocking(() -> {
                    OwnerOnlyFile.write(file, created.token() + "\n");
                    written.set(true);
                    LOG.info("auth.admin_key_created key_id=" + created.key().keyId() + " token_file=" + file);
                    return true;
                  }));
            }))
        .recover(failure -> !written.get() ? Future.failedFuture(failure)
            // The key did not commit, so the token in the file never worked: remove it rather than mislead.
            : vertx.executeBlocking(() -> Files.deleteIfExists(file)).transform(deleted -> Future.failedFuture(failure)));
  }

  private Future<CreatedKey> insert(SqlClient sql, String role, String holderId, String name) {
    byte[] keyIdBytes = new byte[(KEY_ID_LENGTH - 1) / 2];
    byte[] secret = new byte[SECRET_BYTES];
    random.nextBytes(keyIdBytes);
    random.nextBytes(secret);
    // 64 random bits: a clash needs about 2^32 keys, and would fail the insert (primary key), not share a key.
    String keyId = "K" + HexFormat.of().formatHex(keyIdBytes);
    String token = TOKEN_PREFIX + keyId + "_" + BASE64URL.encodeToString(secret);
    // The holder must exist now: ids are sequential, so a key for a future id would act for whoever gets it.
    return sql.preparedQuery("""
            INSERT INTO api_keys (key_id, secret_hash, role, holder_id, name)
            SELECT $1::text, $2::bytea, $3::text, $4::text, $5::text
             WHERE $4::text IS NULL OR EXISTS (SELECT 1 FROM account_holders WHERE holder_id = $4::text)
            """ + "RETURNING " + KEY_COLUMNS)
        .execute(Tuple.of(keyId, Buffer.buffer(Hashes.sha256(secret)), role, holderId, name))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new KeyRequestException(Problem.HOLDER_NOT_FOUND));
          }
          ApiKey key = apiKey(rows.iterator().next());
          LOG.info("auth.key_created key_id=" + keyId + " role=" + role + (holderId == null ? "" : " holder_id=" + holderId));
          return Future.succeededFuture(new CreatedKey(key, token));
        });
  }

  private static ApiKey apiKey(Row row) {
    OffsetDateTime revokedAt = row.getOffsetDateTime("revoked_at");
    return new ApiKey(row.getString("key_id"), row.getString("role"), row.getString("holder_id"), row.getString("name"),
        row.getOffsetDateTime("created_at").toInstant(), revokedAt == null ? null : revokedAt.toInstant());
  }

  /** Token is a well-formed bearer token taken apart: its key id and the SHA-256 of its secret bytes. */
  private record Token(String keyId, byte[] secretHash) {

    /** Strict: exact length, prefix and offsets, lower-case key id, canonical base64url of exactly 32 bytes. */
    static Optional<Token> parse(String text) {
      if (text == null || text.length() != TOKEN_LENGTH || !text.startsWith(TOKEN_PREFIX)) {
        return Optional.empty();
      }
      int separator = TOKEN_PREFIX.length() + KEY_ID_LENGTH;
      String keyId = text.substring(TOKEN_PREFIX.length(), separator);
      String secretText = text.substring(separator + 1);
      if (!isKeyId(keyId) || text.charAt(separator) != '_') {
        return Optional.empty();
      }
      byte[] secret;
      try {
        secret = Base64.getUrlDecoder().decode(secretText);
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
      // Re-encoding refuses padding and non-zero spare bits, so exactly one text names each secret.
      if (secret.length != SECRET_BYTES || !BASE64URL.encodeToString(secret).equals(secretText)) {
        return Optional.empty();
      }
      return Optional.of(new Token(keyId, Hashes.sha256(secret)));
    }
  }
}
