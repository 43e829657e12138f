package org.carbonledger.api;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import org.carbonledger.store.RegistryReader;
import org.carbonledger.store.RegistryRows.AccountRow;
import org.carbonledger.store.TransferReader;
import org.carbonledger.store.TransferReader.TransferFilter;

/**
 * TransferQueries resolve {@code transfers}: transfers found by the exchange's trade reference, an account or a
 * seq range. They are private like holdings (AccessPolicy ACCOUNT_DETAILS): operators see every transfer, an
 * ACCOUNT_HOLDER only those touching its holder's accounts, and a request without a key none.
 */
final class TransferQueries {

  private final TransferReader transfers;
  private final RegistryReader registry;

  TransferQueries(TransferReader transfers, RegistryReader registry) {
    this.transfers = transfers;
    this.registry = registry;
  }

  void wire(RuntimeWiring.Builder wiring) {
    wiring.type("Query", query -> query.dataFetcher("transfers", LedgerResolvers.async(this::transfers)));
  }

  private Future<Map<String, Object>> transfers(DataFetchingEnvironment environment) {
    int first = Connections.first(environment);
    Map<String, Object> filter = Connections.filter(environment);
    String afterText = Cursors.decodeText("transfer", environment.getArgument("after"));
    Long after = afterText == null ? null : Cursors.decode("transfer", environment.getArgument("after"));
    return holderScope(RegistryMutations.principal(environment), (String) filter.get("accountId"))
        .compose(holderId -> transfers.page(new TransferFilter((String) filter.get("reference"), (String) filter.get("accountId"),
            (Long) filter.get("fromSeq"), (Long) filter.get("toSeq"), holderId), after, first + 1))
        .map(rows -> Connections.of(rows, first, after != null, "transfer", row -> Long.toString(row.seq())));
  }

  /**
   * The holder whose accounts the page is narrowed to: none for operators, the key's holder for an
   * ACCOUNT_HOLDER. Naming another holder's account is refused, not silently narrowed to nothing.
   */
  private Future<String> holderScope(Principal principal, String accountId) {
    if (principal.role() != Role.ACCOUNT_HOLDER || accountId == null) {
      RegistryQueries.allow(AccessPolicy.read(AccessPolicy.ReadKind.ACCOUNT_DETAILS, principal, principal.holderId()));
      return Future.succeededFuture(principal.holderId());
    }
    return registry.accounts(List.of(accountId)).map(found -> {
      AccountRow account = found.get(accountId);
      RegistryQueries.allow(AccessPolicy.read(AccessPolicy.ReadKind.ACCOUNT_DETAILS, principal,
          account == null ? null : account.holderId()));
      return principal.holderId();
    });
  }
}
