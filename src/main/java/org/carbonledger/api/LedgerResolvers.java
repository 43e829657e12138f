package org.carbonledger.api;

import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.carbonledger.ledger.EntryCodec;
import org.carbonledger.ledger.Hex;
import org.carbonledger.ledger.LedgerEntry;
import org.carbonledger.ledger.InclusionReceipt;
import org.carbonledger.store.Ledger;
import org.carbonledger.store.LogReader;
import org.carbonledger.store.LogReader.StoredCheckpoint;
import org.carbonledger.store.LogReader.StoredEntry;

/**
 * LedgerResolvers answer the log's queries: checkpoints, entries, proofs and receipts. Every size a client
 * names is checked against the latest signed checkpoint, so nobody gets a proof for a tree the log has not
 * signed up to.
 */
final class LedgerResolvers {

  static final String SEQ_NOT_IN_TREE = "SEQ_NOT_IN_TREE";
  static final String TREE_SIZE_BEYOND_LOG = "TREE_SIZE_BEYOND_LOG";
  static final String TREE_SIZES_OUT_OF_ORDER = "TREE_SIZES_OUT_OF_ORDER";

  private final Ledger ledger;
  private final LogReader reader;

  LedgerResolvers(Ledger ledger) {
    this.ledger = ledger;
    this.reader = ledger.reader();
  }

  void wire(RuntimeWiring.Builder wiring) {
    wireEntry(wiring);
    wiring.type("Query", query -> query
        .dataFetcher("log", async(environment -> latest().map(this::log)))
        .dataFetcher("entry", async(environment -> reader.entry(longArgument(environment, "seq"))
            .map(found -> found.map(LedgerResolvers::entry).orElse(null))))
        .dataFetcher("entries", async(this::entries))
        .dataFetcher("inclusionProof", async(this::inclusionProof))
        .dataFetcher("consistencyProof", async(this::consistencyProof))
        .dataFetcher("receipt", async(this::receipt)));
  }

  /** Adapts a resolver that returns a Vert.x future to graphql-java, which takes a CompletionStage. */
  static <T> DataFetcher<CompletionStage<T>> async(java.util.function.Function<DataFetchingEnvironment, Future<T>> resolver) {
    return environment -> {
      Future<T> future;
      try {
        future = resolver.apply(environment);
      } catch (RuntimeException e) {
        future = Future.failedFuture(e);
      }
      return onCallersContext(future);
    };
  }

  /**
   * The outcome of {@code future}, delivered on the context that asked for it. The writer completes its
   * callers on its own event loop; without this, the rest of a mutation's request (graphql-java's execution
   * and DataLoaders, which are per request and not thread-safe) would continue there, on another thread than
   * the request's, and take the writer's time.
   */
  static <T> CompletionStage<T> onCallersContext(Future<T> future) {
    Context caller = Vertx.currentContext();
    if (caller == null) {
      return future.toCompletionStage();
    }
    CompletableFuture<T> delivered = new CompletableFuture<>();
    future.onComplete(outcome -> {
      Runnable deliver = () -> {
        if (outcome.succeeded()) {
          delivered.complete(outcome.result());
        } else {
          delivered.completeExceptionally(outcome.cause());
        }
      };
      if (Vertx.currentContext() == caller) {
        deliver.run();
      } else {
        caller.runOnContext(ignored -> deliver.run());
      }
    });
    return delivered;
  }

  static long longArgument(DataFetchingEnvironment environment, String name) {
    Object value = environment.getArgument(name);
    long number = ((Number) value).longValue();
    if (number < 0) {
      throw new ApiException(ErrorCodes.BAD_USER_INPUT, "'" + name + "' must not be negative");
    }
    return number;
  }

  private Future<StoredCheckpoint> latest() {
    return reader.latestCheckpoint().map(found -> found.orElseThrow(
        () -> new ApiException(ErrorCodes.UNAVAILABLE, "the log has no signed checkpoint yet")));
  }

