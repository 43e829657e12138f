package org.carbonledger.api;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.carbonledger.store.RegistryReader;
import org.carbonledger.store.RegistryReader.Condition;
import org.carbonledger.store.RegistryRows.AccountRow;
import org.carbonledger.store.RegistryRows.BlockRowView;
import org.carbonledger.store.RegistryRows.IssuanceRow;
import org.carbonledger.store.RegistryRows.ProjectRow;
import org.carbonledger.store.RegistryRows.RetirementRow;

/**
 * RegistryQueries resolve the registry's read side: single objects through the request's DataLoaders,
 * lists as keyset-paged connections, and the nested fields of each type.
 */
final class RegistryQueries {

  private final RegistryReader reader;

  RegistryQueries(RegistryReader reader) {
    this.reader = reader;
  }

  void wire(RuntimeWiring.Builder wiring) {
    wiring.type("Query", query -> query
        .dataFetcher("accountHolder", environment -> {
          String holderId = environment.getArgument("holderId");
          allow(AccessPolicy.read(AccessPolicy.ReadKind.ACCOUNT_HOLDER_DETAILS, RegistryMutations.principal(environment), holderId));
          return Loaders.load(environment, Loaders.HOLDER, holderId);
        })
        .dataFetcher("account", environment -> Loaders.<AccountRow>load(environment, Loaders.ACCOUNT, environment.getArgument("accountId"))
            .thenApply(account -> {
              if (account != null) {
                allowAccount(environment, account);
              }
              return account;
            }))
        .dataFetcher("accounts", LedgerResolvers.async(this::accounts))
        .dataFetcher("project", environment -> Loaders.load(environment, Loaders.PROJECT, environment.getArgument("projectId")))
        .dataFetcher("projects", LedgerResolvers.async(this::projects))
        .dataFetcher("authorisation", environment -> Loaders.load(environment, Loaders.AUTHORISATION, environment.getArgument("authorisationId")))
        .dataFetcher("issuance", environment -> Loaders.load(environment, Loaders.ISSUANCE, environment.getArgument("issuanceId")))
        .dataFetcher("issuances", LedgerResolvers.async(this::issuances))
        .dataFetcher("blocks", LedgerResolvers.async(this::blocks))
        .dataFetcher("retirements", LedgerResolvers.async(this::retirements))
        .dataFetcher("statistics", LedgerResolvers.async(this::statistics))
        .dataFetcher("conservation", LedgerResolvers.async(environment -> reader.conservation(environment.getArgument("projectId")))));
    wiring.type("AccountHolder", type -> type
        .dataFetcher("accounts", environment -> Loaders.loadList(environment, Loaders.ACCOUNTS_OF_HOLDER,
            environment.<org.carbonledger.store.RegistryRows.HolderRow>getSource().holderId())));
    // An account's name, holder and balance are private (docs/API.md, "Transparency policy"); its id, type,
    // program and status are in the public log anyway.
    wiring.type("Account", type -> type
        .dataFetcher("name", environment -> allowAccount(environment, environment.getSource()).name())
        .dataFetcher("holder", environment -> Loaders.load(environment, Loaders.HOLDER,
            allowAccount(environment, environment.getSource()).holderId()))
        .dataFetcher("balance", environment -> {
          AccountRow account = allowAccount(environment, environment.getSource());
          if (account.activeUnits() == null) {
            throw new IllegalStateException("account " + account.accountId() + " has no balance row: the projection does not match the log");
          }
          return account.activeUnits();
        }));
    wiring.type("Project", type -> type
        .dataFetcher("otherRegistrations", environment -> Loaders.loadList(environment, Loaders.OTHER_REGISTRATIONS,
            environment.<ProjectRow>getSource().projectId()))
        .dataFetcher("issuances", environment -> Loaders.loadList(environment, Loaders.ISSUANCES_OF_PROJECT,
            environment.<ProjectRow>getSource().projectId())));
    wiring.type("Issuance", type -> type
        .dataFetcher("project", environment -> Loaders.load(environment, Loaders.PROJECT, environment.<IssuanceRow>getSource().projectId()))
        .dataFetcher("account", environment -> Loaders.load(environment, Loaders.ACCOUNT, environment.<IssuanceRow>getSource().accountId()))
        .dataFetcher("authorisation", environment -> Loaders.load(environment, Loaders.AUTHORISATION,
            environment.<IssuanceRow>getSource().authorisationId()))
        .dataFetcher("serialNumber", environment -> serialNumber(environment, environment.<IssuanceRow>getSource(),
            environment.<IssuanceRow>getSource().serialStart(), environment.<IssuanceRow>getSource().serialEnd())));
    wiring.type("Block", type -> type
        .dataFetcher("account", environment -> Loaders.load(environment, Loaders.ACCOUNT, environment.<BlockRowView>getSource().accountId()))
        .dataFetcher("issuance", environment -> Loaders.load(environment, Loaders.ISSUANCE, environment.<BlockRowView>getSource().issuanceId()))
        .dataFetcher("serialNumber", environment -> {
          BlockRowView block = environment.getSource();
          // Chained loaders: the block's issuance, then that issuance's project.
          return Loaders.<IssuanceRow>load(environment, Loaders.ISSUANCE, block.issuanceId())
              .thenCompose(issuance -> serialNumber(environment, issuance, block.serialStart(), block.serialEnd()));
        }));
    wiring.type("Retirement", type -> type
        .dataFetcher("serialRanges", LedgerResolvers.async(environment -> {
          long seq = environment.<RetirementRow>getSource().seq();
          return reader.movedRanges(List.of(seq)).map(ranges -> ranges.getOrDefault(seq, List.of()).stream()
              .map(range -> Map.of("start", range[0], "end", range[1])).toList());
        })));
  }

