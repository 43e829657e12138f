package org.carbonledger.registry;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.carbonledger.ledger.Check;

/**
 * RegistryState is a whole registry in memory: what replaying the log gives. The store's writer decides every
 * command on one (replayed from the log) and keeps the same state in SQL for readers:
 * <ul>
 *   <li>{@link #apply} performs each entry's transition exactly as the store's projections MUST (see
 *   {@link Transitions} for each entry type), and refuses data that does not fit the state with
 *   IllegalStateException, leaving the state unchanged: a replay of a corrupted log stops instead of guessing.</li>
 *   <li>{@code snapshotFor} builds each command's snapshot; {@link #decide} runs a command end to end.</li>
 * </ul>
 * Not thread-safe: one writer, like the store's.
 */
public final class RegistryState {

  final Map<String, Holder> holders = new LinkedHashMap<>();
  final Map<String, Account> accounts = new LinkedHashMap<>();
  final Map<String, Project> projects = new LinkedHashMap<>();
  final Map<String, Authorisation> authorisations = new LinkedHashMap<>();
  final Map<String, Issuance> issuances = new LinkedHashMap<>();
  final Map<String, String> issuanceAccountByProgram = new HashMap<>();
  final Map<String, String> projectByProgramProjectId = new HashMap<>();
  /** For a program's project id (Snapshots.programProjectKey), the projects here that name it an other registration. */
  final Map<String, List<String>> projectsNaming = new HashMap<>();
  final Map<String, String> authorisationByLoaReference = new HashMap<>();
  /**
   * Each project's issuances by the first day of their monitoring period. The periods of one project never
   * overlap (IssuanceCheck), so the one that may overlap a period is the last to start on or before its end.
   */
  final Map<String, TreeMap<LocalDate, String>> issuancesByProject = new HashMap<>();
  final Map<String, Long> issuedByAuthorisation = new HashMap<>();
  BlockTable blocks = new BlockTable();
  long serialEndMax;
  /** How to undo each change since the oldest open {@link #mark}, newest last; null when none is open. */
  private List<Runnable> undo;

  /** An empty registry. */
  public RegistryState() {}

  /** An independent copy: applying entries to one leaves the other as it was. */
  public RegistryState copy() {
    RegistryState copy = new RegistryState();
    copy.holders.putAll(holders);
    copy.accounts.putAll(accounts);
    copy.projects.putAll(projects);
    copy.authorisations.putAll(authorisations);
    copy.issuances.putAll(issuances);
    copy.issuanceAccountByProgram.putAll(issuanceAccountByProgram);
    copy.projectByProgramProjectId.putAll(projectByProgramProjectId);
    projectsNaming.forEach((k, v) -> copy.projectsNaming.put(k, new ArrayList<>(v)));
    copy.authorisationByLoaReference.putAll(authorisationByLoaReference);
    issuancesByProject.forEach((k, v) -> copy.issuancesByProject.put(k, new TreeMap<>(v)));
    copy.issuedByAuthorisation.putAll(issuedByAuthorisation);
    copy.blocks = blocks.copy();
    copy.serialEndMax = serialEndMax;
    return copy;
  }

  /**
   * Applies an accepted entry. Throws IllegalStateException, and changes nothing, if the type is unknown or the
   * data does not fit the state (a missing or extra member, an id out of sequence, units not held, ...). The
   * store's projections MUST make the same changes:
   * <ul>
   *   <li>ACCOUNT_OPENED: creates the holder if {@code holder.holderId} is the next holder id (else it must exist
   *   with the same name and country), and the account, ACTIVE.</li>
   *   <li>ACCOUNT_STATUS_CHANGED: sets the account's status.</li>
   *   <li>PROJECT_REGISTERED, AUTHORISATION_RECORDED: create the object.</li>
   *   <li>UNITS_ISSUED: creates the issuance and one ACTIVE block {@code serialStart..serialEnd} held by its
   *   {@code accountId}.</li>
   *   <li>UNITS_TRANSFERRED: for each range of {@code blocks}, splits the block holding it into up to three parts
   *   (before, the range, after) and gives the range's part to {@code toAccountId}, still ACTIVE.</li>
   *   <li>UNITS_RETIRED, UNITS_CANCELLED: the same split; the range's part stays with the account, in state
   *   RETIRED or CANCELLED; then every issuance of those ranges whose firstTransfer is PENDING becomes DONE.</li>
   *   <li>CORRESPONDING_ADJUSTMENT_APPLIED: sets the issuance's correspondingAdjustment to APPLIED.</li>
   * </ul>
   */
  public void apply(String entryType, Map<String, Object> data) {
    Transitions.apply(this, entryType, data);
  }

