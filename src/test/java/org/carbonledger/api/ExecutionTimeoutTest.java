package org.carbonledger.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import graphql.GraphQL;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dataloader.DataLoaderRegistry;
import org.junit.jupiter.api.Test;

/**
 * ExecutionTimeoutTest serves, over real HTTP, a schema whose resolver never answers: the handler must
 * give up at the configured time, cancel the execution and answer EXECUTION_TIMEOUT.
 */
class ExecutionTimeoutTest {

  @Test
  void aRequestThatRunsTooLongIsCancelledWithItsCode() throws Exception {
    GraphQL graphQL = GraphQL.newGraphQL(new SchemaGenerator().makeExecutableSchema(
        new SchemaParser().parse("type Query { never: String }"),
        RuntimeWiring.newRuntimeWiring().type("Query", type -> type.dataFetcher("never", environment -> new CompletableFuture<String>())).build()))
        .build();
    GraphQLLimits limits = new GraphQLLimits(15, 50_000, 30, 500, 300, true);
    Vertx vertx = Vertx.vertx();
    try {
      Router router = Router.router(vertx);
      router.route("/graphql").handler(BodyHandler.create()).handler(new GraphQLHttpHandler(graphQL, DataLoaderRegistry::new, limits,
          request -> io.vertx.core.Future.succeededFuture(Principal.PUBLIC)));
      HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/graphql"))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ never }\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals("EXECUTION_TIMEOUT", new JsonObject(response.body()).getJsonArray("errors").getJsonObject(0)
          .getJsonObject("extensions").getString("code"));
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
