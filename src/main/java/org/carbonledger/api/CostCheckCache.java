package org.carbonledger.api;

import graphql.ExecutionResult;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationCreateStateParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.execution.instrumentation.parameters.InstrumentationValidationParameters;
import graphql.validation.ValidationError;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.carbonledger.ledger.Hashes;
import org.carbonledger.ledger.Hex;

/**
 * CostCheckCache remembers what the depth and complexity checks ({@link QueryCostLimits}) said about a request,
 * so a client that sends the same query again does not pay for a walk over it each time.
 *
 * <p>The answer depends on the document, the operation, and the variables that can change which fields run or
 * how many: a page size ({@code first: $n}, an Int) and {@code @include}/{@code @skip} ({@code if: $b}, a
 * Boolean). Only a top-level variable can stand there, and a string, list or input object cannot, so the key is
 * the document's SHA-256, the operation name and every top-level variable that is a number, a boolean or null.
 * Bounded: the least recently used answer goes first.
 */
final class CostCheckCache extends SimplePerformantInstrumentation {

  /** How many answers are kept. */
  static final int ENTRIES_MAX = 1000;

  /** A passed check; a refusal is kept as its code and message and thrown anew each time. */
  private record Answer(String code, String message) {
    static final Answer PASSED = new Answer(null, null);
  }

  private final Instrumentation checks;
  private final LruCache<String, Answer> answers = new LruCache<>(ENTRIES_MAX);

  /** {@code checks} refuse a request by throwing RefusedBeforeExecution from beginExecuteOperation. */
  CostCheckCache(Instrumentation checks) {
    this.checks = checks;
  }

  @Override
  public CompletableFuture<InstrumentationState> createStateAsync(InstrumentationCreateStateParameters parameters) {
    return checks.createStateAsync(parameters);
  }

  @Override
  public InstrumentationContext<List<ValidationError>> beginValidation(InstrumentationValidationParameters parameters,
                                                                       InstrumentationState state) {
    return checks.beginValidation(parameters, state);
  }

  @Override
  public InstrumentationContext<ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters parameters,
                                                                       InstrumentationState state) {
    String key = key(parameters.getExecutionContext());
    Answer known = answers.get(key);
    if (known == null) {
      try {
        checks.beginExecuteOperation(parameters, state);
        known = Answer.PASSED;
      } catch (RefusedBeforeExecution refused) {
        known = new Answer(refused.code(), refused.getMessage());
      }
      answers.put(key, known);
    }
    if (known != Answer.PASSED) {
      throw new RefusedBeforeExecution(known.code(), known.message());
    }
    return SimpleInstrumentationContext.noOp();
  }

  private static String key(ExecutionContext context) {
    Map<String, Object> relevant = new TreeMap<>();
    context.getCoercedVariables().toMap().forEach((name, value) -> {
      if (value == null || value instanceof Number || value instanceof Boolean) {
        relevant.put(name, value);
      }
    });
    // A hash, not the text: a kept answer must not hold a copy of a query that may be a megabyte long.
    String query = Hex.encode(Hashes.sha256(context.getExecutionInput().getQuery().getBytes(StandardCharsets.UTF_8)));
    return query + '\u0000' + context.getOperationDefinition().getName() + '\u0000' + relevant;
  }
}
