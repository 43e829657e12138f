package org.carbonledger.registry;

import org.carbonledger.ledger.Check;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Transitions applies entries to a {@link RegistryState}. Each entry type reads its data strictly, checks that it
 * fits the state (ids in sequence, referenced objects present, units held and active, no double issuance), and
 * only then changes anything, so a refused entry leaves the state as it was. The store's projections MUST make
 * the same changes:
 * <ul>
 *   <li>ACCOUNT_OPENED: creates the holder if {@code holder.holderId} is the next holder id (else it must exist
 *   with the same name and country), and the account, ACTIVE.</li>
 *   <li>ACCOUNT_STATUS_CHANGED: sets the account's status.</li>
 *   <li>PROJECT_REGISTERED, AUTHORISATION_RECORDED: create the object.</li>
 *   <li>UNITS_ISSUED: creates the issuance and one ACTIVE block {@code serialStart..serialEnd} in its
 *   account.</li>
 *   <li>UNITS_TRANSFERRED: for each range of {@code blocks}, splits the block holding it into up to three parts
 *   and gives the middle one to {@code toAccountId}, still ACTIVE.</li>
 *   <li>UNITS_RETIRED, UNITS_CANCELLED: the same split, the middle part stays with the account in state RETIRED or
 *   CANCELLED; and every issuance of those ranges whose firstTransfer is PENDING becomes DONE.</li>
 *   <li>CORRESPONDING_ADJUSTMENT_APPLIED: sets the issuance's correspondingAdjustment to APPLIED.</li>
 * </ul>
 * Not checked here, because they concern input rather than state: text lengths, CORSIA eligibility and the NDC
 * authorisation of retirements. A verifier that wants them re-runs {@link Rules}.
 */
final class Transitions {

  private Transitions() {}

  static void apply(RegistryState state, String entryType, Map<String, Object> data) {
    try {
      DataReader r = new DataReader(entryType, data);
      r.optionalString(EntryTypes.PRINCIPAL); // who asked: recorded for the audit trail, no effect on state
      switch (entryType) {
        case EntryTypes.ACCOUNT_OPENED -> accountOpened(state, r);
        case EntryTypes.ACCOUNT_STATUS_CHANGED -> accountStatusChanged(state, r);
        case EntryTypes.PROJECT_REGISTERED -> projectRegistered(state, r);
        case EntryTypes.AUTHORISATION_RECORDED -> authorisationRecorded(state, r);
        case EntryTypes.UNITS_ISSUED -> unitsIssued(state, r);
        case EntryTypes.UNITS_TRANSFERRED -> unitsTransferred(state, r);
        case EntryTypes.UNITS_RETIRED -> unitsRetired(state, r);
        case EntryTypes.UNITS_CANCELLED -> unitsCancelled(state, r);
        case EntryTypes.CORRESPONDING_ADJUSTMENT_APPLIED ->
            correspondingAdjustmentApplied(state, r);
        default -> throw new IllegalStateException("unknown entry type " + entryType);
      }
    } catch (IllegalArgumentException | DateTimeException | ArithmeticException e) {
      throw new IllegalStateException(entryType + " does not fit: " + e.getMessage(), e);
    }
  }

  private static void accountOpened(RegistryState state, DataReader r) {
    String accountId = r.string("accountId");
    DataReader h = r.object("holder");
    Holder holder = new Holder(h.string("holderId"), h.string("name"), h.string("country"));
    h.end();
    String name = r.string("name");
    String program = r.optionalString("program");
    AccountType type = r.enumValue("type", AccountType.class);
    r.end();
    Check.state(accountId.equals(Ids.format(Ids.Kind.ACCOUNT, state.accounts.size() + 1L)),
        "accountId " + accountId + " is not the next account id");
    Holder existing = state.holders.get(holder.holderId());
    boolean newHolder = existing == null;
    if (newHolder) {
      Check.state(holder.holderId().equals(Ids.format(Ids.Kind.HOLDER, state.holders.size() + 1L)),
          "holderId " + holder.holderId() + " is neither a holder nor the next holder id");
      Check.state(Countries.isAssigned(holder.country()), "holder country is not a country");
    } else {
      Check.state(existing.equals(holder), "holder " + holder.holderId() + " has another name or country");
    }
    Check.state((type == AccountType.ISSUANCE) == (program != null), "program is for ISSUANCE accounts only");
    Check.state(program == null || Tokens.isProgram(program), "program is not a program code");
    Check.state(program == null || !state.issuanceAccountByProgram.containsKey(program),
        "program " + program + " already has an issuance account");
    if (newHolder) {
      state.put(state.holders, holder.holderId(), holder);
    }
    state.put(state.accounts, accountId, new Account(accountId, holder.holderId(), name, type, program,
        AccountStatus.ACTIVE));
    if (program != null) {
      state.put(state.issuanceAccountByProgram, program, accountId);
    }
  }

