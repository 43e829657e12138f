package org.carbonledger.api;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import io.vertx.core.Future;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.carbonledger.ledger.EntryCodec;
import org.carbonledger.ledger.Hex;
import org.carbonledger.ledger.LedgerEntry;
import org.carbonledger.ledger.LedgerException;
import org.carbonledger.registry.AccountStatus;
import org.carbonledger.registry.AccountType;
import org.carbonledger.registry.ApplyCorrespondingAdjustment;
import org.carbonledger.registry.AuthorisationPurpose;
import org.carbonledger.registry.Cancel;
import org.carbonledger.registry.CancellationReason;
import org.carbonledger.registry.ChangeAccountStatus;
import org.carbonledger.registry.Command;
import org.carbonledger.registry.CompliancePeriod;
import org.carbonledger.registry.CorsiaDetails;
import org.carbonledger.registry.FirstTransferDefinition;
import org.carbonledger.registry.Issue;
import org.carbonledger.registry.MitigationType;
import org.carbonledger.registry.OpenAccount;
import org.carbonledger.registry.OtherRegistration;
import org.carbonledger.registry.Period;
import org.carbonledger.registry.ProjectCategory;
import org.carbonledger.registry.RecordAuthorisation;
import org.carbonledger.registry.RegisterProject;
import org.carbonledger.registry.RejectCode;
import org.carbonledger.registry.Retire;
import org.carbonledger.registry.RetirementPurpose;
import org.carbonledger.registry.SerialRange;
import org.carbonledger.registry.Transfer;
import org.carbonledger.registry.TseMarketClass;
import org.carbonledger.registry.UnitSelection;
import org.carbonledger.store.CommandRejectedException;
import org.carbonledger.store.IdempotencyKey;
import org.carbonledger.store.LogReader.StoredEntry;
import org.carbonledger.store.LogWriter;
import org.carbonledger.store.RegistryCommand;
import org.carbonledger.store.WriterOverloadedException;
import org.carbonledger.store.RegistryReader;
import org.carbonledger.store.RegistryRows;
import org.carbonledger.api.AccessPolicy.MutationKind;

/**
 * RegistryMutations turn GraphQL inputs into registry commands, hand them to the writer, and answer with a
 * payload: the entry's seq and leaf hash and the object it made or changed, or the rule it broke as a user
 * error (a rejection is data, not a GraphQL error). The answer comes only after the entry is committed. An
 * input's idempotencyKey is checked first and passed to the writer with the request's fingerprint, so a repeat
 * answers the original entry (docs/API.md, "Safe retries: idempotency keys").
 */
final class RegistryMutations {

  /** The writer's queue, or the key's share of it (WriterShares), is full: retry after a short pause. */
  static final String OVERLOADED = "OVERLOADED";
  /** The key under which a payload map names its GraphQL type. */
  static final String TYPE_NAME = "__payloadType";

  /** The most source accounts whose facts are kept; past it, the others are read each time. */
  static final int ACCOUNT_FACTS_CACHED_MAX = 100_000;

  /** Asked for when a mutation runs: a read-only server has none, and refuses mutations before they run. */
  private final Supplier<LogWriter> writer;
  private final RegistryReader registry;
  /** Each key's share of the writer, shared with settlements: one key must not fill the queue every client needs. */
  private final WriterShares shares = new WriterShares(WriterShares.COMMANDS_PER_KEY_MAX);
  /**
   * Facts of source accounts already read. Safe to keep: an account's holder and type are fixed when it opens (no
   * entry changes them), and only accounts that exist are kept. Emptied when the writer finds that the database
   * holds another log than it replayed (an id may then name another account).
   */
  private final Map<String, AccessPolicy.AccountFacts> accountFacts = new java.util.concurrent.ConcurrentHashMap<>();
  /** The writer's registry generation the kept facts were read under. */
  private final java.util.concurrent.atomic.AtomicLong factsGeneration = new java.util.concurrent.atomic.AtomicLong();

  RegistryMutations(Supplier<LogWriter> writer, RegistryReader registry) {
    this.writer = writer;
    this.registry = registry;
  }

