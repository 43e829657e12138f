package org.carbonledger.api;

import static org.carbonledger.store.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.execution.instrumentation.dataloader.DataLoaderDispatchingContextKeys;
import io.vertx.sqlclient.Pool;
import java.lang.reflect.Proxy;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.carbonledger.registry.AccountType;
import org.carbonledger.registry.Ids;
import org.carbonledger.registry.Issue;
import org.carbonledger.registry.MitigationType;
import org.carbonledger.registry.OpenAccount;
import org.carbonledger.registry.Period;
import org.carbonledger.registry.ProjectCategory;
import org.carbonledger.registry.RegisterProject;
import org.carbonledger.registry.SerialRange;
import org.carbonledger.registry.Transfer;
import org.carbonledger.registry.UnitSelection;
import org.carbonledger.store.RegistryCommand;
import org.carbonledger.store.TestLedger;
import org.junit.jupiter.api.Test;

/**
 * BatchingTest counts the SQL statements a nested GraphQL query sends: a page of blocks with each block's
 * issuance, project, account and holder must cost the same small number of statements for 10 blocks as for
 * 100, because DataLoaders batch every nested lookup of one kind into one statement.
 */
class BatchingTest {

  /** A pool that counts the statements it is asked to run and forwards everything. */
  private static Pool counting(Pool pool, AtomicInteger statements) {
    return (Pool) Proxy.newProxyInstance(Pool.class.getClassLoader(), new Class<?>[] {Pool.class}, (proxy, method, args) -> {
      if (method.getName().equals("query") || method.getName().equals("preparedQuery")) {
        statements.incrementAndGet();
      }
      try {
        return method.invoke(pool, args);
      } catch (java.lang.reflect.InvocationTargetException e) {
        throw e.getCause();
      }
    });
  }

  private static void append(TestLedger log, org.carbonledger.registry.Command command) {
    await(log.ledger.writer().append(new RegistryCommand(command)));
  }

  @Test
  void nestedLookupsCostTheSameForAnyPageSize() throws Exception {
    try (TestLedger log = TestLedger.open()) {
      append(log, new OpenAccount(null, "Secretariat", "JP", "issuance", AccountType.ISSUANCE, "JCREDIT"));
      append(log, new OpenAccount(null, "Alice", "JP", "alice", AccountType.HOLDING, null));
      append(log, new OpenAccount(null, "Bob", "JP", "bob", AccountType.HOLDING, null));
      Period period = new Period(LocalDate.of(2020, 1, 1), LocalDate.of(2030, 12, 31));
      append(log, new RegisterProject("JCREDIT", "J-1", "Forest", "JP", "FO-001", ProjectCategory.FORESTRY,
          MitigationType.REMOVAL, period, LocalDate.of(2020, 1, 1), null, List.of()));
      String project = Ids.format(Ids.Kind.PROJECT, 1);
      append(log, new Issue(project, new Period(LocalDate.of(2022, 1, 1), LocalDate.of(2022, 12, 31)), 2022, 300, "JCU",
          List.of(), null, null));
      String issuanceAccount = Ids.format(Ids.Kind.ACCOUNT, 1);
      // Every other serial to Alice or Bob, so the blocks alternate between two accounts and holders.
      for (long serial = 1; serial <= 120; serial++) {
        String to = Ids.format(Ids.Kind.ACCOUNT, serial % 2 == 0 ? 2 : 3);
        log.ledger.writer().append(new RegistryCommand(new Transfer(issuanceAccount, to,
            new UnitSelection.Ranges(List.of(new SerialRange(serial, serial))), null)));
      }
      await(log.ledger.writer().append(new RegistryCommand(new OpenAccount(null, "Carol", "JP", "carol", AccountType.HOLDING, null))));

      AtomicInteger statements = new AtomicInteger();
      GraphQLApi api = GraphQLApi.create(log.ledger, counting(log.pool, statements), GraphQLLimits.DEFAULT,
          new org.carbonledger.store.ApiKeys(log.vertx, log.pool));
      int ten = statementsFor(api, statements, 10);
      int hundred = statementsFor(api, statements, 100);
      assertEquals(ten, hundred, "statements must not grow with the page size");
      assertTrue(hundred <= 6, "one statement for the page and one per kind of nested object, got " + hundred);
    }
  }

  private static int statementsFor(GraphQLApi api, AtomicInteger statements, int pageSize) throws Exception {
    String query = "{ blocks(first: " + pageSize + ") { edges { node { serialStart issuance { vintage project { name } } "
        + "account { name holder { name } } } } } }";
    statements.set(0);
    ExecutionResult result = api.graphQL().executeAsync(ExecutionInput.newExecutionInput().query(query)
        .dataLoaderRegistry(api.newDataLoaders())
        .graphQLContext(Map.of(DataLoaderDispatchingContextKeys.ENABLE_DATA_LOADER_CHAINING, true,
            Principal.class, new Principal("K0000000000000001", Role.AUDITOR, null)))
        .build()).get(30, TimeUnit.SECONDS);
    assertTrue(result.getErrors().isEmpty(), result.getErrors().toString());
    List<?> edges = (List<?>) ((Map<?, ?>) ((Map<?, ?>) result.getData()).get("blocks")).get("edges");
    assertEquals(pageSize, edges.size());
    return statements.get();
  }
}
