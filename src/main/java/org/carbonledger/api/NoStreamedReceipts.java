package org.carbonledger.api;

import graphql.ExecutionResult;
import graphql.analysis.QueryTraverser;
import graphql.analysis.QueryVisitorFieldEnvironment;
import graphql.analysis.QueryVisitorStub;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.language.OperationDefinition;
import graphql.schema.GraphQLTypeUtil;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * NoStreamedReceipts refuses, before it runs, a subscription that selects a {@code Receipt}: each would read an
 * inclusion proof for every entry streamed, from the log's first on, for every subscriber, which no request limit
 * bounds. A subscriber asks {@code receipt(seq:)} for the entries it needs.
 */
final class NoStreamedReceipts extends SimplePerformantInstrumentation {

  static final String RECEIPTS_NOT_STREAMED = "RECEIPTS_NOT_STREAMED";

  @Override
  public InstrumentationContext<ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters parameters,
      InstrumentationState state) {
    ExecutionContext context = parameters.getExecutionContext();
    if (context.getOperationDefinition().getOperation() == OperationDefinition.Operation.SUBSCRIPTION
        && selectsReceipt(context)) {
      throw new RefusedBeforeExecution(RECEIPTS_NOT_STREAMED,
          "a subscription does not stream receipts: ask receipt(seq:) for the entries you need");
    }
    return super.beginExecuteOperation(parameters, state);
  }

  private static boolean selectsReceipt(ExecutionContext context) {
    AtomicBoolean found = new AtomicBoolean();
    QueryTraverser.newQueryTraverser().schema(context.getGraphQLSchema()).document(context.getDocument())
        .operationName(context.getOperationDefinition().getName()).coercedVariables(context.getCoercedVariables())
        .build().visitPreOrder(new QueryVisitorStub() {
          @Override
          public void visitField(QueryVisitorFieldEnvironment field) {
            if (GraphQLTypeUtil.unwrapAll(field.getFieldDefinition().getType()).getName().equals("Receipt")) {
              found.set(true);
            }
          }
        });
    return found.get();
  }
}