  void wire(RuntimeWiring.Builder wiring) {
    wiring.type("Mutation", mutation -> mutation
        .dataFetcher("openAccount", command(MutationKind.OPEN_ACCOUNT, null, input -> new OpenAccount(string(input, "holderId"), string(input, "holderName"),
            string(input, "holderCountry"), string(input, "name"), AccountType.valueOf(string(input, "type")), string(input, "program"))))
        .dataFetcher("suspendAccount", command(MutationKind.SUSPEND_ACCOUNT, null, input -> statusChange(input, AccountStatus.SUSPENDED)))
        .dataFetcher("reactivateAccount", command(MutationKind.REACTIVATE_ACCOUNT, null, input -> statusChange(input, AccountStatus.ACTIVE)))
        .dataFetcher("closeAccount", command(MutationKind.CLOSE_ACCOUNT, null, input -> statusChange(input, AccountStatus.CLOSED)))
        .dataFetcher("registerProject", command(MutationKind.REGISTER_PROJECT, null, RegistryMutations::registerProject))
        .dataFetcher("recordAuthorisation", command(MutationKind.RECORD_AUTHORISATION, null, input -> new RecordAuthorisation(string(input, "hostCountry"),
            string(input, "loaReference"), (LocalDate) input.get("loaDate"), AuthorisationPurpose.valueOf(string(input, "purpose")),
            FirstTransferDefinition.valueOf(string(input, "firstTransferDefinition")), number(input, "authorisedQuantity"),
            (Integer) input.get("vintageFrom"), (Integer) input.get("vintageTo"),
            Boolean.TRUE.equals(input.get("correspondingAdjustmentAttested")),
            input.get("projectIds") == null ? null : strings(input.get("projectIds")))))
        .dataFetcher("issueUnits", command(MutationKind.ISSUE_UNITS, null, input -> new Issue(string(input, "projectId"), period(input.get("monitoringPeriod")),
            (Integer) input.get("vintage"), number(input, "quantity"), string(input, "unitType"), strings(input.get("labels")),
            string(input, "authorisationId"), (Long) input.get("serialStart"))))
        .dataFetcher("transferUnits", command(MutationKind.TRANSFER_UNITS, "fromAccountId", input -> new Transfer(string(input, "fromAccountId"), string(input, "toAccountId"),
            selection(input.get("units")), string(input, "reference"))))
        .dataFetcher("retireUnits", command(MutationKind.RETIRE_UNITS, "accountId", RegistryMutations::retire))
        .dataFetcher("cancelUnits", command("accountId",
            (principal, source, input) -> AccessPolicy.cancellation(principal, source, CancellationReason.valueOf(string(input, "reason"))),
            input -> new Cancel(string(input, "accountId"), selection(input.get("units")),
            CancellationReason.valueOf(string(input, "reason")), string(input, "targetRegistry"),
            string(input, "externalReference"), string(input, "note"))))
        .dataFetcher("applyCorrespondingAdjustment", command(MutationKind.APPLY_CORRESPONDING_ADJUSTMENT, null, input -> new ApplyCorrespondingAdjustment(string(input, "issuanceId"),
            string(input, "hostCountry"), string(input, "reportReference")))));
    new SettlementMutations(writer, registry, shares).wire(wiring);
    wiring.type("AccountPayload", type -> type.dataFetcher("account", environment -> Loaders.load(environment, Loaders.ACCOUNT, resultId(environment, "accountId"))));
    wiring.type("ProjectPayload", type -> type.dataFetcher("project", environment -> Loaders.load(environment, Loaders.PROJECT, resultId(environment, "projectId"))));
    wiring.type("AuthorisationPayload", type -> type.dataFetcher("authorisation",
        environment -> Loaders.load(environment, Loaders.AUTHORISATION, resultId(environment, "authorisationId"))));
    wiring.type("IssuancePayload", type -> type.dataFetcher("issuance", environment -> Loaders.load(environment, Loaders.ISSUANCE, resultId(environment, "issuanceId"))));
    wiring.type("MutationPayload", type -> type.typeResolver(environment -> environment.getSchema().getObjectType(
        (String) ((Map<?, ?>) environment.getObject()).get(TYPE_NAME))));
  }

  /** InputProblem is input the rules never see because it does not even name one command. */
  static final class InputProblem extends RuntimeException {
    InputProblem(String message) {
      super(message, null, false, false);
    }
  }

  private interface CommandFromInput {
    Command from(Map<String, Object> input);
  }

  /** AccessCheck asks the access policy about one mutation's input, given its source account's facts. */
  private interface AccessCheck {
    AccessPolicy.Access of(Principal principal, AccessPolicy.AccountFacts source, Map<String, Object> input);
  }

  /**
   * The resolver of one mutation: checks the principal against the access policy (for movements, against the
   * source account named by input field {@code sourceAccountField}) before anything is queued, builds the
   * command, and answers its payload.
   */
  private graphql.schema.DataFetcher<java.util.concurrent.CompletionStage<Map<String, Object>>> command(
      MutationKind kind, String sourceAccountField, CommandFromInput build) {
    return command(sourceAccountField, (principal, source, input) -> AccessPolicy.mutation(kind, principal, source), build);
  }

