package org.carbonledger.api;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.carbonledger.api.AccessPolicy.MutationKind;
import org.carbonledger.registry.AccountType;
import org.carbonledger.registry.RejectCode;
import org.carbonledger.registry.Transfer;
import org.carbonledger.store.CommandRejectedException;
import org.carbonledger.store.GroupRejectedException;
import org.carbonledger.store.IdempotencyKey;
import org.carbonledger.store.LedgerCommand;
import org.carbonledger.store.LogWriter;
import org.carbonledger.store.RegistryCommand;
import org.carbonledger.store.RegistryReader;
import org.carbonledger.store.WriterOverloadedException;

/**
 * SettlementMutations resolve {@code settleTransfers}: a market's settlement batch, a list of transfers written
 * all or none (LogWriter.appendAll). Each transfer is still its own UNITS_TRANSFERRED entry, so replay, custody
 * and statements need nothing new; the batch only makes them atomic. Every source account must pass the
 * access policy before anything is queued, and one denial refuses the whole batch.
 */
final class SettlementMutations {

  /**
   * Most transfers in one settlement batch: a day of TSE call auctions fits with room to spare, and it equals the
   * writer's default batchSizeMax, so a settlement never needs more than one writer transaction.
   */
  static final int SETTLEMENT_TRANSFERS_MAX = 500;

  private static final String MOVEMENT_PAYLOAD = "MovementPayload";

  private final Supplier<LogWriter> writer;
  private final RegistryReader registry;
  private final WriterShares shares;

  SettlementMutations(Supplier<LogWriter> writer, RegistryReader registry, WriterShares shares) {
    this.writer = writer;
    this.registry = registry;
    this.shares = shares;
  }

  void wire(RuntimeWiring.Builder wiring) {
    wiring.type("Mutation", mutation -> mutation.dataFetcher("settleTransfers", LedgerResolvers.async(this::settle)));
  }

  private Future<Map<String, Object>> settle(DataFetchingEnvironment environment) {
    Principal principal = RegistryMutations.principal(environment);
    Map<String, Object> input = environment.getArgument("input");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> items = (List<Map<String, Object>>) input.get("transfers");
    return allowAll(principal, items).compose(allowed -> {
      if (items.isEmpty() || items.size() > SETTLEMENT_TRANSFERS_MAX) {
        return Future.succeededFuture(rejected(RejectCode.FIELD_INVALID.name(),
            "transfers: give 1 to " + SETTLEMENT_TRANSFERS_MAX + " transfers, not " + items.size(), List.of()));
      }
      IdempotencyKey key;
      try {
        key = RegistryMutations.idempotencyKey(environment, principal, input);
      } catch (RegistryMutations.InputProblem problem) {
        return Future.succeededFuture(rejected(RejectCode.FIELD_INVALID.name(), problem.getMessage(), List.of()));
      }
      List<LedgerCommand> commands = new ArrayList<>(items.size());
      List<GroupRejectedException.ItemRejection> problems = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        try {
          commands.add(new RegistryCommand(transfer(items.get(i)), principal.principalId()));
        } catch (RegistryMutations.InputProblem problem) {
          problems.add(new GroupRejectedException.ItemRejection(i, RejectCode.FIELD_INVALID.name(), problem.getMessage()));
        }
      }
      if (!problems.isEmpty()) {
        return Future.succeededFuture(failed(problems));
      }
      // Each transfer counts against the key's share of the writer, not the settlement once: 500 commands cost the
      // writer as much as 500 transfers do, though the rate limit charges them one request.
      return shares.submit(principal, commands.size(), () -> writer.get().appendAll(commands, key))
          .map(SettlementMutations::settled).recover(SettlementMutations::answerFailure);
    });
  }

  /**
   * Checks every transfer's source account against the access policy, loading them all in one read; fails with
   * the first denial (naming the transfer's index), so nothing is queued unless every transfer is allowed.
   */
  private Future<Void> allowAll(Principal principal, List<Map<String, Object>> items) {
    Set<String> sources = new LinkedHashSet<>();
    items.forEach(item -> sources.add(RegistryMutations.string(item, "fromAccountId")));
    return registry.accounts(sources).compose(found -> {
      for (int i = 0; i < items.size(); i++) {
        var account = found.get(RegistryMutations.string(items.get(i), "fromAccountId"));
        AccessPolicy.AccountFacts source = account == null ? null
            : new AccessPolicy.AccountFacts(account.accountId(), account.holderId(), AccountType.valueOf(account.type()));
        AccessPolicy.Access access = AccessPolicy.mutation(MutationKind.SETTLE_TRANSFERS, principal, source);
        if (!access.allowed()) {
          return Future.failedFuture(new ApiException(access.denial().name(), "transfers[" + i + "]: " + access.message()));
        }
      }
      return Future.succeededFuture();
    });
  }

  private static Transfer transfer(Map<String, Object> item) {
    return new Transfer(RegistryMutations.string(item, "fromAccountId"), RegistryMutations.string(item, "toAccountId"),
        RegistryMutations.selection(item.get("units")), RegistryMutations.string(item, "reference"));
  }

  /** The answer of a written (or replayed) settlement: each transfer's movement payload, in input order. */
  private static Map<String, Object> settled(List<LogWriter.Appended> appended) {
    List<Map<String, Object>> transfers = new ArrayList<>(appended.size());
    List<Long> seqs = new ArrayList<>(appended.size());
    for (LogWriter.Appended entry : appended) {
      transfers.add(RegistryMutations.accepted(MOVEMENT_PAYLOAD, entry));
      seqs.add(entry.seq());
    }
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("seqs", seqs);
    payload.put("transfers", transfers);
    payload.put("userErrors", List.of());
    payload.put("failures", List.of());
    return payload;
  }

  private static Future<Map<String, Object>> answerFailure(Throwable failure) {
    if (failure instanceof GroupRejectedException group) {
      return Future.succeededFuture(failed(group.rejections()));
    }
    if (failure instanceof CommandRejectedException rejection) {
      return Future.succeededFuture(rejected(rejection.code(), rejection.getMessage(), List.of()));
    }
    if (failure instanceof WriterOverloadedException) {
      return Future.failedFuture(new ApiException(RegistryMutations.OVERLOADED, failure.getMessage()));
    }
    return Future.failedFuture(failure);
  }

  /** Nothing written because items broke rules: each is a failure and, for clients that read only those, a user error. */
  private static Map<String, Object> failed(List<GroupRejectedException.ItemRejection> rejections) {
    List<Map<String, Object>> failures = new ArrayList<>();
    List<Map<String, Object>> userErrors = new ArrayList<>();
    for (GroupRejectedException.ItemRejection rejection : rejections) {
      failures.add(Map.of("index", rejection.index(), "code", rejection.code(), "message", rejection.message()));
      userErrors.add(Map.of("code", rejection.code(), "message", "transfers[" + rejection.index() + "]: " + rejection.message()));
    }
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("seqs", List.of());
    payload.put("transfers", List.of());
    payload.put("userErrors", userErrors);
    payload.put("failures", failures);
    return payload;
  }

  private static Map<String, Object> rejected(String code, String message, List<Map<String, Object>> failures) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("seqs", List.of());
    payload.put("transfers", List.of());
    payload.put("userErrors", List.of(Map.of("code", code, "message", message)));
    payload.put("failures", failures);
    return payload;
  }
}
