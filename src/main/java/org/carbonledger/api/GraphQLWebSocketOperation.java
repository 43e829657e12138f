package org.carbonledger.api;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.execution.SubscriptionExecutionStrategy;
import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.carbonledger.store.DatabaseUnreachable;
import org.carbonledger.store.SubscriberTooSlowException;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * GraphQLWebSocketOperation is one subscribe of a WebSocket connection: it runs the subscription and sends
 * each event as a {@code next} message, asking for the next event only while the socket is writable. It
 * ends with {@code complete} when the stream does, with {@code error} when the request is invalid or the
 * stream fails, or silently when the client completes it or the connection closes.
 *
 * <p>Only subscriptions run here. Queries and mutations go to {@code POST /graphql}, where each request
 * gets its DataLoaders and its time limit.
 */
final class GraphQLWebSocketOperation implements Subscriber<ExecutionResult> {

  private static final Logger LOG = Logger.getLogger(GraphQLWebSocketOperation.class.getName());

  private final GraphQLWebSocketConnection connection;
  private final GraphQL graphQL;
  private final String id;
  private final GraphQLWebSocketMessage request;
  private final int bufferMax;
  private final Context context;
  private Subscription subscription;
  private boolean cancelled;

  GraphQLWebSocketOperation(GraphQLWebSocketConnection connection, GraphQL graphQL, String id,
                            GraphQLWebSocketMessage request, int bufferMax) {
    this.connection = connection;
    this.graphQL = graphQL;
    this.id = id;
    this.request = request;
    this.bufferMax = bufferMax;
    this.context = Vertx.currentContext();
  }

  String id() {
    return id;
  }

  void start() {
    String refusal = notASubscription(request.query(), request.operationName());
    if (refusal != null) {
      fail(List.of(GraphQLWebSocketMessage.errorOf(ErrorCodes.OPERATION_NOT_SUPPORTED, refusal)));
      return;
    }
    ExecutionInput input = ExecutionInput.newExecutionInput()
        .query(request.query())
        .operationName(request.operationName())
        .variables(request.variables())
        .extensions(request.extensions())
        .graphQLContext(Map.of(
            // Events are mapped in the order the feed gives them; graphql-java would otherwise emit each as
            // soon as its fields resolve, which for async fields need not be seq order.
            SubscriptionExecutionStrategy.KEEP_SUBSCRIPTION_EVENTS_ORDERED, true,
            SubscriptionResolvers.SUBSCRIBER_BUFFER_MAX, bufferMax))
        .build();
    graphQL.executeAsync(input).whenComplete((result, failure) -> context.runOnContext(ignored -> executed(result, failure)));
  }

  @SuppressWarnings("unchecked")
  private void executed(ExecutionResult result, Throwable failure) {
    if (cancelled) {
      return; // completed by the client while it started; a publisher not subscribed to holds nothing
    }
    if (failure != null) {
      failInternally("execution", failure);
      return;
    }
    if (result.getData() instanceof Publisher<?> events) {
      ((Publisher<ExecutionResult>) events).subscribe(this);
      return;
    }
    // No stream: a request error (syntax, validation, a limit) or a resolver that refused to start one.
    List<Map<String, Object>> errors = (List<Map<String, Object>>) GraphQLErrorShapes.toSpecification(result).get("errors");
    if (errors == null) {
      connection.send(GraphQLWebSocketMessage.complete(id));
      connection.ended(this);
      return;
    }
    fail(errors);
  }

  @Override
  public void onSubscribe(Subscription subscription) {
    this.subscription = subscription;
    if (cancelled) {
      subscription.cancel();
    } else {
      subscription.request(1);
    }
  }

  @Override
  public void onNext(ExecutionResult event) {
    if (cancelled) {
      return;
    }
    connection.send(GraphQLWebSocketMessage.next(id, GraphQLErrorShapes.toSpecification(event)));
    if (connection.writeQueueFull()) {
      connection.awaitDrain(this);
    } else {
      subscription.request(1);
    }
  }