  private graphql.schema.DataFetcher<java.util.concurrent.CompletionStage<Map<String, Object>>> command(
      String sourceAccountField, AccessCheck accessCheck, CommandFromInput build) {
    return LedgerResolvers.async(environment -> {
      Principal principal = principal(environment);
      Map<String, Object> input = environment.getArgument("input");
      return sourceAccount(sourceAccountField == null ? null : string(input, sourceAccountField)).compose(source -> {
        AccessPolicy.Access access = accessCheck.of(principal, source, input);
        if (!access.allowed()) {
          return Future.failedFuture(new ApiException(access.denial().name(), access.message()));
        }
        return run(environment, principal, build, input);
      });
    });
  }

  /** The facts of the account units would leave, or null when there is none (or no such field). */
  private Future<AccessPolicy.AccountFacts> sourceAccount(String accountId) {
    if (accountId == null) {
      return Future.succeededFuture(null);
    }
    long generation = writer.get().registryGeneration();
    long kept = factsGeneration.get();
    if (generation != kept && factsGeneration.compareAndSet(kept, generation)) {
      accountFacts.clear();
    }
    AccessPolicy.AccountFacts known = accountFacts.get(accountId);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return registry.accounts(List.of(accountId)).map(found -> {
      RegistryRows.AccountRow account = found.get(accountId);
      if (account == null) {
        return null;
      }
      AccessPolicy.AccountFacts facts = new AccessPolicy.AccountFacts(account.accountId(), account.holderId(),
          AccountType.valueOf(account.type()));
      if (accountFacts.size() < ACCOUNT_FACTS_CACHED_MAX) {
        accountFacts.put(accountId, facts);
      }
      return facts;
    });
  }

  /** The request's principal; PUBLIC when the request carried none (in-process callers). */
  static Principal principal(DataFetchingEnvironment environment) {
    Principal principal = environment.getGraphQlContext().get(Principal.class);
    return principal == null ? Principal.PUBLIC : principal;
  }

  private Future<Map<String, Object>> run(DataFetchingEnvironment environment, Principal principal, CommandFromInput build,
                                          Map<String, Object> input) {
    // The payload's concrete type, for the MutationPayload interface.
    String typeName = graphql.schema.GraphQLTypeUtil.unwrapAll(environment.getFieldType()).getName();
    IdempotencyKey key;
    Command command;
    try {
      key = idempotencyKey(environment, principal, input);
      command = build.from(input);
    } catch (InputProblem problem) {
      return Future.succeededFuture(rejected(typeName, RejectCode.FIELD_INVALID.name(), problem.getMessage()));
    }
    RegistryCommand queued = new RegistryCommand(command, principal.principalId());
    return shares.submit(principal, 1, () -> writer.get().append(queued, key))
        .map(appended -> accepted(typeName, appended))
        .recover(failure -> {
          if (failure instanceof CommandRejectedException rejection) {
            return Future.succeededFuture(rejected(typeName, rejection.code(), rejection.getMessage()));
          }
          if (failure instanceof WriterOverloadedException) {
            return Future.failedFuture(new ApiException(OVERLOADED, failure.getMessage()));
          }
          return Future.failedFuture(failure);
        });
  }

  /**
   * The input's idempotency key, scoped to the principal and bound to the fingerprint of this mutation and input;
   * null when the input has none. Throws InputProblem for a malformed key: the key is checked before the command.
   */
  static IdempotencyKey idempotencyKey(DataFetchingEnvironment environment, Principal principal, Map<String, Object> input) {
    String key = string(input, RequestFingerprint.KEY_FIELD);
    if (key == null) {
      return null;
    }
    String problem = IdempotencyKey.problem(key);
    if (problem != null) {
      throw new InputProblem(problem);
    }
    byte[] fingerprint;
    try {
      fingerprint = RequestFingerprint.of(environment.getField().getName(), input);
    } catch (LedgerException e) {
      // A text with an unpaired surrogate has no canonical JSON; the rules refuse such text anyway (FIELD_INVALID),
      // and a refused command stores no key, so the request is refused here as it would be there.
      throw new InputProblem("the input holds text that is not valid Unicode: " + e.detail());
    }
    return new IdempotencyKey(principal.principalId(), key, fingerprint);
  }

