package org.carbonledger.verify;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.carbonledger.registry.AccountType;
import org.carbonledger.registry.ApplyCorrespondingAdjustment;
import org.carbonledger.registry.AuthorisationPurpose;
import org.carbonledger.registry.Command;
import org.carbonledger.registry.CompliancePeriod;
import org.carbonledger.registry.CorsiaDetails;
import org.carbonledger.registry.Decision;
import org.carbonledger.registry.EntryTypes;
import org.carbonledger.registry.FirstTransferDefinition;
import org.carbonledger.registry.Ids;
import org.carbonledger.registry.Issue;
import org.carbonledger.registry.MitigationType;
import org.carbonledger.registry.OpenAccount;
import org.carbonledger.registry.Period;
import org.carbonledger.registry.ProjectCategory;
import org.carbonledger.registry.RecordAuthorisation;
import org.carbonledger.registry.RegisterProject;
import org.carbonledger.registry.RegistryState;
import org.carbonledger.registry.Retire;
import org.carbonledger.registry.RetirementPurpose;
import org.carbonledger.registry.SerialRange;
import org.carbonledger.registry.Transfer;
import org.carbonledger.registry.UnitSelection;

/**
 * RegistryLog is the entry data of a small registry, made by the registry's own rules: a J-Credit issuance
 * account (A1) and a holder's account (A2), one project, 1,000 units issued (serials 1..1000), 600 of them
 * transferred to A2, and 100 of those (1..100) retired. Tests append forged entries to it.
 */
final class RegistryLog {

  static final String ISSUANCE_ACCOUNT = Ids.format(Ids.Kind.ACCOUNT, 1);
  static final String HOLDER_ACCOUNT = Ids.format(Ids.Kind.ACCOUNT, 2);

  private RegistryLog() {}

  /** The accepted entries, in log order (without entry 0). */
  static List<Decision.Accepted> entries() {
    RegistryState registry = new RegistryState();
    List<Decision.Accepted> out = new ArrayList<>();
    accept(registry, out, new OpenAccount(null, "Japan Registry Office", "JP", "J-Credit issuance", AccountType.ISSUANCE,
        "JCREDIT"));
    accept(registry, out, new OpenAccount(null, "Acme Trading", "JP", "Acme holding", AccountType.HOLDING, null));
    accept(registry, out, new RegisterProject("JCREDIT", "JCR-0001", "Shizuoka biomass boilers", "JP", "EN-R-001",
        ProjectCategory.RENEWABLE_HEAT, MitigationType.REDUCTION, period("2014-01-01", "2035-12-31"),
        LocalDate.of(2014, 4, 1), null, List.of()));
    accept(registry, out, new Issue(Ids.format(Ids.Kind.PROJECT, 1), period("2021-01-01", "2021-12-31"), 2021, 1000,
        "JCU", List.of(), null, null));
    accept(registry, out, new Transfer(ISSUANCE_ACCOUNT, HOLDER_ACCOUNT, ranges(1, 600), null));
    accept(registry, out, new Retire(HOLDER_ACCOUNT, ranges(1, 100), RetirementPurpose.VOLUNTARY_OFFSET, "Acme Trading",
        null, period("2024-01-01", "2024-12-31"), null, null, null, null));
    return out;
  }

  /**
   * The entry data of a CORSIA retirement done right: an OIMP authorisation from Japan, an issuance of 2022
   * labelled for the first phase under it, the corresponding adjustment applied, the units moved to A2, and 10
   * of them retired for an airline's first-phase obligations.
   */
  static List<Decision.Accepted> corsiaEntries() {
    RegistryState registry = new RegistryState();
    List<Decision.Accepted> out = new ArrayList<>();
    accept(registry, out, new OpenAccount(null, "Japan Registry Office", "JP", "J-Credit issuance", AccountType.ISSUANCE,
        "JCREDIT"));
    accept(registry, out, new OpenAccount(null, "Sky Airlines", "JP", "Sky holding", AccountType.HOLDING, null));
    accept(registry, out, new RegisterProject("JCREDIT", "JCR-0002", "Hokkaido forest", "JP", "FO-001",
        ProjectCategory.FORESTRY, MitigationType.REMOVAL, period("2016-01-01", "2035-12-31"), LocalDate.of(2016, 4, 1),
        null, List.of()));
    accept(registry, out, new RecordAuthorisation("JP", "JP-LOA-1", LocalDate.of(2024, 3, 1), AuthorisationPurpose.OIMP,
        FirstTransferDefinition.ISSUANCE, 1000, 2021, 2030, false));
    String issuance = (String) accept(registry, out, new Issue(Ids.format(Ids.Kind.PROJECT, 1), period("2022-01-01",
        "2022-12-31"), 2022, 100, "JCU", List.of("CORSIA_FIRST_PHASE"), Ids.format(Ids.Kind.AUTHORISATION, 1), null))
        .get("issuanceId");
    accept(registry, out, new ApplyCorrespondingAdjustment(issuance, "JP", "JP-BTR-2024"));
    accept(registry, out, new Transfer(ISSUANCE_ACCOUNT, HOLDER_ACCOUNT, ranges(1, 100), null));
    accept(registry, out, new Retire(HOLDER_ACCOUNT, ranges(1, 10), RetirementPurpose.CORSIA, "Sky Airlines", null, null,
        2025, new CorsiaDetails("Sky Airlines", "JP", CompliancePeriod.FIRST_PHASE), null, null));
    return out;
  }

  /**
   * {@link #corsiaEntries} retiring before any adjustment, on a letter that attests the host will apply it (which
   * the first phase accepts).
   */
  static List<Decision.Accepted> corsiaEntriesOnAttestation() {
    List<Decision.Accepted> entries = new ArrayList<>(corsiaEntries());
    entries.remove(last(entries, EntryTypes.CORRESPONDING_ADJUSTMENT_APPLIED));
    Decision.Accepted letter = last(entries, EntryTypes.AUTHORISATION_RECORDED);
    Map<String, Object> attested = new HashMap<>(letter.data());
    attested.put("correspondingAdjustmentAttested", true);
    entries.set(entries.indexOf(letter), new Decision.Accepted(EntryTypes.AUTHORISATION_RECORDED, attested));
    return entries;
  }

  /** The last accepted entry of this type. */
  static Decision.Accepted last(List<Decision.Accepted> entries, String type) {
    return entries.stream().filter(entry -> entry.entryType().equals(type)).reduce((first, second) -> second)
        .orElseThrow();
  }

  private static Map<String, Object> accept(RegistryState registry, List<Decision.Accepted> out, Command command) {
    Decision decision = registry.execute(command);
    if (!(decision instanceof Decision.Accepted accepted)) {
      throw new IllegalStateException(command + " was refused: " + decision);
    }
    out.add(accepted);
    return accepted.data();
  }

  private static UnitSelection.Ranges ranges(long start, long end) {
    return new UnitSelection.Ranges(List.of(new SerialRange(start, end)));
  }

  private static Period period(String start, String end) {
    return new Period(LocalDate.parse(start), LocalDate.parse(end));
  }
}