  /** The human-readable serial number of serials {@code start..end} of an issuance. */
  static CompletionStage<String> serialNumber(DataFetchingEnvironment environment, IssuanceRow issuance, long start, long end) {
    return Loaders.<ProjectRow>load(environment, Loaders.PROJECT, issuance.projectId())
        .thenApply(project -> SerialNumberText.format(project, issuance, start, end));
  }

  /** Throws the policy's denial as an ApiException; returns quietly when allowed. */
  static void allow(AccessPolicy.Access access) {
    if (!access.allowed()) {
      throw new ApiException(access.denial().name(), access.message());
    }
  }

  /** The account, once the request's principal may see its private details. */
  static AccountRow allowAccount(DataFetchingEnvironment environment, AccountRow account) {
    allow(AccessPolicy.read(AccessPolicy.ReadKind.ACCOUNT_DETAILS, RegistryMutations.principal(environment), account.holderId()));
    return account;
  }

  private Future<Map<String, Object>> accounts(DataFetchingEnvironment environment) {
    int first = Connections.first(environment);
    Map<String, Object> filter = new java.util.HashMap<>(Connections.filter(environment));
    Principal principal = RegistryMutations.principal(environment);
    if (principal.role() == Role.ACCOUNT_HOLDER) {
      // A holder lists its own accounts; asking for another holder's is refused, not silently narrowed.
      allow(AccessPolicy.read(AccessPolicy.ReadKind.ACCOUNT_DETAILS, principal,
          filter.getOrDefault("holderId", principal.holderId()).toString()));
      filter.put("holderId", principal.holderId());
    } else {
      allow(AccessPolicy.read(AccessPolicy.ReadKind.ACCOUNT_DETAILS, principal, null));
    }
    String after = Cursors.decodeText("account", environment.getArgument("after"));
    return reader.accountPage(List.of(
            new Condition("holder_id = ?", filter.get("holderId")),
            new Condition("type = ?", filter.get("type")),
            new Condition("status = ?", filter.get("status"))), after, first + 1)
        .map(rows -> Connections.of(rows, first, after != null, "account", AccountRow::accountId));
  }

  private Future<Map<String, Object>> projects(DataFetchingEnvironment environment) {
    int first = Connections.first(environment);
    Map<String, Object> filter = Connections.filter(environment);
    String after = Cursors.decodeText("project", environment.getArgument("after"));
    return reader.projectPage(List.of(
            new Condition("program = ?", filter.get("program")),
            new Condition("host_country = ?", filter.get("hostCountry")),
            new Condition("category = ?", filter.get("category")),
            new Condition("mitigation_type = ?", filter.get("mitigationType"))), after, first + 1)
        .map(rows -> Connections.of(rows, first, after != null, "project", ProjectRow::projectId));
  }