  /** The payload of a committed command: its entry, and the data members that name its result. */
  static Map<String, Object> accepted(String typeName, LogWriter.Appended appended) {
    LedgerEntry entry = EntryCodec.decode(appended.entryBytes());
    Map<String, Object> payload = new LinkedHashMap<>(entry.data());
    payload.put(TYPE_NAME, typeName);
    payload.put("seq", appended.seq());
    payload.put("leafHash", Hex.encode(appended.leafHash()));
    payload.put("userErrors", List.of());
    payload.put("entry", LedgerResolvers.entry(new StoredEntry(appended.seq(), appended.leafHash(), appended.type(),
        entry.time(), appended.entryBytes()), entry));
    Object blocks = entry.data().get("blocks");
    if (blocks != null) {
      payload.put("serialRanges", blocks);
    }
    return payload;
  }

  static Map<String, Object> rejected(String typeName, String code, String message) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put(TYPE_NAME, typeName);
    payload.put("seq", null);
    payload.put("leafHash", null);
    payload.put("userErrors", List.of(Map.of("code", code, "message", message)));
    return payload;
  }

  private static String resultId(DataFetchingEnvironment environment, String name) {
    return (String) environment.<Map<String, Object>>getSource().get(name);
  }

  private static ChangeAccountStatus statusChange(Map<String, Object> input, AccountStatus status) {
    return new ChangeAccountStatus(string(input, "accountId"), status, string(input, "reason"));
  }

  private static RegisterProject registerProject(Map<String, Object> input) {
    List<OtherRegistration> others = new ArrayList<>();
    for (Map<String, Object> other : objects(input.get("otherRegistrations"))) {
      others.add(new OtherRegistration(string(other, "program"), string(other, "projectId"), period(other.get("period")),
          (Boolean) other.get("cancelled")));
    }
    String tse = string(input, "tseMarketClass");
    return new RegisterProject(string(input, "program"), string(input, "programProjectId"), string(input, "name"),
        string(input, "hostCountry"), string(input, "methodology"), ProjectCategory.valueOf(string(input, "category")),
        MitigationType.valueOf(string(input, "mitigationType")), period(input.get("creditingPeriod")),
        (LocalDate) input.get("activityStart"), tse == null ? null : TseMarketClass.valueOf(tse), others);
  }

  private static Retire retire(Map<String, Object> input) {
    @SuppressWarnings("unchecked")
    Map<String, Object> corsia = (Map<String, Object>) input.get("corsia");
    return new Retire(string(input, "accountId"), selection(input.get("units")), RetirementPurpose.valueOf(string(input, "purpose")),
        string(input, "beneficiaryName"), string(input, "beneficiaryId"),
        input.get("claimPeriod") == null ? null : period(input.get("claimPeriod")), (Integer) input.get("reportingYear"),
        corsia == null ? null : new CorsiaDetails(string(corsia, "operator"), string(corsia, "operatorState"),
            CompliancePeriod.valueOf(string(corsia, "compliancePeriod"))),
        string(input, "ndcCountry"), string(input, "note"));
  }

  /** Explicit serial ranges or a quantity with filters; exactly one of the two. */
  @SuppressWarnings("unchecked")
  static UnitSelection selection(Object value) {
    Map<String, Object> units = (Map<String, Object>) value;
    List<Map<String, Object>> ranges = objects(units.get("serialRanges"));
    Long quantity = (Long) units.get("quantity");
    boolean filtered = units.get("issuanceId") != null || units.get("projectId") != null || units.get("vintage") != null;
    if ((units.get("serialRanges") == null) == (quantity == null)) {
      throw new InputProblem("units: give either serialRanges or quantity");
    }
    if (quantity == null) {
      if (filtered) {
        throw new InputProblem("units: issuanceId, projectId and vintage filter a quantity, not serialRanges");
      }
      List<SerialRange> serials = new ArrayList<>();
      ranges.forEach(range -> serials.add(new SerialRange((Long) range.get("start"), (Long) range.get("end"))));
      return new UnitSelection.Ranges(serials);
    }
    return new UnitSelection.ByQuantity(quantity, string(units, "issuanceId"), string(units, "projectId"), (Integer) units.get("vintage"));
  }

  @SuppressWarnings("unchecked")
  private static Period period(Object value) {
    Map<String, Object> period = (Map<String, Object>) value;
    return new Period((LocalDate) period.get("start"), (LocalDate) period.get("end"));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> objects(Object value) {
    return value == null ? List.of() : (List<Map<String, Object>>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Object value) {
    return value == null ? List.of() : (List<String>) value;
  }

  static String string(Map<String, Object> input, String name) {
    return (String) input.get(name);
  }

  private static long number(Map<String, Object> input, String name) {
    return (Long) input.get(name);
  }
}
