package org.carbonledger.registry;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Snapshots builds each command's snapshot from a {@link RegistryState} (each snapshot record documents what it
 * holds). Raw command input is taken as is: a malformed or missing id simply finds nothing.
 */
final class Snapshots {

  private Snapshots() {}

  static OpenAccountSnapshot openAccount(RegistryState state, OpenAccount c) {
    Holder holder = c.holderId() == null ? null : state.holders.get(c.holderId());
    Account issuanceAccount = c.type() == AccountType.ISSUANCE && c.program() != null
        ? state.accounts.get(state.issuanceAccountByProgram.get(c.program())) : null;
    return new OpenAccountSnapshot(holder, issuanceAccount, state.holders.size() + 1L, state.accounts.size() + 1L);
  }

  static ChangeAccountStatusSnapshot changeAccountStatus(RegistryState state, ChangeAccountStatus c) {
    Account account = get(state.accounts, c.accountId());
    return new ChangeAccountStatusSnapshot(account, account == null ? 0 : state.blocks.activeQuantity(c.accountId()));
  }

  static RegisterProjectSnapshot registerProject(RegistryState state, RegisterProject c) {
    String projectId = state.projectByProgramProjectId.get(programProjectKey(c.program(), c.programProjectId()));
    return new RegisterProjectSnapshot(get(state.projects, projectId), state.projects.size() + 1L);
  }

  static RecordAuthorisationSnapshot recordAuthorisation(RegistryState state, RecordAuthorisation c) {
    String authorisationId = get(state.authorisationByLoaReference, c.loaReference());
    Map<String, Project> projects = new HashMap<>();
    for (String projectId : c.projectIds() == null ? List.<String>of() : c.projectIds()) {
      Project project = get(state.projects, projectId);
      if (project != null) {
        projects.put(projectId, project);
      }
    }
    return new RecordAuthorisationSnapshot(get(state.authorisations, authorisationId), state.authorisations.size() + 1L,
        projects);
  }

  static IssueSnapshot issue(RegistryState state, Issue c, LocalDate today) {
    Project project = get(state.projects, c.projectId());
    Account issuanceAccount = project == null ? null
        : get(state.accounts, state.issuanceAccountByProgram.get(project.program()));
    List<Issuance> overlapping = new ArrayList<>();
    List<Issuance> sameActivity = new ArrayList<>();
    Period period = c.monitoringPeriod();
    if (project != null && period != null && period.isOrdered()) {
      Issuance issuance = state.issuanceOverlapping(project.projectId(), period);
      if (issuance != null) {
        overlapping.add(issuance);
      }
      sameActivity.addAll(state.issuedAsSameActivity(project, period));
    }
    Authorisation authorisation = get(state.authorisations, c.authorisationId());
    long issued = authorisation == null ? 0
        : state.issuedByAuthorisation.getOrDefault(authorisation.authorisationId(), 0L);
    List<Issuance> serialOverlaps = new ArrayList<>();
    if (c.serialStart() != null && c.quantity() >= 1 && c.quantity() <= Limits.QUANTITY_MAX
        && c.serialStart() >= 1 && c.serialStart() <= Limits.SERIAL_MAX - c.quantity() + 1) {
      SerialRange range = new SerialRange(c.serialStart(), c.serialStart() + c.quantity() - 1);
      Map<String, Issuance> byId = new TreeMap<>();
      for (Block block : state.blocks.overlapping(range)) {
        byId.put(block.issuanceId(), state.issuances.get(block.issuanceId()));
      }
      serialOverlaps.addAll(byId.values());
    }
    return new IssueSnapshot(project, issuanceAccount, overlapping, sameActivity, authorisation, issued, serialOverlaps,
        state.issuances.size() + 1L, state.nextFreeSerial(), today);
  }

  static TransferSnapshot transfer(RegistryState state, Transfer c) {
    return new TransferSnapshot(get(state.accounts, c.fromAccountId()), get(state.accounts, c.toAccountId()),
        candidates(state, c.fromAccountId(), c.selection()));
  }

  static RetireSnapshot retire(RegistryState state, Retire c) {
    List<BlockView> candidates = c.selection() instanceof UnitSelection.ByQuantity q && RetirementRules.checksClaims(c)
        ? claimableFirst(state, c, q) : candidates(state, c.accountId(), c.selection());
    Map<String, Project> projects = new HashMap<>();
    Map<String, Authorisation> authorisations = new HashMap<>();
    for (BlockView candidate : candidates) {
      Issuance issuance = candidate.issuance();
      projects.put(issuance.projectId(), state.projects.get(issuance.projectId()));
      if (issuance.authorisationId() != null) {
        authorisations.put(issuance.authorisationId(), state.authorisations.get(issuance.authorisationId()));
      }
    }
    return new RetireSnapshot(get(state.accounts, c.accountId()), candidates, projects, authorisations);
  }

