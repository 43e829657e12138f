package org.carbonledger.registry;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * RandomCommands turns a list of random integers into one command against the current registry: mostly valid
 * references to existing objects (so commands get far), with malformed and unknown ids, zero quantities, foreign
 * serials, frozen accounts and double use mixed in. Shrinking the integers shrinks the command. Public so the
 * store's differential tests can drive the same sequences through SQL.
 */
public final class RandomCommands {

  /** How many random integers {@link #from} reads. */
  public static final int CHOICES = 12;

  private static final List<String> LABELS = List.of("CCP", "CORSIA_FIRST_PHASE", "CORSIA_PILOT",
      "CORSIA_SECOND_PHASE");
  private static final List<String> COUNTRIES = List.of("JP", "ID", "SG");

  private final RegistryState state;
  private final List<Integer> choices;
  private int next;

  private RandomCommands(RegistryState state, List<Integer> choices) {
    this.state = state;
    this.choices = choices;
  }

  /** The fixed start of every sequence: issuance accounts, holding accounts, projects and authorisations. */
  public static List<Command> setup() {
    Period whole = new Period(LocalDate.of(2016, 1, 1), LocalDate.of(2035, 12, 31));
    return List.of(
        new OpenAccount(null, "Registry", "JP", "JCREDIT issuance", AccountType.ISSUANCE, "JCREDIT"),
        new OpenAccount(Ids.format(Ids.Kind.HOLDER, 1), null, null, "VCS issuance", AccountType.ISSUANCE, "VCS"),
        new OpenAccount(null, "Acme", "JP", "Acme", AccountType.HOLDING, null),
        new OpenAccount(null, "Sky", "SG", "Sky", AccountType.HOLDING, null),
        new OpenAccount(null, "Bank", "ID", "Bank", AccountType.HOLDING, null),
        new OpenAccount(null, "Buffer pool", "JP", "Buffer", AccountType.BUFFER, null),
        new RegisterProject("JCREDIT", "J-1", "Boilers", "JP", "EN-R-001", ProjectCategory.RENEWABLE_HEAT,
            MitigationType.REDUCTION, whole, LocalDate.of(2016, 1, 1), TseMarketClass.RENEWABLE_HEAT,
            List.of(new OtherRegistration("VCS", "V-9", new Period(LocalDate.of(2017, 1, 1),
                LocalDate.of(2017, 12, 31)), false))),
        new RegisterProject("VCS", "V-1", "Peat", "ID", "VM0007", ProjectCategory.FORESTRY, MitigationType.MIXED,
            new Period(LocalDate.of(2018, 1, 1), LocalDate.of(2030, 12, 31)), LocalDate.of(2015, 6, 1), null, null),
        new RecordAuthorisation("JP", "JP-1", LocalDate.of(2024, 1, 1), AuthorisationPurpose.OIMP,
            FirstTransferDefinition.ISSUANCE, 500, 2021, 2030, false),
        new RecordAuthorisation("ID", "ID-1", LocalDate.of(2024, 1, 1), AuthorisationPurpose.NDC_AND_OIMP,
            FirstTransferDefinition.USE_OR_CANCELLATION, 300, 2016, 2035, false),
        new RecordAuthorisation("JP", "JP-2", LocalDate.of(2024, 1, 1), AuthorisationPurpose.NDC,
            FirstTransferDefinition.AUTHORISATION, 1000, 2016, 2035, false));
  }

  /** A command against the current registry, chosen by {@code choices} ({@link #CHOICES} integers). */
  public static Command from(RegistryState state, List<Integer> choices) {
    return new RandomCommands(state, choices).command();
  }

  private int choose(int n) {
    int value = choices.get(next % choices.size()) / (1 + next / choices.size());
    next++;
    return Math.floorMod(value, n);
  }

  private boolean chance(int percent) {
    return choose(100) < percent;
  }

  private Command command() {
    int kind = choose(100);
    if (kind < 18) {
      return issue();
    } else if (kind < 48) {
      String from = holder();
      return new Transfer(from, chance(80) ? activeAccount() : account(), selection(from),
          chance(10) ? "ref" : null);
    } else if (kind < 63) {
      return retire();
    } else if (kind < 73) {
      return cancel();
    } else if (kind < 80) {
      // Mostly suspend and reactivate: closing is final, and closed accounts would soon be all there is.
      int roll = choose(10);
      if (roll < 5) {
        List<Account> suspended = state.accounts().stream()
            .filter(a -> a.status() == AccountStatus.SUSPENDED).toList();
        String accountId = suspended.isEmpty() ? account() : suspended.get(choose(suspended.size())).accountId();
        return new ChangeAccountStatus(accountId, AccountStatus.ACTIVE, "ops");
      }
      return new ChangeAccountStatus(chance(80) ? activeAccount() : account(),
          roll < 9 ? AccountStatus.SUSPENDED : AccountStatus.CLOSED, "ops");
    } else if (kind < 90) {
      return new ApplyCorrespondingAdjustment(issuanceId(), COUNTRIES.get(choose(2)), "BTR");
    } else if (kind < 96) {
      return new OpenAccount(chance(50) ? null : Ids.format(Ids.Kind.HOLDER, 1 + choose(5)), chance(50) ? "New" : null,
          chance(80) ? "JP" : "XX", "acct",
          chance(50) ? AccountType.HOLDING : AccountType.values()[choose(5)], chance(20) ? "GS" : null);
    } else if (chance(50)) {
      return new RegisterProject(List.of("JCREDIT", "VCS", "GS").get(choose(3)), "R-" + choose(20), "Random",
          COUNTRIES.get(choose(3)), "M-1", ProjectCategory.values()[choose(16)], MitigationType.values()[choose(3)],
          new Period(LocalDate.of(2016 + choose(5), 1, 1), LocalDate.of(2025 + choose(10), 12, 31)),
          LocalDate.of(2015 + choose(5), 1, 1), null, null);
    } else {
      return new RecordAuthorisation("JP", "JP-R-" + choose(5), LocalDate.of(2024, 2, 1),
          AuthorisationPurpose.values()[choose(3)], FirstTransferDefinition.values()[choose(3)], 1 + choose(100),
          2016 + choose(10), 2030, false);
    }
  }

