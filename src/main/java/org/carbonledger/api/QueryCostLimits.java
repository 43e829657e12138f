package org.carbonledger.api;

import graphql.analysis.FieldComplexityCalculator;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.AbortExecutionException;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.execution.instrumentation.Instrumentation;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLTypeUtil;
import java.util.List;

/**
 * QueryCostLimits checks depth and complexity after validation and before execution. Complexity counts a
 * field once (a receipt {@link #RECEIPT_COST} times) plus its selection times the number of items it can return:
 * its {@code first} argument (with the schema's default when omitted), or a fixed estimate for a list without
 * one, so a page of 500 costs 500 times its selection, not 1.
 */
final class QueryCostLimits {

  /** The assumed length of a list field that has no {@code first} argument (e.g. a project's issuances). */
  static final int UNPAGED_LIST_ESTIMATE = 20;
  /**
   * What a Receipt counts for: it reads the latest checkpoint and an inclusion proof (O(log n) rows), where most
   * fields read nothing, so a page of entries with their receipts must not cost as little as the page alone.
   */
  static final int RECEIPT_COST = 100;
  /**
   * The assumed length of a statement's movements, which have no {@code first} but may number up to
   * {@link Statements#STATEMENT_MOVEMENTS_MAX}, each with its proofs: counted as 20, thirty aliased statements
   * could ask for 300,000 proofs in one response. At 400, a statement with every field of its movements costs
   * about 20,000, so a request holds two.
   */
  static final int STATEMENT_MOVEMENTS_ESTIMATE = 400;

  private QueryCostLimits() {}

  static Instrumentation instrumentation(GraphQLLimits limits) {
    Instrumentation depth = new MaxQueryDepthInstrumentation(limits.depthMax()) {
      @Override
      protected AbortExecutionException mkAbortException(int depth, int maxDepth) {
        return new RefusedBeforeExecution("QUERY_TOO_DEEP", "the query is " + depth + " levels deep; the most is " + maxDepth);
      }
    };
    Instrumentation complexity = new MaxQueryComplexityInstrumentation(limits.complexityMax(), complexity()) {
      @Override
      protected AbortExecutionException mkAbortException(int complexity, int maxComplexity) {
        return new RefusedBeforeExecution("QUERY_TOO_COMPLEX", "the query could resolve " + complexity
            + " fields; the most is " + maxComplexity + " (ask for smaller pages or fewer fields)");
      }
    };
    // Each walks the whole query; the cache answers a repeated request without the walks.
    return new CostCheckCache(new ChainedInstrumentation(List.of(depth, complexity, new NoStreamedReceipts())));
  }

  private static FieldComplexityCalculator complexity() {
    return (environment, childComplexity) -> {
      Object first = environment.getArguments().get("first");
      boolean paged = environment.getFieldDefinition().getArgument("first") != null;
      boolean list = GraphQLTypeUtil.isList(GraphQLTypeUtil.unwrapNonNull(environment.getFieldDefinition().getType()));
      // A connection's edges are its page: the connection field already counted them through `first`.
      boolean edges = environment.getField().getName().equals("edges");
      // A null `first` (given as null, or by a null variable) serves the default page, and counts as one.
      boolean statementMovements = environment.getField().getName().equals("movements")
          && environment.getParentType() instanceof GraphQLObjectType parent && parent.getName().equals("AccountStatement");
      long items = first instanceof Integer size ? Math.max(size, 1)
          : paged ? Connections.PAGE_SIZE_DEFAULT
          : statementMovements ? STATEMENT_MOVEMENTS_ESTIMATE : list && !edges ? UNPAGED_LIST_ESTIMATE : 1;
      long own = GraphQLTypeUtil.unwrapAll(environment.getFieldDefinition().getType()).getName().equals("Receipt")
          ? RECEIPT_COST : 1;
      return (int) Math.min(Integer.MAX_VALUE, own + items * childComplexity);
    };
  }
}
