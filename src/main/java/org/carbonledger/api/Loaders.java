package org.carbonledger.api;

import graphql.schema.DataFetchingEnvironment;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.carbonledger.store.RegistryReader;
import org.dataloader.DataLoader;
import org.dataloader.DataLoaderFactory;
import org.dataloader.DataLoaderOptions;
import org.dataloader.DataLoaderRegistry;
import org.dataloader.MappedBatchLoader;

/**
 * Loaders are the per-request DataLoaders of the registry's objects: every nested lookup of one kind in a
 * query is collected and answered by one SQL statement, however many objects the page holds. A new
 * registry per request, so nothing is cached across requests (or across principals).
 */
final class Loaders {

  static final String HOLDER = "holder";
  static final String ACCOUNT = "account";
  static final String PROJECT = "project";
  static final String ISSUANCE = "issuance";
  static final String AUTHORISATION = "authorisation";
  static final String ACCOUNTS_OF_HOLDER = "accountsOfHolder";
  static final String ISSUANCES_OF_PROJECT = "issuancesOfProject";
  static final String OTHER_REGISTRATIONS = "otherRegistrations";

  /** The most keys one batch sends to the database. */
  static final int BATCH_SIZE_MAX = 1000;

  private Loaders() {}

  static DataLoaderRegistry create(RegistryReader reader) {
    return DataLoaderRegistry.newRegistry()
        .register(HOLDER, loader(reader::holders))
        .register(ACCOUNT, loader(reader::accounts))
        .register(PROJECT, loader(reader::projects))
        .register(ISSUANCE, loader(reader::issuances))
        .register(AUTHORISATION, loader(reader::authorisations))
        .register(ACCOUNTS_OF_HOLDER, loader(reader::accountsOfHolders))
        .register(ISSUANCES_OF_PROJECT, loader(reader::issuancesOfProjects))
        .register(OTHER_REGISTRATIONS, loader(reader::otherRegistrations))
        .build();
  }

  private static <V> DataLoader<String, V> loader(Function<Set<String>, Future<Map<String, V>>> batch) {
    MappedBatchLoader<String, V> mapped = keys -> LedgerResolvers.onCallersContext(batch.apply(keys));
    return DataLoaderFactory.newMappedDataLoader(mapped, DataLoaderOptions.newOptions().setMaxBatchSize(BATCH_SIZE_MAX).build());
  }

  /** Loads one object by key through the request's loader named {@code name}; null when the key is null. */
  static <V> CompletionStage<V> load(DataFetchingEnvironment environment, String name, String key) {
    if (key == null) {
      return CompletableFuture.completedFuture(null);
    }
    DataLoader<String, V> loader = environment.getDataLoader(name);
    return loader.load(key);
  }

  /** Like {@link #load} for loaders of lists: an absent key is an empty list. */
  static <V> CompletionStage<List<V>> loadList(DataFetchingEnvironment environment, String name, String key) {
    return Loaders.<List<V>>load(environment, name, key).thenApply(found -> found == null ? List.of() : found);
  }
}
