package org.carbonledger.bench;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.carbonledger.ledger.CanonicalJson;
import org.carbonledger.registry.AccountType;
import org.carbonledger.registry.Command;
import org.carbonledger.registry.Decision;
import org.carbonledger.registry.Ids;
import org.carbonledger.registry.Issue;
import org.carbonledger.registry.MitigationType;
import org.carbonledger.registry.OpenAccount;
import org.carbonledger.registry.Period;
import org.carbonledger.registry.ProjectCategory;
import org.carbonledger.registry.RegisterProject;
import org.carbonledger.registry.RegistryState;
import org.carbonledger.registry.SerialRange;
import org.carbonledger.registry.Transfer;
import org.carbonledger.registry.UnitSelection;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * RegistryBenchmarks measures replaying a registry's log into memory, as a server does at start and the
 * verifier does for every entry: a log of 10,000 one-unit transfers after the accounts, a project and an issuance,
 * its entries' data as they read back from their canonical bytes. Run as docs/PERFORMANCE.md says.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class RegistryBenchmarks {

  static final int HOLDERS = 50;
  static final int TRANSFERS = 10_000;

  /** The log: each entry's type and data. */
  @State(Scope.Benchmark)
  public static class Log {
    record Entry(String type, Map<String, Object> data) {}

    final List<Entry> entries = new ArrayList<>();

    @Setup
    public void setUp() {
      RegistryState registry = new RegistryState();
      List<Command> commands = new ArrayList<>();
      commands.add(new OpenAccount(null, "Registry Office", "JP", "Issuance", AccountType.ISSUANCE, "JCREDIT"));
      for (int i = 0; i < HOLDERS; i++) {
        commands.add(new OpenAccount(null, "Holder " + i, "JP", "Holding " + i, AccountType.HOLDING, null));
      }
      Period crediting = new Period(LocalDate.of(2016, 1, 1), LocalDate.of(2035, 12, 31));
      commands.add(new RegisterProject("JCREDIT", "JCR-1", "Forest", "JP", "FO-001", ProjectCategory.FORESTRY,
          MitigationType.REMOVAL, crediting, LocalDate.of(2016, 4, 1), null, List.of()));
      commands.add(new Issue(Ids.format(Ids.Kind.PROJECT, 1), new Period(LocalDate.of(2022, 1, 1), LocalDate.of(2022, 12, 31)),
          2022, TRANSFERS, "JCU", List.of(), null, null));
      for (Command command : commands) {
        record(registry, command);
      }
      String issuanceAccount = (String) entries.get(0).data().get("accountId");
      for (int i = 0; i < TRANSFERS; i++) {
        String holder = (String) entries.get(1 + i % HOLDERS).data().get("accountId");
        record(registry, new Transfer(issuanceAccount, holder,
            new UnitSelection.Ranges(List.of(new SerialRange(i + 1, i + 1))), null));
      }
    }

    @SuppressWarnings("unchecked")
    private void record(RegistryState registry, Command command) {
      Decision decision = registry.execute(command);
      if (!(decision instanceof Decision.Accepted accepted)) {
        throw new IllegalStateException(command + " was refused: " + decision);
      }
      entries.add(new Entry(accepted.entryType(),
          (Map<String, Object>) CanonicalJson.parse(CanonicalJson.encode(accepted.data()))));
    }
  }

  @Benchmark
  public RegistryState replayLog(Log log) {
    RegistryState registry = new RegistryState();
    for (Log.Entry entry : log.entries) {
      registry.apply(entry.type(), entry.data());
    }
    return registry;
  }
}
