package org.carbonledger.api;

import graphql.analysis.FieldComplexityCalculator;
import graphql.analysis.FieldComplexityEnvironment;
import graphql.schema.GraphQLTypeUtil;

/**
 * FieldCosts is what QueryCostLimits counts for one field: the field itself, plus its selection times the number
 * of items it can return. A field counts one, and a list its {@code first} (the default page when omitted) or a
 * fixed estimate, except where a field reads or returns much more than one value whatever is selected of it; those
 * exceptions are here, each with why, so that an estimate can be checked against what the resolver really does.
 *
 * <p>At the default budget ({@code --graphql-complexity-max} 50,000) a request holds one statement with every field
 * of its movements (about 45,000), or four that list movements with a field or two, or one reconciliation as
 * docs/API.md shows it (about 29,000), or two at most; a chain of custody's steps with their entries (6,000), eight.
 */
final class FieldCosts implements FieldComplexityCalculator {

  /** The assumed length of a list field that has no {@code first} argument (e.g. a project's issuances). */
  static final int UNPAGED_LIST_ESTIMATE = 20;
  /**
   * What a Receipt counts for: it reads the latest checkpoint and an inclusion proof (O(log n) rows), where most
   * fields read nothing, so a page of entries with their receipts must not cost as little as the page alone.
   */
  static final int RECEIPT_COST = 100;
  /**
   * The assumed length of a statement's movements and of a reconciliation's lists, which have no {@code first}:
   * a window's length is not known before it is read. It prices what is selected of each movement; the read
   * itself is {@link #STATEMENT_READ_COST}.
   */
  static final int STATEMENT_MOVEMENTS_ESTIMATE = 400;
  /**
   * What reading a statement's movements counts for, whatever is selected of them: up to
   * {@link Statements#STATEMENT_MOVEMENTS_MAX} movements, one each. Counted on {@code accountStatement}'s
   * {@code movements}, since a statement asked for its balances alone reads no movement (StatementResolvers).
   * Without it, thirty aliased statements asking for one field of their movements counted as 30 x 400 and read
   * 300,000 movements.
   */
  static final int STATEMENT_READ_COST = Statements.STATEMENT_MOVEMENTS_MAX;
  /**
   * What {@code reconcileAccount} counts for: it always reads the statement's movements, and it sorts, and can
   * answer with, up to {@link Statements#RECONCILIATION_EXPECTED_MAX} expected items sent once in a variable but
   * echoed by every alias.
   */
  static final int RECONCILIATION_COST = STATEMENT_READ_COST + Statements.RECONCILIATION_EXPECTED_MAX;
  /**
   * What a movement's {@code inclusionProof} or {@code tlogProof} counts for: each holds a proof's worth of hashes
   * (about 20 at a million entries, some 1.3 KB as hex), where a plain field holds a number or an id. The statement
   * reads its proofs only when one of them is selected.
   */
  static final int PROOF_FIELD_COST = 20;
  /**
   * What a chain of custody step's receipt counts for: receipts come with at most
   * {@link SerialResolvers#CUSTODY_RECEIPTS_MAX} steps (a longer chain asked for them is refused), while steps
   * count {@link SerialResolvers#CUSTODY_STEPS_MAX}; spread over those, the receipts' cost is this much a step.
   */
  static final int CUSTODY_RECEIPT_COST = RECEIPT_COST * SerialResolvers.CUSTODY_RECEIPTS_MAX / SerialResolvers.CUSTODY_STEPS_MAX;

  @Override
  public int calculate(FieldComplexityEnvironment environment, int childComplexity) {
    return (int) Math.min(Integer.MAX_VALUE, own(environment) + items(environment) * childComplexity);
  }

  /** What the field itself counts for. */
  private static long own(FieldComplexityEnvironment environment) {
    return switch (name(environment)) {
      case "Query.reconcileAccount" -> RECONCILIATION_COST;
      // A reconciliation's statement has read its movements already, and counted them.
      case "AccountStatement.movements" -> parentIs(environment, "Query.accountStatement") ? STATEMENT_READ_COST : 1;
      case "StatementMovement.inclusionProof", "StatementMovement.tlogProof" -> PROOF_FIELD_COST;
      case "CustodyStep.receipt" -> CUSTODY_RECEIPT_COST;
      default -> GraphQLTypeUtil.unwrapAll(environment.getFieldDefinition().getType()).getName().equals("Receipt") ? RECEIPT_COST : 1;
    };
  }

  /** How many items the field can return, each costing its selection. */
  private static long items(FieldComplexityEnvironment environment) {
    Object first = environment.getArguments().get("first");
    if (first instanceof Integer size) {
      return Math.max(size, 1);
    }
    if (environment.getFieldDefinition().getArgument("first") != null) {
      // A null `first` (given as null, or by a null variable) serves the default page, and counts as one.
      return Connections.PAGE_SIZE_DEFAULT;
    }
    switch (name(environment)) {
      case "AccountStatement.movements", "Reconciliation.matched", "Reconciliation.mismatched",
           "Reconciliation.missingInRegistry", "Reconciliation.unexpectedInRegistry" -> {
        return STATEMENT_MOVEMENTS_ESTIMATE;
      }
      // Bounded by the resolver, which refuses a longer chain: the estimate is the most it can be.
      case "ChainOfCustody.steps" -> {
        return SerialResolvers.CUSTODY_STEPS_MAX;
      }
      // A settlement answers for each of its transfers, up to 500, for one request: with their entries' receipts,
      // 500 proof reads, which an estimate of 20 let through. So does a keyed request's record, a settlement's too.
      case "SettlementPayload.transfers", "SettlementPayload.seqs", "IdempotentRequest.entries" -> {
        return SettlementMutations.SETTLEMENT_TRANSFERS_MAX;
      }
      default -> { }
    }
    // A connection's edges are its page: the connection field already counted them through `first`.
    boolean edges = environment.getFieldDefinition().getName().equals("edges");
    boolean list = GraphQLTypeUtil.isList(GraphQLTypeUtil.unwrapNonNull(environment.getFieldDefinition().getType()));
    return list && !edges ? UNPAGED_LIST_ESTIMATE : 1;
  }

  /** The field as {@code ParentType.field}, by the schema's names (an alias does not change it). */
  private static String name(FieldComplexityEnvironment environment) {
    return environment.getParentType().getName() + "." + environment.getFieldDefinition().getName();
  }

  private static boolean parentIs(FieldComplexityEnvironment environment, String field) {
    FieldComplexityEnvironment parent = environment.getParentEnvironment();
    return parent != null && name(parent).equals(field);
  }
}