  /**
   * Starts recording how to undo changes, if not already recording, and returns a mark for
   * {@link #rollbackTo}. Marks nest: an inner mark is a later point of the same record. Recording costs one
   * small object per change, so a long replay should not run inside a mark.
   */
  public int mark() {
    if (undo == null) {
      undo = new ArrayList<>();
    }
    return undo.size();
  }

  /** Undoes every change made since {@code mark}, newest first; the state is then exactly as it was at the mark. */
  public void rollbackTo(int mark) {
    Check.state(undo != null && mark >= 0 && mark <= undo.size(), "no open mark " + mark);
    while (undo.size() > mark) {
      undo.remove(undo.size() - 1).run();
    }
  }

  /** Keeps every change made so far and stops recording: the marks handed out are no longer valid. */
  public void release() {
    undo = null;
  }

  /** {@code map.put(key, value)}, recorded for {@link #rollbackTo} while a mark is open. */
  <K, V> void put(Map<K, V> map, K key, V value) {
    boolean had = map.containsKey(key);
    V previous = map.put(key, value);
    if (undo != null) {
      undo.add(had ? () -> map.put(key, previous) : () -> map.remove(key));
    }
  }

  /** Adds an issuance to its project's, recorded for {@link #rollbackTo} while a mark is open. */
  void addIssuanceOfProject(Issuance issuance) {
    TreeMap<LocalDate, String> byStart = issuancesByProject.get(issuance.projectId());
    if (byStart == null) {
      byStart = new TreeMap<>();
      put(issuancesByProject, issuance.projectId(), byStart);
    }
    // No two of a project's issuances start on one day: their periods would overlap, which IssuanceCheck refused.
    LocalDate start = issuance.monitoringPeriod().start();
    byStart.put(start, issuance.issuanceId());
    if (undo != null) {
      TreeMap<LocalDate, String> added = byStart;
      undo.add(() -> added.remove(start));
    }
  }

  /**
   * An issuance of the project whose monitoring period overlaps {@code period}, the last of them to start, or
   * null when none does: if the last to start on or before the period's end ended before it, so did all others.
   */
  Issuance issuanceOverlapping(String projectId, Period period) {
    TreeMap<LocalDate, String> byStart = issuancesByProject.get(projectId);
    Map.Entry<LocalDate, String> last = byStart == null ? null : byStart.floorEntry(period.end());
    if (last == null) {
      return null;
    }
    Issuance issuance = issuances.get(last.getValue());
    return issuance.monitoringPeriod().overlaps(period) ? issuance : null;
  }

  /** Records that {@code project} names each of its other registrations, for {@link #sameActivity}; undoable. */
  void addOtherRegistrationsOf(Project project) {
    for (OtherRegistration other : project.otherRegistrations()) {
      String key = Snapshots.programProjectKey(other.program(), other.projectId());
      List<String> naming = projectsNaming.get(key);
      if (naming == null) {
        naming = new ArrayList<>();
        put(projectsNaming, key, naming);
      }
      naming.add(project.projectId());
      if (undo != null) {
        List<String> added = naming;
        undo.add(() -> added.remove(added.size() - 1));
      }
    }
  }

  /**
   * The other projects registered here that are the same activity as {@code project} under other programs: those
   * it names among its other registrations, those that name it among theirs, and so on (A names B, B names C: A
   * and C are one activity too).
   */
  List<Project> sameActivity(Project project) {
    Set<String> group = new LinkedHashSet<>(List.of(project.projectId()));
    ArrayDeque<Project> toVisit = new ArrayDeque<>(List.of(project));
    while (!toVisit.isEmpty()) {
      Project visiting = toVisit.remove();
      List<String> linked = new ArrayList<>(projectsNaming.getOrDefault(
          Snapshots.programProjectKey(visiting.program(), visiting.programProjectId()), List.of()));
      for (OtherRegistration other : visiting.otherRegistrations()) {
        String named = projectByProgramProjectId.get(Snapshots.programProjectKey(other.program(), other.projectId()));
        if (named != null) {
          linked.add(named);
        }
      }
      for (String id : linked) {
        if (group.add(id)) {
          toVisit.add(projects.get(id));
        }
      }
    }
    group.remove(project.projectId());
    return group.stream().map(projects::get).toList();
  }

