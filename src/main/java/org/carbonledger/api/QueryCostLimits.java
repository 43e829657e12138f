package org.carbonledger.api;

import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.AbortExecutionException;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.execution.instrumentation.Instrumentation;
import java.util.List;

/**
 * QueryCostLimits checks depth and complexity after validation and before execution. Complexity is the sum of
 * {@link FieldCosts}: a field once plus its selection times the number of items it can return, so a page of 500
 * costs 500 times its selection, not 1.
 */
final class QueryCostLimits {

  private QueryCostLimits() {}

  static Instrumentation instrumentation(GraphQLLimits limits) {
    Instrumentation depth = new MaxQueryDepthInstrumentation(limits.depthMax()) {
      @Override
      protected AbortExecutionException mkAbortException(int depth, int maxDepth) {
        return new RefusedBeforeExecution("QUERY_TOO_DEEP", "the query is " + depth + " levels deep; the most is " + maxDepth);
      }
    };
    Instrumentation complexity = new MaxQueryComplexityInstrumentation(limits.complexityMax(), new FieldCosts()) {
      @Override
      protected AbortExecutionException mkAbortException(int complexity, int maxComplexity) {
        return new RefusedBeforeExecution("QUERY_TOO_COMPLEX", "the query could resolve " + complexity
            + " fields; the most is " + maxComplexity + " (ask for smaller pages, fewer fields or fewer aliases; docs/API.md, \"Limits\")");
      }
    };
    // Each walks the whole query; the cache answers a repeated request without the walks.
    return new CostCheckCache(new ChainedInstrumentation(List.of(depth, complexity, new NoStreamedReceipts())));
  }
}