  private static void accountStatusChanged(RegistryState state, DataReader r) {
    String accountId = r.string("accountId");
    r.string("reason");
    AccountStatus status = r.enumValue("status", AccountStatus.class);
    r.end();
    Account account = state.accounts.get(accountId);
    Check.state(account != null, "no account " + accountId);
    Check.state(account.status() != AccountStatus.CLOSED, "account " + accountId + " is closed");
    Check.state(account.status() != status, "account " + accountId + " already is " + status);
    Check.state(status != AccountStatus.CLOSED || state.blocks.activeQuantity(accountId) == 0,
        "account " + accountId + " holds active units");
    state.put(state.accounts, accountId, account.withStatus(status));
  }

  private static void projectRegistered(RegistryState state, DataReader r) {
    List<OtherRegistration> others = new ArrayList<>();
    List<?> items = r.list("otherRegistrations");
    for (int i = 0; i < items.size(); i++) {
      DataReader o = new DataReader("otherRegistrations[" + i + "]", items.get(i));
      others.add(new OtherRegistration(o.string("program"), o.string("projectId"), o.period("period"),
          o.bool("cancelled")));
      o.end();
    }
    Project project = new Project(r.string("projectId"), r.string("program"), r.string("programProjectId"),
        r.string("name"), r.string("hostCountry"), r.string("methodology"),
        r.enumValue("category", ProjectCategory.class), r.enumValue("mitigationType", MitigationType.class),
        r.period("creditingPeriod"), r.date("activityStart"),
        r.optionalString("tseMarketClass") == null ? null : r.enumValue("tseMarketClass", TseMarketClass.class),
        others);
    r.end();
    Check.state(project.projectId().equals(Ids.format(Ids.Kind.PROJECT, state.projects.size() + 1L)),
        "projectId " + project.projectId() + " is not the next project id");
    Check.state(Tokens.isProgram(project.program()), "program is not a program code");
    Check.state(Countries.isAssigned(project.hostCountry()), "hostCountry is not a country");
    String key = Snapshots.programProjectKey(project.program(), project.programProjectId());
    Check.state(!state.projectByProgramProjectId.containsKey(key), "project already registered");
    state.put(state.projects, project.projectId(), project);
    state.put(state.projectByProgramProjectId, key, project.projectId());
    state.addOtherRegistrationsOf(project);
  }

  private static void authorisationRecorded(RegistryState state, DataReader r) {
    List<String> projectIds = r.optionalStrings("projectIds");
    Authorisation authorisation = new Authorisation(r.string("authorisationId"), r.string("hostCountry"),
        r.string("loaReference"), r.date("loaDate"), r.enumValue("purpose", AuthorisationPurpose.class),
        r.enumValue("firstTransferDefinition", FirstTransferDefinition.class), r.number("authorisedQuantity"),
        r.year("vintageFrom"), r.year("vintageTo"), r.flag("correspondingAdjustmentAttested"),
        projectIds == null ? List.of() : projectIds);
    r.end();
    if (projectIds != null) {
      Check.state(!projectIds.isEmpty() && projectIds.size() <= Limits.AUTHORISATION_PROJECTS_MAX,
          "projectIds is empty or names more than " + Limits.AUTHORISATION_PROJECTS_MAX + " projects");
      Check.state(projectIds.equals(new TreeSet<>(projectIds).stream().toList()),
          "projectIds is not in id order without repeats");
      for (String projectId : projectIds) {
        Project project = state.projects.get(projectId);
        Check.state(project != null, "projectIds names no project " + projectId);
        Check.state(project.hostCountry().equals(authorisation.hostCountry()), "project " + projectId + " is not in "
            + authorisation.hostCountry());
      }
    }
    Check.state(authorisation.authorisationId().equals(
        Ids.format(Ids.Kind.AUTHORISATION, state.authorisations.size() + 1L)), "authorisationId out of sequence");
    Check.state(Countries.isAssigned(authorisation.hostCountry()), "hostCountry is not a country");
    Check.state(authorisation.authorisedQuantity() >= 1 && authorisation.authorisedQuantity() <= Limits.QUANTITY_MAX,
        "authorisedQuantity out of range");
    Check.state(authorisation.vintageFrom() <= authorisation.vintageTo(), "vintageFrom after vintageTo");
    Check.state(!state.authorisationByLoaReference.containsKey(authorisation.loaReference()),
        "letter " + authorisation.loaReference() + " already recorded");
    state.put(state.authorisations, authorisation.authorisationId(), authorisation);
    state.put(state.authorisationByLoaReference, authorisation.loaReference(), authorisation.authorisationId());
  }

