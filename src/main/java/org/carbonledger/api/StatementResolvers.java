package org.carbonledger.api;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.DataFetchingFieldSelectionSet;
import graphql.schema.idl.RuntimeWiring;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.carbonledger.registry.Reconciliation;
import org.carbonledger.store.Ledger;
import org.carbonledger.store.StatementReader;

/**
 * StatementResolvers wire {@code schema/statements.graphqls}: {@code accountStatement} and {@code reconcileAccount},
 * both thin over {@link Statements}.
 */
final class StatementResolvers {

  private final Statements statements;

  StatementResolvers(Pool pool, Ledger ledger) {
    this.statements = new Statements(pool, ledger.reader());
  }

  void wire(RuntimeWiring.Builder wiring) {
    wiring.type("Query", query -> query
        .dataFetcher("accountStatement", LedgerResolvers.async(this::accountStatement))
        .dataFetcher("reconcileAccount", LedgerResolvers.async(this::reconcileAccount)));
    wiring.type("StatementMovement", type -> type
        .dataFetcher("inclusionProof", environment -> ((Supplier<?>) environment.<Map<String, Object>>getSource().get("inclusionProof")).get())
        .dataFetcher("tlogProof", environment -> ((Supplier<?>) environment.<Map<String, Object>>getSource().get("tlogProof")).get()));
  }

  /**
   * Reads only what the query selects (FieldCosts counts a statement's movements as a read of up to 10,000, and
   * nothing of the kind when they are not asked for): balances alone, the movements, or the movements with proofs.
   */
  private Future<Map<String, Object>> accountStatement(DataFetchingEnvironment environment) {
    Statements.Window window = window(environment);
    DataFetchingFieldSelectionSet selected = environment.getSelectionSet();
    StatementReader.Detail detail = !selected.contains("movements") ? StatementReader.Detail.BALANCES
        : provesMovements(selected) ? StatementReader.Detail.PROOFS : StatementReader.Detail.MOVEMENTS;
    return statements.statement(RegistryMutations.principal(environment), environment.getArgument("accountId"), window, detail)
        .map(statement -> Statements.shape(statement, window, Statements.Form.GRAPHQL));
  }

  /** Whether a movement's proof is selected anywhere below (a reconciliation lists movements in several places). */
  private static boolean provesMovements(DataFetchingFieldSelectionSet selected) {
    return selected.contains("**/inclusionProof") || selected.contains("**/tlogProof");
  }

  private Future<Map<String, Object>> reconcileAccount(DataFetchingEnvironment environment) {
    Statements.Window window = window(environment);
    List<Map<String, Object>> items = environment.getArgument("expected");
    List<Reconciliation.Expected> expected = new ArrayList<>(Math.min(items.size(), Statements.RECONCILIATION_EXPECTED_MAX + 1));
    // One item past the limit is enough for Statements to refuse the list; the rest need not be copied.
    for (int i = 0; i < items.size() && i <= Statements.RECONCILIATION_EXPECTED_MAX; i++) {
      Map<String, Object> item = items.get(i);
      expected.add(new Reconciliation.Expected(i, (String) item.get("reference"), (String) item.get("counterpartAccountId"),
          ((Number) item.get("quantity")).longValue()));
    }
    return statements.reconcile(RegistryMutations.principal(environment), environment.getArgument("accountId"), window, expected,
            provesMovements(environment.getSelectionSet()))
        .map(answer -> Statements.shape(answer.getKey(), answer.getValue(), window, Statements.Form.GRAPHQL));
  }

  private static Statements.Window window(DataFetchingEnvironment environment) {
    Map<String, Object> input = environment.getArgument("window");
    return new Statements.Window(longOrNull(input.get("fromSeq")), longOrNull(input.get("toSeq")),
        instantOrNull(input.get("fromTime")), instantOrNull(input.get("toTime")));
  }

  private static Long longOrNull(Object value) {
    return value == null ? null : ((Number) value).longValue();
  }

  private static java.time.Instant instantOrNull(Object value) {
    return value == null ? null : ((OffsetDateTime) value).toInstant();
  }
}
