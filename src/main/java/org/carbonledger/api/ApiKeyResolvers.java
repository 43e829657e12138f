package org.carbonledger.api;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import io.vertx.core.Future;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.carbonledger.store.ApiKeys;

/** ApiKeyResolvers manage API keys through GraphQL, for REGISTRY_ADMIN keys (listing also for AUDITOR keys). */
final class ApiKeyResolvers {

  private final ApiKeys keys;

  ApiKeyResolvers(ApiKeys keys) {
    this.keys = keys;
  }

  void wire(RuntimeWiring.Builder wiring) {
    wiring.type("Query", query -> query.dataFetcher("apiKeys", LedgerResolvers.async(environment -> {
      RegistryQueries.allow(AccessPolicy.read(AccessPolicy.ReadKind.API_KEYS, RegistryMutations.principal(environment), null));
      return keys.list().map(list -> list.stream().map(ApiKeyResolvers::key).toList());
    })));
    wiring.type("Mutation", mutation -> mutation
        .dataFetcher("createApiKey", LedgerResolvers.async(this::create))
        .dataFetcher("revokeApiKey", LedgerResolvers.async(this::revoke)));
  }

  private Future<Map<String, Object>> create(DataFetchingEnvironment environment) {
    allowed(environment, AccessPolicy.MutationKind.CREATE_API_KEY);
    Map<String, Object> input = environment.getArgument("input");
    return keys.create((String) input.get("role"), (String) input.get("holderId"), (String) input.get("name"))
        .map(created -> payload(created.key(), created.token(), List.of()))
        .recover(failure -> failure instanceof ApiKeys.KeyRequestException refused
            ? Future.succeededFuture(payload(null, null, List.of(refused.problem().name())))
            : Future.failedFuture(failure));
  }

  private Future<Map<String, Object>> revoke(DataFetchingEnvironment environment) {
    allowed(environment, AccessPolicy.MutationKind.REVOKE_API_KEY);
    String keyId = (String) environment.<Map<String, Object>>getArgument("input").get("keyId");
    return keys.revoke(keyId).compose(result -> keys.list().map(list -> {
      ApiKeys.ApiKey key = list.stream().filter(candidate -> candidate.keyId().equals(keyId)).findFirst().orElse(null);
      return payload(key, null, result == ApiKeys.Revocation.NOT_FOUND ? List.of("KEY_NOT_FOUND") : List.of());
    }));
  }

  private static void allowed(DataFetchingEnvironment environment, AccessPolicy.MutationKind kind) {
    RegistryQueries.allow(AccessPolicy.mutation(kind, RegistryMutations.principal(environment), null));
  }

  private static Map<String, Object> payload(ApiKeys.ApiKey key, String token, List<String> problems) {
    Map<String, Object> payload = new HashMap<>();
    payload.put("key", key == null ? null : key(key));
    payload.put("token", token);
    payload.put("problems", new ArrayList<>(problems));
    return payload;
  }

  private static Map<String, Object> key(ApiKeys.ApiKey key) {
    Map<String, Object> fields = new HashMap<>();
    fields.put("keyId", key.keyId());
    fields.put("role", key.role());
    fields.put("holderId", key.holderId());
    fields.put("name", key.name());
    fields.put("createdAt", key.createdAt().atOffset(ZoneOffset.UTC));
    fields.put("revokedAt", key.revokedAt() == null ? null : key.revokedAt().atOffset(ZoneOffset.UTC));
    return fields;
  }
}