  private static void unitsIssued(RegistryState state, DataReader r) {
    Issuance issuance = new Issuance(r.string("issuanceId"), r.string("projectId"), r.string("accountId"),
        r.period("monitoringPeriod"), r.year("vintage"), r.number("quantity"), r.number("serialStart"),
        r.number("serialEnd"), r.string("unitType"), r.strings("labels"), r.optionalString("authorisationId"),
        r.enumValue("correspondingAdjustment", CorrespondingAdjustmentStatus.class),
        r.enumValue("firstTransfer", FirstTransferState.class));
    r.end();
    IssuanceCheck.check(state, issuance);
    state.put(state.issuances, issuance.issuanceId(), issuance);
    state.addIssuanceOfProject(issuance);
    if (issuance.authorisationId() != null) {
      state.put(state.issuedByAuthorisation, issuance.authorisationId(),
          Math.addExact(state.issuedByAuthorisation.getOrDefault(issuance.authorisationId(), 0L), issuance.quantity()));
    }
    state.addBlock(new Block(issuance.serialStart(), issuance.serialEnd(), issuance.issuanceId(),
        issuance.accountId(), BlockState.ACTIVE));
    state.coverSerialsTo(issuance.serialEnd());
  }

  private static void unitsTransferred(RegistryState state, DataReader r) {
    List<SerialRange> ranges = r.ranges("blocks");
    String from = r.string("fromAccountId");
    long quantity = r.number("quantity");
    r.optionalString("reference");
    String to = r.string("toAccountId");
    r.end();
    Check.state(!from.equals(to), "transfer to the sending account");
    checkActive(state, from);
    checkActive(state, to);
    Check.state(state.accounts.get(to).type() != AccountType.ISSUANCE, "transfer into an issuance account");
    checkMovable(state, from, ranges, quantity);
    for (SerialRange range : ranges) {
      state.moveBlock(range, to, BlockState.ACTIVE);
    }
  }

  private static void unitsRetired(RegistryState state, DataReader r) {
    String accountId = r.string("accountId");
    DataReader beneficiary = r.object("beneficiary");
    beneficiary.optionalString("id");
    beneficiary.string("name");
    beneficiary.end();
    List<SerialRange> ranges = r.ranges("blocks");
    Period claimPeriod = r.optionalPeriod("claimPeriod");
    DataReader corsia = r.optionalObject("corsia");
    if (corsia != null) {
      corsia.enumValue("compliancePeriod", CompliancePeriod.class);
      corsia.string("operator");
      Check.state(Countries.isAssigned(corsia.string("operatorState")), "corsia.operatorState is not a country");
      corsia.end();
    }
    String ndcCountry = r.optionalString("ndcCountry");
    r.optionalString("note");
    RetirementPurpose purpose = r.enumValue("purpose", RetirementPurpose.class);
    long quantity = r.number("quantity");
    Integer reportingYear = r.optionalYear("reportingYear");
    r.end();
    Check.state(claimPeriod != null || reportingYear != null, "neither claimPeriod nor reportingYear");
    Check.state((purpose == RetirementPurpose.CORSIA) == (corsia != null), "corsia is for CORSIA only, and needed");
    Check.state((purpose == RetirementPurpose.NDC) == (ndcCountry != null), "ndcCountry is for NDC only, and needed");
    checkActive(state, accountId);
    useUnits(state, accountId, ranges, quantity, BlockState.RETIRED,
        issuance -> RetirementPurpose.completesFirstTransfer(purpose, ndcCountry, state.projects.get(issuance.projectId())));
  }

