package org.carbonledger.api;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import io.vertx.core.Future;
import java.util.Map;
import org.carbonledger.store.IdempotencyKey;
import org.carbonledger.store.IdempotencyLookup;
import org.carbonledger.store.LogReader;

/**
 * IdempotentRequestResolvers answers {@code idempotentRequest(key:)}: what the calling API key's request with that
 * idempotency key wrote. A client that lost its request along with the answer (a crash of its own, say) learns
 * from the key alone whether it was written, and at which seqs; one that still has its request sends it again.
 */
final class IdempotentRequestResolvers {

  private final IdempotencyLookup lookup;
  private final LogReader reader;

  IdempotentRequestResolvers(IdempotencyLookup lookup, LogReader reader) {
    this.lookup = lookup;
    this.reader = reader;
  }

  void wire(RuntimeWiring.Builder wiring) {
    wiring.type("Query", query -> query.dataFetcher("idempotentRequest", LedgerResolvers.async(this::find)));
  }

  private Future<Map<String, Object>> find(DataFetchingEnvironment environment) {
    Principal principal = RegistryMutations.principal(environment);
    if (!principal.authenticated()) {
      throw new ApiException(ErrorCodes.UNAUTHENTICATED, "idempotency keys belong to the API key that sent them: send that key");
    }
    String key = environment.getArgument("key");
    String problem = IdempotencyKey.problem(key);
    if (problem != null) {
      throw new ApiException(ErrorCodes.BAD_USER_INPUT, problem);
    }
    return lookup.find(principal.principalId(), key).compose(found -> found.isEmpty() ? Future.succeededFuture(null)
        : reader.entries(found.get().firstSeq(), found.get().entryCount()).map(entries -> Map.of("key", key,
            "entries", entries.stream().map(LedgerResolvers::entry).toList())));
  }
}