  /**
   * A claim by quantity (BlockView: "skipping the blocks its claim rules refuse"): the blocks that may be claimed
   * if they cover the quantity or are more than an entry may take, else the plain choice, whose blocks the rules
   * then refuse with the claim's code or UNITS_NOT_HELD.
   */
  private static List<BlockView> claimableFirst(RegistryState state, Retire c, UnitSelection.ByQuantity q) {
    Map<String, Boolean> mayClaim = new HashMap<>(); // it depends on the issuance only
    List<BlockView> claimable = byQuantity(state, c.accountId(), q, view -> mayClaim.computeIfAbsent(
        view.issuance().issuanceId(), id -> RetirementRules.claimCodes(c, view.issuance(), state).isEmpty()));
    long claimableQuantity = claimable.stream().mapToLong(view -> view.block().size()).sum();
    if (claimableQuantity >= q.quantity() || claimable.size() > Limits.BLOCKS_PER_ENTRY_MAX) {
      return claimable;
    }
    return byQuantity(state, c.accountId(), q, view -> true);
  }

  static CancelSnapshot cancel(RegistryState state, Cancel c) {
    return new CancelSnapshot(get(state.accounts, c.accountId()), candidates(state, c.accountId(), c.selection()));
  }

  static ApplyCorrespondingAdjustmentSnapshot applyCorrespondingAdjustment(RegistryState state,
      ApplyCorrespondingAdjustment c) {
    Issuance issuance = get(state.issuances, c.issuanceId());
    Authorisation authorisation = issuance == null || issuance.authorisationId() == null ? null
        : state.authorisations.get(issuance.authorisationId());
    return new ApplyCorrespondingAdjustmentSnapshot(issuance, authorisation);
  }

  /** The candidate blocks of a selection, exactly as {@link BlockView} specifies. */
  static List<BlockView> candidates(RegistryState state, String accountId, UnitSelection selection) {
    if (selection instanceof UnitSelection.Ranges r) {
      return byRanges(state, r);
    }
    if (selection instanceof UnitSelection.ByQuantity q) {
      return byQuantity(state, accountId, q, view -> true);
    }
    return List.of();
  }

  private static List<BlockView> byRanges(RegistryState state, UnitSelection.Ranges selection) {
    if (selection.ranges() == null) {
      return List.of();
    }
    List<SerialRange> ranges = new ArrayList<>();
    for (SerialRange range : selection.ranges()) {
      if (range != null && range.isWellFormed()) {
        ranges.add(range);
      }
    }
    ranges.sort(Comparator.comparingLong(SerialRange::start));
    TreeMap<Long, Block> found = new TreeMap<>();
    for (SerialRange range : ranges) {
      for (Block block : state.blocks.overlapping(range)) {
        if (found.size() > Limits.BLOCKS_PER_ENTRY_MAX) {
          break;
        }
        found.put(block.start(), block);
      }
    }
    List<BlockView> views = new ArrayList<>();
    for (Block block : found.values()) {
      if (views.size() == Limits.BLOCKS_PER_ENTRY_MAX + 1) {
        break;
      }
      views.add(new BlockView(block, state.issuances.get(block.issuanceId())));
    }
    return views;
  }

  /**
   * The account's active blocks that match the selection and {@code usable}, oldest vintage first, then lowest
   * serial: as many as cover the quantity, or one more than an entry may take.
   */
  private static List<BlockView> byQuantity(RegistryState state, String accountId,
      UnitSelection.ByQuantity selection, Predicate<BlockView> usable) {
    if (accountId == null || selection.quantity() < 1) {
      return List.of();
    }
    List<BlockView> matching = new ArrayList<>();
    for (Block block : state.blocks.activeOf(accountId)) {
      Issuance issuance = state.issuances.get(block.issuanceId());
      if (selection.matches(issuance)) {
        BlockView view = new BlockView(block, issuance);
        if (usable.test(view)) {
          matching.add(view);
        }
      }
    }
    matching.sort(Comparator.comparingInt((BlockView v) -> v.issuance().vintage())
        .thenComparingLong(v -> v.block().start()));
    List<BlockView> taken = new ArrayList<>();
    long covered = 0;
    for (BlockView view : matching) {
      if (covered >= selection.quantity() || taken.size() == Limits.BLOCKS_PER_ENTRY_MAX + 1) {
        break;
      }
      taken.add(view);
      covered += view.block().size();
    }
    return taken;
  }

  static String programProjectKey(String program, String programProjectId) {
    return program + "\u0000" + programProjectId;
  }

  private static <V> V get(Map<String, V> map, String key) {
    return key == null ? null : map.get(key);
  }
}