  private Map<String, Object> log(StoredCheckpoint checkpoint) {
    Map<String, Object> log = new LinkedHashMap<>();
    log.put("origin", ledger.origin());
    log.put("verifierKey", ledger.verifierKey());
    log.put("size", checkpoint.treeSize());
    log.put("checkpoint", checkpoint(checkpoint));
    return log;
  }

  private static java.time.Instant instant(Object time) {
    return time == null ? null : ((java.time.OffsetDateTime) time).toInstant();
  }

  @SuppressWarnings("unchecked")
  private Future<Map<String, Object>> entries(DataFetchingEnvironment environment) {
    int first = Connections.first(environment);
    String after = environment.getArgument("after");
    long from = after == null ? 0 : Cursors.decode("entry", after) + 1;
    Map<String, Object> filter = Connections.filter(environment);
    // One extra row tells whether another page follows.
    return reader.entries(from, first + 1, (List<String>) filter.get("types"), instant(filter.get("from")), instant(filter.get("to")))
        .map(found -> Connections.of(found.stream().map(LedgerResolvers::entry).toList(), first, from > 0, "entry",
            node -> node.get("seq").toString()));
  }

  private Future<Map<String, Object>> inclusionProof(DataFetchingEnvironment environment) {
    long seq = longArgument(environment, "seq");
    return latest().compose(latest -> {
      long treeSize = sizeOrLatest(environment, "treeSize", latest);
      if (seq >= treeSize) {
        throw new ApiException(SEQ_NOT_IN_TREE, "entry " + seq + " is not in the tree of size " + treeSize);
      }
      return Future.all(reader.inclusion(seq, treeSize), checkpointAt(treeSize, latest, environment))
          .map(all -> {
            LogReader.Inclusion inclusion = all.resultAt(0);
            Map<String, Object> proof = new LinkedHashMap<>();
            proof.put("seq", seq);
            proof.put("treeSize", treeSize);
            proof.put("leafHash", Hex.encode(inclusion.leafHash()));
            proof.put("path", hexList(inclusion.path()));
            proof.put("rootHash", Hex.encode(inclusion.root()));
            proof.put("checkpoint", all.<java.util.Optional<StoredCheckpoint>>resultAt(1).map(LedgerResolvers::checkpoint).orElse(null));
            return proof;
          });
    });
  }

  private Future<Map<String, Object>> consistencyProof(DataFetchingEnvironment environment) {
    long oldSize = longArgument(environment, "oldSize");
    return latest().compose(latest -> {
      long newSize = sizeOrLatest(environment, "newSize", latest);
      if (oldSize > newSize) {
        throw new ApiException(TREE_SIZES_OUT_OF_ORDER, "oldSize " + oldSize + " is larger than newSize " + newSize);
      }
      return Future.all(reader.consistency(oldSize, newSize), checkpointAt(newSize, latest, environment))
          .map(all -> {
            LogReader.Consistency consistency = all.resultAt(0);
            Map<String, Object> proof = new LinkedHashMap<>();
            proof.put("oldSize", oldSize);
            proof.put("newSize", newSize);
            proof.put("path", hexList(consistency.path()));
            proof.put("oldRootHash", Hex.encode(consistency.oldRoot()));
            proof.put("newRootHash", Hex.encode(consistency.newRoot()));
            proof.put("checkpoint", all.<java.util.Optional<StoredCheckpoint>>resultAt(1).map(LedgerResolvers::checkpoint).orElse(null));
            return proof;
          });
    });
  }

  /** The checkpoint signed at {@code treeSize}, read only when the query asks for it and it is not the latest. */
  private Future<java.util.Optional<StoredCheckpoint>> checkpointAt(long treeSize, StoredCheckpoint latest,
                                                                   DataFetchingEnvironment environment) {
    if (treeSize == latest.treeSize()) {
      return Future.succeededFuture(java.util.Optional.of(latest));
    }
    return environment.getSelectionSet().contains("checkpoint")
        ? reader.checkpoint(treeSize) : Future.succeededFuture(java.util.Optional.empty());
  }

  private Future<Map<String, Object>> receipt(DataFetchingEnvironment environment) {
    return receipt(longArgument(environment, "seq"));
  }