  /** The issuances of the same activity under another program here whose monitoring period overlaps {@code period}. */
  List<Issuance> issuedAsSameActivity(Project project, Period period) {
    List<Issuance> found = new ArrayList<>();
    for (Project same : sameActivity(project)) {
      Issuance overlapping = issuanceOverlapping(same.projectId(), period);
      if (overlapping != null) {
        found.add(overlapping);
      }
    }
    return found;
  }

  /** Raises {@link #serialEndMax} to at least {@code serialEnd}, recorded while a mark is open. */
  void coverSerialsTo(long serialEnd) {
    long previous = serialEndMax;
    serialEndMax = Math.max(serialEndMax, serialEnd);
    if (undo != null) {
      undo.add(() -> serialEndMax = previous);
    }
  }

  /** {@link BlockTable#add}, recorded for {@link #rollbackTo} while a mark is open. */
  void addBlock(Block block) {
    blocks.add(block);
    if (undo != null) {
      undo.add(() -> blocks.remove(block));
    }
  }

  /** {@link BlockTable#move}, recorded for {@link #rollbackTo} while a mark is open. */
  void moveBlock(SerialRange range, String accountId, BlockState state) {
    Block before = blocks.containing(range.start());
    blocks.move(range, accountId, state);
    if (undo != null) {
      undo.add(() -> blocks.restore(before));
    }
  }

  /** Decides the command today (UTC); see {@link #decide(Command, LocalDate)}. */
  public Decision decide(Command command) {
    return decide(command, LocalDate.now(ZoneOffset.UTC));
  }

  /**
   * Builds the command's snapshot and decides it on {@code today}, the day (UTC) of its entry's time, which the
   * issuance rules compare periods with; the state is not changed.
   */
  public Decision decide(Command command, LocalDate today) {
    if (command instanceof OpenAccount c) {
      return Rules.decide(c, snapshotFor(c));
    } else if (command instanceof ChangeAccountStatus c) {
      return Rules.decide(c, snapshotFor(c));
    } else if (command instanceof RegisterProject c) {
      return Rules.decide(c, snapshotFor(c));
    } else if (command instanceof RecordAuthorisation c) {
      return Rules.decide(c, snapshotFor(c));
    } else if (command instanceof Issue c) {
      return Rules.decide(c, snapshotFor(c, today));
    } else if (command instanceof Transfer c) {
      return Rules.decide(c, snapshotFor(c));
    } else if (command instanceof Retire c) {
      return Rules.decide(c, snapshotFor(c));
    } else if (command instanceof Cancel c) {
      return Rules.decide(c, snapshotFor(c));
    } else {
      ApplyCorrespondingAdjustment c = (ApplyCorrespondingAdjustment) command;
      return Rules.decide(c, snapshotFor(c));
    }
  }

  /** Decides the command and, if accepted, applies its entry; returns the decision. */
  public Decision execute(Command command) {
    Decision decision = decide(command);
    if (decision instanceof Decision.Accepted accepted) {
      apply(accepted.entryType(), accepted.data());
    }
    return decision;
  }

  /** The snapshot of this command (see its record for what it holds). */
  public OpenAccountSnapshot snapshotFor(OpenAccount c) {
    return Snapshots.openAccount(this, c);
  }

  /** The snapshot of this command (see its record for what it holds). */
  public ChangeAccountStatusSnapshot snapshotFor(ChangeAccountStatus c) {
    return Snapshots.changeAccountStatus(this, c);
  }

  /** The snapshot of this command (see its record for what it holds). */
  public RegisterProjectSnapshot snapshotFor(RegisterProject c) {
    return Snapshots.registerProject(this, c);
  }

  /** The snapshot of this command (see its record for what it holds). */
  public RecordAuthorisationSnapshot snapshotFor(RecordAuthorisation c) {
    return Snapshots.recordAuthorisation(this, c);
  }

  /** The snapshot of this command (see its record for what it holds). */
  public IssueSnapshot snapshotFor(Issue c, LocalDate today) {
    return Snapshots.issue(this, c, today);
  }

  /** The snapshot of this command (see its record for what it holds). */
  public TransferSnapshot snapshotFor(Transfer c) {
    return Snapshots.transfer(this, c);
  }

  /** The snapshot of this command (see its record for what it holds). */
  public RetireSnapshot snapshotFor(Retire c) {
    return Snapshots.retire(this, c);
  }