  private Command issue() {
    String projectId = chance(5) ? "P1" : Ids.format(Ids.Kind.PROJECT, 1 + choose(3));
    // Periods that have ended, and now and then one that has not (refused: MONITORING_PERIOD_NOT_ENDED).
    LocalDate start = chance(5) ? LocalDate.now(ZoneOffset.UTC).plusMonths(choose(24))
        : LocalDate.of(2016 + choose(10), 1 + choose(12), 1);
    Period period = new Period(start, start.plusMonths(1 + choose(3)).minusDays(1));
    int vintage = chance(5) ? 2040 : start.getYear();
    long quantity = chance(5) ? 0 : 1 + choose(30);
    List<String> labels = new ArrayList<>();
    for (String label : LABELS) {
      if (chance(40)) {
        labels.add(label);
      }
    }
    String authorisationId = chance(50) ? null : Ids.format(Ids.Kind.AUTHORISATION, 1 + choose(4));
    Long serialStart = chance(85) ? null : 1 + (long) choose((int) Math.min(state.nextFreeSerial() + 50, 100_000));
    return new Issue(projectId, period, vintage, quantity, "JCU", labels, authorisationId, serialStart);
  }

  private Command retire() {
    RetirementPurpose purpose = List.of(RetirementPurpose.VOLUNTARY_OFFSET, RetirementPurpose.VOLUNTARY_OFFSET,
        RetirementPurpose.CORSIA, RetirementPurpose.NDC, RetirementPurpose.GX_ETS).get(choose(5));
    CorsiaDetails corsia = purpose == RetirementPurpose.CORSIA
        ? new CorsiaDetails("Sky", "SG", CompliancePeriod.values()[choose(3)]) : null;
    String ndcCountry = purpose == RetirementPurpose.NDC ? COUNTRIES.get(choose(3)) : null;
    String accountId = holder();
    return new Retire(accountId, selection(accountId), purpose, chance(5) ? null : "Beneficiary", null, null,
        chance(5) ? null : 2025, corsia, ndcCountry, null);
  }

  private Command cancel() {
    CancellationReason reason = CancellationReason.values()[choose(4)];
    boolean export = reason == CancellationReason.EXPORT;
    String accountId = holder();
    return new Cancel(accountId, selection(accountId), reason, export ? "Verra" : null,
        export && chance(90) ? "X-1" : null,
        null);
  }

  private String account() {
    int roll = choose(100);
    if (roll < 3) {
      return "A1";
    } else if (roll < 6) {
      return Ids.format(Ids.Kind.ACCOUNT, 99);
    }
    List<Account> accounts = state.accounts();
    return accounts.get(choose(accounts.size())).accountId();
  }

  /** Mostly the holder of a random active block, so movements get past the account rules. */
  private String holder() {
    List<Block> active = state.blocks().stream().filter(b -> b.state() == BlockState.ACTIVE).toList();
    return active.isEmpty() || chance(20) ? account() : active.get(choose(active.size())).accountId();
  }

  /** Mostly an active account that can receive. */
  private String activeAccount() {
    List<Account> open = state.accounts().stream()
        .filter(a -> a.status() == AccountStatus.ACTIVE
            && (a.type() == AccountType.HOLDING || a.type() == AccountType.BUFFER)).toList();
    return open.isEmpty() ? account() : open.get(choose(open.size())).accountId();
  }

  private String issuanceId() {
    List<Issuance> issuances = state.issuances();
    if (issuances.isEmpty() || chance(5)) {
      return Ids.format(Ids.Kind.ISSUANCE, 99);
    }
    return issuances.get(choose(issuances.size())).issuanceId();
  }

  /** Explicit ranges, mostly inside existing blocks (of anyone), or a quantity with optional filters. */
  private UnitSelection selection(String accountId) {
    if (chance(50)) {
      long quantity = chance(5) ? 0 : 1 + choose(60);
      String issuanceId = chance(20) ? issuanceId() : null;
      String projectId = chance(10) ? Ids.format(Ids.Kind.PROJECT, 1 + choose(2)) : null;
      Integer vintage = chance(10) ? 2016 + choose(20) : null;
      return new UnitSelection.ByQuantity(quantity, issuanceId, projectId, vintage);
    }
    List<SerialRange> ranges = new ArrayList<>();
    int count = chance(70) ? 1 : 2;
    List<Block> own = state.blocksOf(accountId);
    List<Block> blocks = own.isEmpty() || chance(15) ? state.blocks() : own;
    for (int i = 0; i < count; i++) {
      if (blocks.isEmpty() || chance(10)) {
        long start = 1 + choose((int) state.nextFreeSerial() + 20);
        ranges.add(new SerialRange(start, start + choose(40)));
      } else {
        Block block = blocks.get(choose(blocks.size()));
        long start = block.start() + choose((int) block.size());
        ranges.add(new SerialRange(start, Math.min(block.end() + (chance(10) ? 5 : 0), start + choose(20))));
      }
    }
    return new UnitSelection.Ranges(ranges);
  }
}
