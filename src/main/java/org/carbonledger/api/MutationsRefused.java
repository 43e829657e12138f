package org.carbonledger.api;

import graphql.ExecutionResult;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.language.OperationDefinition;

/**
 * MutationsRefused answers every mutation with READ_ONLY before anything runs: the instrumentation of a read-only
 * server, whose database (a hot standby of the primary) cannot be written. Clients send mutations to the servers
 * of the primary; queries and subscriptions run as anywhere else.
 */
final class MutationsRefused extends SimplePerformantInstrumentation {

  @Override
  public InstrumentationContext<ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters parameters,
      InstrumentationState state) {
    if (parameters.getExecutionContext().getOperationDefinition().getOperation() == OperationDefinition.Operation.MUTATION) {
      throw new RefusedBeforeExecution(ErrorCodes.READ_ONLY,
          "this server only reads (a replica of the registry): send mutations to the registry's primary servers");
    }
    return super.beginExecuteOperation(parameters, state);
  }
}