  /** The snapshot of this command (see its record for what it holds). */
  public CancelSnapshot snapshotFor(Cancel c) {
    return Snapshots.cancel(this, c);
  }

  /** The snapshot of this command (see its record for what it holds). */
  public ApplyCorrespondingAdjustmentSnapshot snapshotFor(ApplyCorrespondingAdjustment c) {
    return Snapshots.applyCorrespondingAdjustment(this, c);
  }

  /** The holder with this id, if any. */
  public Optional<Holder> holder(String holderId) {
    return Optional.ofNullable(holders.get(holderId));
  }

  /** The account with this id, if any. */
  public Optional<Account> account(String accountId) {
    return Optional.ofNullable(accounts.get(accountId));
  }

  /** The project with this id, if any. */
  public Optional<Project> project(String projectId) {
    return Optional.ofNullable(projects.get(projectId));
  }

  /** The authorisation with this id, if any. */
  public Optional<Authorisation> authorisation(String authorisationId) {
    return Optional.ofNullable(authorisations.get(authorisationId));
  }

  /** The issuance with this id, if any. */
  public Optional<Issuance> issuance(String issuanceId) {
    return Optional.ofNullable(issuances.get(issuanceId));
  }

  /** Every account, in id order. */
  public List<Account> accounts() {
    return List.copyOf(accounts.values());
  }

  /** Every issuance, in id order. */
  public List<Issuance> issuances() {
    return List.copyOf(issuances.values());
  }

  /** Every block, ascending by serial. */
  public List<Block> blocks() {
    return List.copyOf(blocks.all());
  }

  /** The account's blocks in every state, ascending by serial (a scan of every block: for tests and tools). */
  public List<Block> blocksOf(String accountId) {
    return blocks.all().stream().filter(block -> block.accountId().equals(accountId)).toList();
  }

  /** The block holding a serial. */
  public Optional<Block> blockContaining(long serial) {
    return Optional.ofNullable(blocks.containing(serial));
  }

  /** The account's balance: the number of ACTIVE units it holds. */
  public long activeQuantity(String accountId) {
    return blocks.activeQuantity(accountId);
  }

  /** Every account's balance (ACTIVE units), including zeros, by account id. */
  public Map<String, Long> balances() {
    Map<String, Long> balances = new TreeMap<>();
    for (String accountId : accounts.keySet()) {
      balances.put(accountId, blocks.activeQuantity(accountId));
    }
    return balances;
  }

  /** One more than the highest issued serial: where the next registry-allocated issuance starts. */
  public long nextFreeSerial() {
    return serialEndMax + 1;
  }

  /**
   * Resolves a bare serial or a human-readable serial number to the block holding it, checking the parts of the
   * human-readable form against the block's issuance (Precedence.RESOLVE_SERIAL_NUMBER).
   */
  public SerialResolution resolve(String text) {
    Long bare = text == null ? null : SerialNumbers.serial(text);
    Optional<SerialNumber> parsed = bare != null ? Optional.empty() : SerialNumbers.parse(text);
    if (bare == null && parsed.isEmpty()) {
      return SerialResolution.refused(RejectCode.SERIAL_NUMBER_MALFORMED, "not a serial number: " + text);
    }
    SerialRange range = bare != null ? new SerialRange(bare, bare) : parsed.get().range();
    Block block = blocks.containing(range.start());
    if (block == null) {
      return SerialResolution.refused(RejectCode.SERIAL_NOT_ISSUED, "serial " + range.start() + " is not issued");
    }
    if (block.end() < range.end()) {
      return SerialResolution.refused(RejectCode.SERIAL_RANGE_SPANS_BLOCKS,
          "serials " + range.start() + ".." + range.end() + " cross the block ending at " + block.end());
    }
    Issuance issuance = issuances.get(block.issuanceId());
    Project project = projects.get(issuance.projectId());
    if (parsed.isPresent() && !parsed.get().names(issuance, project)) {
      return SerialResolution.refused(RejectCode.SERIAL_NUMBER_DOES_NOT_MATCH,
          "the serial number does not name issuance " + issuance.issuanceId());
    }
    return new SerialResolution(null, range, block, issuance, project);
  }

  /** Everything the registry holds, as values. */
  public RegistryContents contents() {
    return new RegistryContents(holders, accounts, projects, authorisations, issuances, List.copyOf(blocks.all()));
  }
}
