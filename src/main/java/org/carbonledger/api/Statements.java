package org.carbonledger.api;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.carbonledger.ledger.Hex;
import org.carbonledger.ledger.InclusionReceipt;
import org.carbonledger.registry.Ids;
import org.carbonledger.registry.Reconciliation;
import org.carbonledger.registry.StatementMovement;
import org.carbonledger.store.LogReader;
import org.carbonledger.store.LogReader.StoredCheckpoint;
import org.carbonledger.store.RegistryReader;
import org.carbonledger.store.StatementReader;
import org.carbonledger.store.StatementReader.Statement;

/**
 * Statements answers account statements and reconciliations for GraphQL and the HTTP downloads alike: it checks
 * access (an account's statement is ACCOUNT_DETAILS of its holder), turns the asked window into seqs within the
 * latest signed checkpoint, enforces the limits, and shapes the answer the same way for both (docs/API.md,
 * "Account statements and reconciliation").
 */
public final class Statements {

  /** The most movements one statement (or reconciliation) returns; a bigger window is refused, not cut. */
  public static final int STATEMENT_MOVEMENTS_MAX = 10_000;
  /** The most expected movements one reconciliation takes. */
  public static final int RECONCILIATION_EXPECTED_MAX = 10_000;

  /** The window names seqs and times at once; it must use one or the other. */
  public static final String STATEMENT_WINDOW_MIXES_SEQS_AND_TIMES = "STATEMENT_WINDOW_MIXES_SEQS_AND_TIMES";
  /** fromSeq is more than toSeq + 1, or fromTime is after toTime. */
  public static final String STATEMENT_WINDOW_ENDS_BEFORE_IT_STARTS = "STATEMENT_WINDOW_ENDS_BEFORE_IT_STARTS";
  /** The window holds more than {@link #STATEMENT_MOVEMENTS_MAX} movements of the account: ask for a smaller one. */
  public static final String STATEMENT_TOO_MANY_MOVEMENTS = "STATEMENT_TOO_MANY_MOVEMENTS";
  /** The reconciliation lists more than {@link #RECONCILIATION_EXPECTED_MAX} expected movements. */
  public static final String RECONCILIATION_TOO_MANY_EXPECTED = "RECONCILIATION_TOO_MANY_EXPECTED";

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT);

  /**
   * Window is the window a client asks for: seqs (both inclusive) or times (from inclusive, to exclusive); a
   * missing end is the start of the log or the latest signed entry. Times are kept as the bounds they act as:
   * rounded up to whole microseconds, like entry times, so that the window a statement echoes selects what it did.
   */
  public record Window(Long fromSeq, Long toSeq, Instant fromTime, Instant toTime) {
    public Window {
      fromTime = fromTime == null ? null : LogReader.wholeMicrosAtOrAfter(fromTime);
      toTime = toTime == null ? null : LogReader.wholeMicrosAtOrAfter(toTime);
    }
  }

  /** Form is who reads a shaped answer: graphql-java (times as Instant, receipts made only when selected) or JSON text. */
  public enum Form { GRAPHQL, JSON }

  private final LogReader log;
  private final RegistryReader registry;
  private final StatementReader statements;

  public Statements(Pool pool, LogReader log) {
    this.log = log;
    this.registry = new RegistryReader(pool);
    this.statements = new StatementReader(pool);
  }

  /**
   * The whole statement of {@code accountId} (every movement with its proof), if {@code principal} may read the
   * account's details: what the downloads serve.
   */
  public Future<Statement> statement(Principal principal, String accountId, Window window) {
    return statement(principal, accountId, window, StatementReader.Detail.PROOFS);
  }

  /**
   * The statement of {@code accountId} read to {@code detail}, if {@code principal} may read the account's details:
   * GraphQL reads only what the query selects. The movement limit applies from {@link StatementReader.Detail#MOVEMENTS}.
   */
  public Future<Statement> statement(Principal principal, String accountId, Window window, StatementReader.Detail detail) {
    return allowed(principal, accountId)
        .compose(allowed -> seqs(window))
        .compose(seqs -> statements.statement(accountId, seqs[0], seqs[1], STATEMENT_MOVEMENTS_MAX, detail))
        .recover(failure -> Future.failedFuture(failure instanceof StatementReader.TooManyMovementsException
            ? new ApiException(STATEMENT_TOO_MANY_MOVEMENTS, failure.getMessage() + " (at most " + STATEMENT_MOVEMENTS_MAX
                + "): ask for a smaller window") : failure));
  }

  /**
   * The statement, reconciled against {@code expected} by {@link Reconciliation#of}; its proofs only when
   * {@code withProofs} (a reconciliation always reads the movements).
   */
  public Future<Map.Entry<Statement, Reconciliation>> reconcile(Principal principal, String accountId, Window window,
                                                                List<Reconciliation.Expected> expected, boolean withProofs) {
    if (expected.size() > RECONCILIATION_EXPECTED_MAX) {
      // Access first, so an unauthorised caller learns nothing but that.
      return allowed(principal, accountId).compose(allowed -> Future.failedFuture(new ApiException(RECONCILIATION_TOO_MANY_EXPECTED,
          expected.size() + " expected movements; at most " + RECONCILIATION_EXPECTED_MAX + " per reconciliation")));
    }
    return statement(principal, accountId, window, withProofs ? StatementReader.Detail.PROOFS : StatementReader.Detail.MOVEMENTS)
        .map(statement -> Map.entry(statement, Reconciliation.of(statement.movements(), expected)));
  }

  private Future<Void> allowed(Principal principal, String accountId) {
    if (!Ids.isValid(Ids.Kind.ACCOUNT, accountId)) {
      // Checked before the look-up: what is not an id names no account, and may not even be storable text.
      return Future.failedFuture(new ApiException(ErrorCodes.BAD_USER_INPUT,
          "not an account id (e.g. A00000001L) with a valid check character"));
    }
    return registry.accounts(List.of(accountId)).map(found -> {
      var account = found.get(accountId);
      // Without an account only the operators pass, and only they learn that it does not exist.
      RegistryQueries.allow(AccessPolicy.read(AccessPolicy.ReadKind.ACCOUNT_DETAILS, principal,
          account == null ? null : account.holderId()));
      if (account == null) {
        throw new ApiException(ErrorCodes.NOT_FOUND, "no account " + accountId);
      }
      return null;
    });
  }

  /** The window as {fromSeq, toSeq}, both inclusive and within the latest signed checkpoint. */
  private Future<long[]> seqs(Window window) {
    boolean bySeq = window.fromSeq() != null || window.toSeq() != null;
    boolean byTime = window.fromTime() != null || window.toTime() != null;
    if (bySeq && byTime) {
      throw new ApiException(STATEMENT_WINDOW_MIXES_SEQS_AND_TIMES, "give fromSeq/toSeq or fromTime/toTime, not both");
    }
    // toSeq = -1 is the empty window before entry 0, the one way to ask for an opening balance of nothing.
    if (window.fromSeq() != null && window.fromSeq() < 0 || window.toSeq() != null && window.toSeq() < -1) {
      throw new ApiException(ErrorCodes.BAD_USER_INPUT, "fromSeq must not be negative, nor toSeq below -1");
    }
    return log.latestCheckpoint().compose(latest -> {
      long size = latest.map(StoredCheckpoint::treeSize).orElseThrow(
          () -> new ApiException(ErrorCodes.UNAVAILABLE, "the log has no signed checkpoint yet"));
      return byTime ? seqsOfTimes(window, size) : Future.succeededFuture(seqsOfSeqs(window, size));
    });
  }

  private static long[] seqsOfSeqs(Window window, long size) {
    long from = window.fromSeq() == null ? 0 : window.fromSeq();
    long to = window.toSeq() == null ? size - 1 : window.toSeq();
    if (to >= size) {
      throw new ApiException(LedgerResolvers.SEQ_NOT_IN_TREE, "toSeq " + to + " is beyond the latest signed checkpoint (size "
          + size + "): statements cover only signed entries");
    }
    if (from > to + 1) {
      throw new ApiException(STATEMENT_WINDOW_ENDS_BEFORE_IT_STARTS, "fromSeq " + from + " is after toSeq " + to + " + 1");
    }
    return new long[] {from, to};
  }

  /** [first entry at or after fromTime, last entry before toTime], cut to the signed entries. */
  private Future<long[]> seqsOfTimes(Window window, long size) {
    if (window.fromTime() != null && window.toTime() != null && window.fromTime().isAfter(window.toTime())) {
      throw new ApiException(STATEMENT_WINDOW_ENDS_BEFORE_IT_STARTS, "fromTime is after toTime");
    }
    Future<Long> from = window.fromTime() == null ? Future.succeededFuture(0L) : firstAtOrAfter(window.fromTime(), size);
    Future<Long> toExclusive = window.toTime() == null ? Future.succeededFuture(size) : firstAtOrAfter(window.toTime(), size);
    return Future.all(from, toExclusive).map(all -> new long[] {all.<Long>resultAt(0), all.<Long>resultAt(1) - 1});
  }

  private Future<Long> firstAtOrAfter(Instant time, long size) {
    return statements.firstSeqAtOrAfter(time).map(seq -> seq == null ? size : Math.min(seq, size));
  }

  // ---- shaping: one shape for GraphQL and the JSON download, so they cannot drift apart ----

  /** The statement as the GraphQL type AccountStatement, for {@code form}. */
  public static Map<String, Object> shape(Statement statement, Window asked, Form form) {
    return shape(statement, asked, form, movementShapes(statement, form));
  }

  /** The reconciliation as the GraphQL type Reconciliation; its movements are the statement's, shaped once. */
  public static Map<String, Object> shape(Statement statement, Reconciliation reconciliation, Window asked, Form form) {
    Map<Long, Map<String, Object>> movements = movementShapes(statement, form);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("statement", shape(statement, asked, form, movements));
    fields.put("balanced", reconciliation.balanced());
    fields.put("matched", reconciliation.matched().stream().map(match -> Map.of(
        "expected", expected(match.expected()), "movement", movements.get(match.movement().seq()))).toList());
    fields.put("mismatched", reconciliation.mismatched().stream().map(mismatch -> Map.of(
        "expected", expected(mismatch.expected()), "movement", movements.get(mismatch.movement().seq()),
        "differences", mismatch.differences().stream().map(Enum::name).toList())).toList());
    fields.put("missingInRegistry", reconciliation.missingInRegistry().stream().map(Statements::expected).toList());
    fields.put("unexpectedInRegistry", reconciliation.unexpectedInRegistry().stream()
        .map(movement -> movements.get(movement.seq())).toList());
    return fields;
  }

  private static Map<String, Object> shape(Statement statement, Window asked, Form form, Map<Long, Map<String, Object>> movements) {
    Map<String, Object> window = new LinkedHashMap<>();
    window.put("fromSeq", statement.fromSeq());
    window.put("toSeq", statement.toSeq());
    window.put("fromTime", time(asked.fromTime(), form));
    window.put("toTime", time(asked.toTime(), form));
    Map<String, Object> checkpoint = new LinkedHashMap<>();
    checkpoint.put("treeSize", statement.checkpoint().treeSize());
    checkpoint.put("rootHash", Hex.encode(statement.checkpoint().rootHash()));
    checkpoint.put("signedNote", statement.checkpoint().signedNote());
    checkpoint.put("signedAt", time(statement.checkpoint().signedAt(), form));
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("accountId", statement.accountId());
    fields.put("window", window);
    fields.put("openingBalance", statement.openingBalance());
    fields.put("closingBalance", statement.closingBalance());
    fields.put("checkpoint", checkpoint);
    fields.put("movements", new ArrayList<>(movements.values()));
    return fields;
  }

  /** Each movement's shape, by seq in seq order. */
  private static Map<Long, Map<String, Object>> movementShapes(Statement statement, Form form) {
    Map<Long, Map<String, Object>> shapes = new LinkedHashMap<>();
    for (StatementMovement movement : statement.movements()) {
      List<byte[]> proof = statement.inclusionProofs().get(movement.seq());
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("seq", movement.seq());
      fields.put("time", time(movement.time(), form));
      fields.put("kind", movement.kind().name());
      fields.put("counterpartAccountId", movement.counterpartAccountId());
      fields.put("quantity", movement.quantity());
      fields.put("serialRanges", movement.serialRanges().stream().map(range -> Map.of("start", range.start(), "end", range.end())).toList());
      fields.put("reference", movement.reference());
      fields.put("leafHash", Hex.encode(movement.leafHash()));
      // The proofs are a proof's worth of hashes per movement, and a receipt repeats the signed note besides: GraphQL
      // builds them only when selected (and the statement is then read with its proofs).
      Supplier<List<String>> hashes = () -> proved(proof, movement).stream().map(Hex::encode).toList();
      Supplier<String> receipt = () -> new InclusionReceipt(null, movement.seq(), proved(proof, movement),
          statement.checkpoint().signedNote()).format();
      fields.put("inclusionProof", form == Form.GRAPHQL ? hashes : hashes.get());
      fields.put("tlogProof", form == Form.GRAPHQL ? receipt : receipt.get());
      shapes.put(movement.seq(), fields);
    }
    return shapes;
  }

  /** The movement's proof; a statement read without proofs is never asked for one (a bug otherwise). */
  private static List<byte[]> proved(List<byte[]> proof, StatementMovement movement) {
    if (proof == null) {
      throw new IllegalStateException("the statement was read without proofs, and the proof of entry " + movement.seq()
          + " was asked for");
    }
    return proof;
  }

  private static Map<String, Object> expected(Reconciliation.Expected expected) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("index", expected.index());
    fields.put("reference", expected.reference());
    fields.put("counterpartAccountId", expected.counterpartAccountId());
    fields.put("quantity", expected.quantity());
    return fields;
  }

  private static Object time(Instant time, Form form) {
    if (time == null) {
      return null;
    }
    return form == Form.GRAPHQL ? time : TIME.format(time.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC));
  }
}