  private static void unitsCancelled(RegistryState state, DataReader r) {
    String accountId = r.string("accountId");
    List<SerialRange> ranges = r.ranges("blocks");
    String externalReference = r.optionalString("externalReference");
    r.optionalString("note");
    long quantity = r.number("quantity");
    CancellationReason reason = r.enumValue("reason", CancellationReason.class);
    String targetRegistry = r.optionalString("targetRegistry");
    r.end();
    Check.state(reason != CancellationReason.EXPORT || targetRegistry != null && externalReference != null,
        "an EXPORT needs targetRegistry and externalReference");
    Check.state(targetRegistry == null || reason == CancellationReason.EXPORT, "targetRegistry is for EXPORT only");
    checkStatus(state, accountId, reason.accountStatuses());
    useUnits(state, accountId, ranges, quantity, BlockState.CANCELLED, issuance -> reason.completesFirstTransfer());
  }

  private static void correspondingAdjustmentApplied(RegistryState state, DataReader r) {
    String hostCountry = r.string("hostCountry");
    String issuanceId = r.string("issuanceId");
    r.string("reportReference");
    r.end();
    Issuance issuance = state.issuances.get(issuanceId);
    Check.state(issuance != null, "no issuance " + issuanceId);
    Check.state(issuance.correspondingAdjustment() == CorrespondingAdjustmentStatus.PENDING,
        "issuance " + issuanceId + " has correspondingAdjustment " + issuance.correspondingAdjustment());
    Check.state(state.authorisations.get(issuance.authorisationId()).hostCountry().equals(hostCountry),
        "hostCountry is not the authorising country");
    state.put(state.issuances, issuanceId, issuance.withCorrespondingAdjustment(CorrespondingAdjustmentStatus.APPLIED));
  }

  /**
   * Retires or cancels the ranges in place (the account checked by the caller) and completes the Article 6 first
   * transfer where it was pending and this use is one ({@code firstTransfer} of the issuance whose units it used).
   */
  private static void useUnits(RegistryState state, String accountId, List<SerialRange> ranges, long quantity,
      BlockState finalState, Predicate<Issuance> firstTransfer) {
    checkMovable(state, accountId, ranges, quantity);
    Set<String> used = new LinkedHashSet<>();
    for (SerialRange range : ranges) {
      used.add(state.blocks.containing(range.start()).issuanceId());
    }
    for (SerialRange range : ranges) {
      state.moveBlock(range, accountId, finalState);
    }
    for (String issuanceId : used) {
      Issuance issuance = state.issuances.get(issuanceId);
      if (issuance.firstTransfer() == FirstTransferState.PENDING && firstTransfer.test(issuance)) {
        state.put(state.issuances, issuanceId, issuance.withFirstTransfer(FirstTransferState.DONE));
      }
    }
  }

  private static void checkActive(RegistryState state, String accountId) {
    checkStatus(state, accountId, Set.of(AccountStatus.ACTIVE));
  }

  private static void checkStatus(RegistryState state, String accountId, Set<AccountStatus> allowed) {
    Account account = state.accounts.get(accountId);
    Check.state(account != null, "no account " + accountId);
    Check.state(allowed.contains(account.status()), "account " + accountId + " is " + account.status());
  }

  /** Every range lies inside one ACTIVE block held by the account, and the sizes add up to quantity. */
  private static void checkMovable(RegistryState state, String accountId, List<SerialRange> ranges, long quantity) {
    long total = 0;
    for (SerialRange range : ranges) {
      Block block = state.blocks.containing(range.start());
      Check.state(block != null && block.end() >= range.end(),
          "range " + range.start() + ".." + range.end() + " is not inside one block");
      Check.state(block.accountId().equals(accountId), "range from " + range.start() + " is not held by " + accountId);
      Check.state(block.state() == BlockState.ACTIVE, "range from " + range.start() + " is " + block.state());
      total = Math.addExact(total, range.size());
    }
    Check.state(total == quantity, "quantity " + quantity + " is not the total of the ranges, " + total);
  }
}
