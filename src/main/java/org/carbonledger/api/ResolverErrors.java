package org.carbonledger.api;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.DataFetcherExceptionHandlerParameters;
import graphql.execution.DataFetcherExceptionHandlerResult;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.carbonledger.store.DatabaseUnreachable;

/**
 * ResolverErrors turns an exception thrown by a resolver into a GraphQL error with {@code extensions.code}:
 * an ApiException keeps its code and message; anything else is a fault, answered INTERNAL with an incident
 * id that is logged beside the stack trace, so the client learns nothing of our internals.
 */
public final class ResolverErrors implements DataFetcherExceptionHandler {

  private static final Logger LOG = Logger.getLogger(ResolverErrors.class.getName());
  private static final SecureRandom RANDOM = new SecureRandom();

  @Override
  public CompletableFuture<DataFetcherExceptionHandlerResult> handleException(DataFetcherExceptionHandlerParameters parameters) {
    Throwable failure = unwrap(parameters.getException());
    GraphqlErrorBuilder<?> error = GraphqlErrorBuilder.newError()
        .path(parameters.getPath())
        .location(parameters.getSourceLocation());
    if (failure instanceof ApiException api) {
      error.message(api.getMessage()).extensions(Map.of("code", api.code()));
    } else if (failure instanceof graphql.execution.AbortExecutionException) {
      // The request was cancelled (its time ran out): expected, and already answered EXECUTION_TIMEOUT.
      error.message("cancelled").extensions(Map.of("code", "EXECUTION_TIMEOUT"));
    } else if (DatabaseUnreachable.is(failure)) {
      // Not our fault and not the client's: PostgreSQL is down or restarting. A clear, retryable code.
      String incident = newIncidentId();
      LOG.log(Level.WARNING, "api.database_unavailable incident=" + incident + " path=" + parameters.getPath() + " error=\""
          + failure + "\"");
      error.message("the database cannot be reached now; retry later (a mutation may have committed: repeat it with "
          + "the same idempotency key to learn its outcome) (incident " + incident + ")")
          .extensions(Map.of("code", ErrorCodes.UNAVAILABLE, "incident", incident));
    } else {
      String incident = newIncidentId();
      LOG.log(Level.SEVERE, "api.resolver_failed incident=" + incident + " path=" + parameters.getPath(), failure);
      error.message(internalErrorMessage(incident))
          .extensions(Map.of("code", ErrorCodes.INTERNAL, "incident", incident));
    }
    GraphQLError built = error.build();
    return CompletableFuture.completedFuture(DataFetcherExceptionHandlerResult.newResult(built).build());
  }

  static Throwable unwrap(Throwable failure) {
    while (failure instanceof CompletionException && failure.getCause() != null) {
      failure = failure.getCause();
    }
    return failure;
  }

  /** What a client is told of a fault of ours: only the incident id that finds it in the server log. */
  public static String internalErrorMessage(String incident) {
    return "internal error (incident " + incident + ")";
  }

  /** A short random id that ties a client's INTERNAL error to the server log line with the details. */
  public static String newIncidentId() {
    byte[] bytes = new byte[6];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