  private Future<Map<String, Object>> issuances(DataFetchingEnvironment environment) {
    int first = Connections.first(environment);
    Map<String, Object> filter = Connections.filter(environment);
    String after = Cursors.decodeText("issuance", environment.getArgument("after"));
    return reader.issuancePage(List.of(
            new Condition("i.project_id = ?", filter.get("projectId")),
            new Condition("p.program = ?", filter.get("program")),
            new Condition("i.vintage >= ?", filter.get("vintageFrom")),
            new Condition("i.vintage <= ?", filter.get("vintageTo"))), after, first + 1)
        .map(rows -> Connections.of(rows, first, after != null, "issuance", IssuanceRow::issuanceId));
  }

  private Future<Map<String, Object>> blocks(DataFetchingEnvironment environment) {
    int first = Connections.first(environment);
    Map<String, Object> filter = Connections.filter(environment);
    return allowBlocks(environment, filter).compose(allowed -> blockPage(environment, first, filter));
  }

  /**
   * Holdings are private: a block list is public only for final states (retired and cancelled units are
   * published anyway); otherwise it must name an account the principal may see, unless it is an operator.
   */
  private Future<Void> allowBlocks(DataFetchingEnvironment environment, Map<String, Object> filter) {
    Principal principal = RegistryMutations.principal(environment);
    Object state = filter.get("state");
    if ("RETIRED".equals(state) || "CANCELLED".equals(state)) {
      return Future.succeededFuture();
    }
    String accountId = (String) filter.get("accountId");
    if (accountId == null) {
      allow(AccessPolicy.read(AccessPolicy.ReadKind.ACCOUNT_DETAILS, principal, null));
      return Future.succeededFuture();
    }
    return reader.accounts(List.of(accountId)).map(found -> {
      AccountRow account = found.get(accountId);
      allow(AccessPolicy.read(AccessPolicy.ReadKind.ACCOUNT_DETAILS, principal, account == null ? null : account.holderId()));
      return null;
    });
  }

  private Future<Map<String, Object>> blockPage(DataFetchingEnvironment environment, int first, Map<String, Object> filter) {
    String afterText = Cursors.decodeText("block", environment.getArgument("after"));
    Long after = afterText == null ? null : Cursors.decode("block", environment.getArgument("after"));
    return reader.blockPage(List.of(
            new Condition("b.account_id = ?", filter.get("accountId")),
            new Condition("b.issuance_id = ?", filter.get("issuanceId")),
            new Condition("i.project_id = ?", filter.get("projectId")),
            new Condition("p.program = ?", filter.get("program")),
            new Condition("b.state = ?", filter.get("state")),
            new Condition("i.vintage >= ?", filter.get("vintageFrom")),
            new Condition("i.vintage <= ?", filter.get("vintageTo"))), after, first + 1)
        .map(rows -> Connections.of(rows, first, after != null, "block", block -> Long.toString(block.serialStart())));
  }

  private Future<Map<String, Object>> retirements(DataFetchingEnvironment environment) {
    int first = Connections.first(environment);
    Map<String, Object> filter = Connections.filter(environment);
    String afterText = Cursors.decodeText("retirement", environment.getArgument("after"));
    Long before = afterText == null ? null : Cursors.decode("retirement", environment.getArgument("after"));
    return reader.retirementPage(List.of(
            new Condition("r.account_id = ?", filter.get("accountId")),
            new Condition("r.purpose = ?", filter.get("purpose"))), before, first + 1)
        .map(rows -> Connections.of(rows, first, before != null, "retirement", retirement -> Long.toString(retirement.seq())));
  }

  private Future<List<org.carbonledger.store.RegistryRows.StatisticsRow>> statistics(DataFetchingEnvironment environment) {
    String groupBy = environment.getArgument("groupBy");
    String column = groupBy == null ? null : switch (groupBy) {
      case "PROGRAM" -> "program";
      case "CATEGORY" -> "category";
      case "MITIGATION_TYPE" -> "mitigation_type";
      case "HOST_COUNTRY" -> "host_country";
      default -> throw new ApiException(ErrorCodes.BAD_USER_INPUT, "unknown statistics dimension " + groupBy);
    };
    return reader.statistics(column);
  }
}
