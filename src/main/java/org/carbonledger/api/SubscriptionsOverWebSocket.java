package org.carbonledger.api;

import graphql.ExecutionResult;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.language.OperationDefinition;

/**
 * SubscriptionsOverWebSocket refuses, before it runs, a subscription that did not come over WebSocket: an HTTP
 * answer cannot stream it, and what graphql-java returns for one (a publisher) cannot be written as JSON. It is
 * checked at execution, on the parsed document, so that the hot path of HTTP requests parses nothing twice.
 */
final class SubscriptionsOverWebSocket extends SimplePerformantInstrumentation {

  /** The GraphQL context key the WebSocket transport sets to true on the operations it executes. */
  static final String OVER_WEBSOCKET = "carbonledger.overWebSocket";

  @Override
  public InstrumentationContext<ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters parameters,
      InstrumentationState state) {
    var context = parameters.getExecutionContext();
    if (context.getOperationDefinition().getOperation() == OperationDefinition.Operation.SUBSCRIPTION
        && !Boolean.TRUE.equals(context.getGraphQLContext().get(OVER_WEBSOCKET))) {
      throw new RefusedBeforeExecution(ErrorCodes.OPERATION_NOT_SUPPORTED,
          "subscriptions run over WebSocket at /graphql (subprotocol graphql-transport-ws), not over HTTP");
    }
    return super.beginExecuteOperation(parameters, state);
  }
}