  /** A receipt for entry {@code seq} against the latest checkpoint; SEQ_NOT_IN_TREE if the log has no such entry. */
  Future<Map<String, Object>> receipt(long seq) {
    return latest().compose(checkpoint -> {
      if (seq >= checkpoint.treeSize()) {
        throw new ApiException(SEQ_NOT_IN_TREE, "entry " + seq + " is not in the log of size " + checkpoint.treeSize());
      }
      return reader.inclusion(seq, checkpoint.treeSize()).map(inclusion -> {
        Map<String, Object> receipt = new LinkedHashMap<>();
        receipt.put("seq", seq);
        receipt.put("leafHash", Hex.encode(inclusion.leafHash()));
        receipt.put("tlogProof", new InclusionReceipt(null, seq, inclusion.path(), checkpoint.signedNote()).format());
        receipt.put("checkpoint", checkpoint(checkpoint));
        return receipt;
      });
    });
  }

  /** The size named by argument {@code name}, or the latest checkpoint's; never beyond the latest. */
  private static long sizeOrLatest(DataFetchingEnvironment environment, String name, StoredCheckpoint latest) {
    if (environment.getArgument(name) == null) {
      return latest.treeSize();
    }
    long asked = longArgument(environment, name);
    if (asked > latest.treeSize()) {
      throw new ApiException(TREE_SIZE_BEYOND_LOG, "'" + name + "' " + asked + " is beyond the log's signed size " + latest.treeSize());
    }
    return asked;
  }

  static Map<String, Object> checkpoint(StoredCheckpoint checkpoint) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("treeSize", checkpoint.treeSize());
    fields.put("rootHash", Hex.encode(checkpoint.rootHash()));
    fields.put("signedNote", checkpoint.signedNote());
    fields.put("signedAt", checkpoint.signedAt().atOffset(ZoneOffset.UTC));
    return fields;
  }

  /** The map key under which an Entry's stored form waits for the fields that need it decoded. */
  private static final String STORED = "__stored";

  /**
   * An Entry. Its {@code prevHash} and {@code data} need the bytes decoded, which costs more than the rest of
   * the entry: they are decoded when first asked for ({@link #wireEntry}), not for a request that does not.
   */
  static Map<String, Object> entry(StoredEntry stored) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("seq", stored.seq());
    fields.put("type", stored.type());
    fields.put("time", stored.time().atOffset(ZoneOffset.UTC));
    fields.put("leafHash", Hex.encode(stored.leafHash()));
    fields.put("canonicalJson", new String(stored.body(), java.nio.charset.StandardCharsets.UTF_8));
    fields.put(STORED, stored);
    return fields;
  }

  /** As {@link #entry(StoredEntry)}, for a caller that has decoded the entry's bytes already. */
  static Map<String, Object> entry(StoredEntry stored, LedgerEntry decoded) {
    Map<String, Object> fields = entry(stored);
    fields.put("prevHash", decoded.prev());
    fields.put("data", decoded.data());
    return fields;
  }

  /**
   * Resolves an Entry's {@code prevHash} and {@code data}, decoding its bytes once per Entry, and its
   * {@code receipt} against the latest checkpoint (so a mutation's payload carries its own receipt).
   */
  private void wireEntry(RuntimeWiring.Builder wiring) {
    wiring.type("Entry", entry -> entry
        .dataFetcher("prevHash", environment -> decoded(environment.getSource()).get("prevHash"))
        .dataFetcher("data", environment -> decoded(environment.getSource()).get("data"))
        .dataFetcher("receipt", async(environment -> receipt((Long) ((Map<?, ?>) environment.getSource()).get("seq")))));
  }

  private static Map<String, Object> decoded(Map<String, Object> fields) {
    if (!fields.containsKey("data")) {
      LedgerEntry decoded = EntryCodec.decode(((StoredEntry) fields.get(STORED)).body());
      fields.put("prevHash", decoded.prev());
      fields.put("data", decoded.data());
    }
    return fields;
  }

  private static List<String> hexList(List<byte[]> hashes) {
    List<String> hex = new ArrayList<>(hashes.size());
    hashes.forEach(hash -> hex.add(Hex.encode(hash)));
    return hex;
  }
}
