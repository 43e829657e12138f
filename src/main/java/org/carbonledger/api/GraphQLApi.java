package org.carbonledger.api;

import graphql.GraphQL;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.scalars.ExtendedScalars;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.carbonledger.store.ClasspathFiles;
import org.carbonledger.store.ApiKeys;
import org.carbonledger.store.Ledger;
import org.carbonledger.store.RegistryReader;
import org.carbonledger.store.IdempotencyLookup;
import org.carbonledger.store.IssuanceContexts;
import org.carbonledger.store.TransferReader;
import io.vertx.sqlclient.Pool;
import org.dataloader.DataLoaderRegistry;

/** GraphQLApi builds the executable schema: the SDL files of `schema/` joined to their resolvers. */
public final class GraphQLApi {

  /** The server software's version, as the API reports it. */
  public static final String VERSION = "0.1.0";

  private final GraphQL graphQL;
  private final RegistryReader registryReader;
  private final GraphQLLimits limits;

  private GraphQLApi(GraphQL graphQL, RegistryReader registryReader, GraphQLLimits limits) {
    this.graphQL = graphQL;
    this.registryReader = registryReader;
    this.limits = limits;
  }

  public static GraphQLApi create(Ledger ledger, Pool pool, GraphQLLimits limits, ApiKeys keys) throws IOException {
    RegistryReader registryReader = new RegistryReader(pool);
    TypeDefinitionRegistry types = new TypeDefinitionRegistry();
    SchemaParser parser = new SchemaParser();
    for (Map.Entry<String, byte[]> file : ClasspathFiles.read("schema", ".graphqls").entrySet()) {
      types.merge(parser.parse(new String(file.getValue(), StandardCharsets.UTF_8)));
    }
    RuntimeWiring.Builder wiring = RuntimeWiring.newRuntimeWiring()
        .scalar(DateTimeScalar.DATE_TIME)
        .scalar(ExtendedScalars.Date)
        .scalar(ExtendedScalars.GraphQLLong)
        .scalar(ExtendedScalars.Json)
        .type("Query", query -> query.dataFetcher("serverVersion", environment -> VERSION));
    LedgerResolvers ledgerResolvers = new LedgerResolvers(ledger);
    ledgerResolvers.wire(wiring);
    new RegistryQueries(registryReader).wire(wiring);
    new SerialResolvers(registryReader, new IssuanceContexts(pool), ledgerResolvers).wire(wiring);
    new RegistryMutations(ledger::writer, registryReader).wire(wiring);
    new TransferQueries(new TransferReader(pool), registryReader).wire(wiring);
    new ApiKeyResolvers(keys).wire(wiring);
    new IdempotentRequestResolvers(new IdempotencyLookup(pool), ledger.reader()).wire(wiring);
    new SubscriptionResolvers(ledger).wire(wiring);
    new StatementResolvers(pool, ledger).wire(wiring);
    GraphQLSchema schema = new SchemaGenerator().makeExecutableSchema(types, wiring.build());
    GraphQL graphQL = GraphQL.newGraphQL(schema)
        .defaultDataFetcherExceptionHandler(new ResolverErrors())
        .instrumentation(new ChainedInstrumentation(ledger.writable()
            ? List.of(new SubscriptionsOverWebSocket(), QueryCostLimits.instrumentation(limits))
            : List.of(new SubscriptionsOverWebSocket(), new MutationsRefused(), QueryCostLimits.instrumentation(limits))))
        .preparsedDocumentProvider(new DocumentCache(limits.aliasesMax()))
        .build();
    return new GraphQLApi(graphQL, registryReader, limits);
  }

  public GraphQL graphQL() {
    return graphQL;
  }

  /** The handler of {@code /graphql}. */
  public GraphQLHttpHandler httpHandler(GraphQLHttpHandler.Admission admission) {
    return new GraphQLHttpHandler(graphQL, this::newDataLoaders, limits, admission);
  }

  /** The DataLoaders of one request. */
  DataLoaderRegistry newDataLoaders() {
    return Loaders.create(registryReader);
  }
}