  @Override
  public void onError(Throwable failure) {
    if (cancelled) {
      return;
    }
    if (ResolverErrors.unwrap(failure) instanceof SubscriberTooSlowException slow) {
      // Events are sent as soon as they are handed over, so the last one handed over is the last one sent.
      cancelled = true;
      connection.tooSlow(this, slow.lastDeliveredSeq());
      return;
    }
    failInternally("stream", failure);
  }

  @Override
  public void onComplete() {
    if (!cancelled) {
      cancelled = true;
      connection.send(GraphQLWebSocketMessage.complete(id));
      connection.ended(this);
    }
  }

  /** The socket drained: ask for the next event. */
  void resume() {
    if (!cancelled && subscription != null) {
      subscription.request(1);
    }
  }

  /** Stops the stream without a message: the client completed it, or the connection is closing. */
  void cancel() {
    cancelled = true;
    if (subscription != null) {
      subscription.cancel();
    }
  }

  private void fail(List<Map<String, Object>> errors) {
    cancelled = true;
    connection.send(GraphQLWebSocketMessage.error(id, errors));
    connection.ended(this);
  }

  private void failInternally(String stage, Throwable failure) {
    String incident = ResolverErrors.newIncidentId();
    if (subscription != null) {
      subscription.cancel();
    }
    if (DatabaseUnreachable.is(failure)) {
      LOG.warning("ws.database_unavailable incident=" + incident + " stage=" + stage + " id=\"" + id + "\" error=\""
          + failure + "\"");
    } else {
      LOG.log(Level.SEVERE, "ws.operation_failed incident=" + incident + " stage=" + stage + " id=\"" + id + "\"", failure);
    }
    fail(List.of(streamError(failure, incident)));
  }

  /**
   * The error a failed subscription ends with: as on /graphql, an outage (or a hot standby cancelling a read for its
   * replay) is the retryable UNAVAILABLE, anything else INTERNAL; either way the client resumes after its last seq.
   */
  static Map<String, Object> streamError(Throwable failure, String incident) {
    return DatabaseUnreachable.is(failure)
        ? GraphQLWebSocketMessage.errorOf(ErrorCodes.UNAVAILABLE, "the database cannot be read now (incident " + incident
            + "); subscribe again after the last seq received, later")
        : GraphQLWebSocketMessage.errorOf(ErrorCodes.INTERNAL, "the subscription failed (incident " + incident
            + "); subscribe again after the last seq received");
  }

  /** Why the document's operation cannot run here, or null when it is a subscription or does not parse. */
  static String notASubscription(String query, String operationName) {
    Document document;
    try {
      document = Parser.parse(query);
    } catch (InvalidSyntaxException e) {
      return null; // execution reports the syntax error with its location
    }
    OperationDefinition selected = selected(document.getDefinitionsOfType(OperationDefinition.class), operationName);
    if (selected != null && selected.getOperation() != OperationDefinition.Operation.SUBSCRIPTION) {
      return "only subscriptions run over WebSocket; send queries and mutations with POST /graphql";
    }
    return null;
  }

  /**
   * The operation graphql-java will run, chosen by its rule: without a name the only one (with several, it refuses
   * to run any); with an empty name the first one, as if none were given; otherwise the one of that name. Any
   * other rule here would let a query or mutation that graphql-java runs past this check.
   */
  private static OperationDefinition selected(List<OperationDefinition> operations, String operationName) {
    if (operations.isEmpty()) {
      return null;
    }
    if (operationName == null) {
      return operations.size() == 1 ? operations.get(0) : null;
    }
    if (operationName.isEmpty()) {
      return operations.get(0);
    }
    return operations.stream().filter(operation -> operationName.equals(operation.getName())).findFirst().orElse(null);
  }
}
