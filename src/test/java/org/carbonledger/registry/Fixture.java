package org.carbonledger.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.carbonledger.ledger.CanonicalJson;

/**
 * Fixture builds the small registry most registry tests start from, through commands only (so it also exercises
 * Rules and apply), and names its objects:
 * <ul>
 *   <li>holders H1 (registry office, JP), H2 (Acme Trading, JP), H3 (Sky Airlines, SG);</li>
 *   <li>accounts A1 (JCREDIT issuance, H1), A2 (VCS issuance, H1), A3 (Acme holding), A4 (Sky holding),
 *   A5 (an old Acme account, CLOSED);</li>
 *   <li>project P1: JCREDIT JCR-0001 in JP, crediting 2014..2035, activity start 2014-04-01, also registered in
 *   VCS as VCS-999 for 2014..2015 (not cancelled);</li>
 *   <li>authorisation L1: JP, OIMP, first transfer at ISSUANCE, 100,000 t, vintages 2021..2030;</li>
 *   <li>issuance I1: P1, 2021, 1,000 units, serials 1..1000, label CORSIA_FIRST_PHASE, under L1, corresponding
 *   adjustment APPLIED; serials 1..600 transferred to A3, 601..1000 still in A1.</li>
 * </ul>
 */
final class Fixture {

  static final String H1 = Ids.format(Ids.Kind.HOLDER, 1);
  static final String H2 = Ids.format(Ids.Kind.HOLDER, 2);
  static final String H3 = Ids.format(Ids.Kind.HOLDER, 3);
  static final String A1 = Ids.format(Ids.Kind.ACCOUNT, 1);
  static final String A2 = Ids.format(Ids.Kind.ACCOUNT, 2);
  static final String A3 = Ids.format(Ids.Kind.ACCOUNT, 3);
  static final String A4 = Ids.format(Ids.Kind.ACCOUNT, 4);
  static final String A5 = Ids.format(Ids.Kind.ACCOUNT, 5);
  static final String A99 = Ids.format(Ids.Kind.ACCOUNT, 99);
  static final String P1 = Ids.format(Ids.Kind.PROJECT, 1);
  static final String P99 = Ids.format(Ids.Kind.PROJECT, 99);
  static final String L1 = Ids.format(Ids.Kind.AUTHORISATION, 1);
  static final String L99 = Ids.format(Ids.Kind.AUTHORISATION, 99);
  static final String I1 = Ids.format(Ids.Kind.ISSUANCE, 1);
  static final String I99 = Ids.format(Ids.Kind.ISSUANCE, 99);

  private Fixture() {}

  static RegistryState standard() {
    RegistryState state = new RegistryState();
    accept(state, new OpenAccount(null, "Japan Registry Office", "JP", "J-Credit issuance", AccountType.ISSUANCE,
        "JCREDIT"));
    accept(state, new OpenAccount(H1, null, null, "VCS issuance", AccountType.ISSUANCE, "VCS"));
    accept(state, new OpenAccount(null, "Acme Trading", "JP", "Acme holding", AccountType.HOLDING, null));
    accept(state, new OpenAccount(null, "Sky Airlines", "SG", "Sky holding", AccountType.HOLDING, null));
    accept(state, new OpenAccount(H2, null, null, "Acme old", AccountType.HOLDING, null));
    accept(state, new ChangeAccountStatus(A5, AccountStatus.CLOSED, "merged into A3"));
    accept(state, project("JCREDIT", "JCR-0001", "JP"));
    accept(state, new RecordAuthorisation("JP", "JP-LOA-2024-001", LocalDate.of(2024, 3, 1),
        AuthorisationPurpose.OIMP, FirstTransferDefinition.ISSUANCE, 100_000, 2021, 2030, false));
    accept(state, issue(2021, 1000, List.of("CORSIA_FIRST_PHASE"), L1));
    accept(state, new ApplyCorrespondingAdjustment(I1, "JP", "JP-BTR-2024"));
    accept(state, transfer(A1, A3, 1, 600));
    return state;
  }

  static RegisterProject project(String program, String programProjectId, String country) {
    return new RegisterProject(program, programProjectId, "Shizuoka biomass boilers", country, "EN-R-001",
        ProjectCategory.RENEWABLE_HEAT, MitigationType.REDUCTION, period("2014-01-01", "2035-12-31"),
        LocalDate.of(2014, 4, 1), null,
        List.of(new OtherRegistration("VCS", "VCS-999", period("2014-01-01", "2015-12-31"), false)));
  }

  /** An issuance of P1 for the whole calendar year {@code vintage}. */
  static Issue issue(int vintage, long quantity, List<String> labels, String authorisationId) {
    return new Issue(P1, period(vintage + "-01-01", vintage + "-12-31"), vintage, quantity, "JCU", labels,
        authorisationId, null);
  }

  static Transfer transfer(String from, String to, long start, long end) {
    return new Transfer(from, to, ranges(start, end), null);
  }

  /** Ranges from pairs of serials: ranges(1, 10, 21, 30). */
  static UnitSelection.Ranges ranges(long... bounds) {
    List<SerialRange> ranges = new ArrayList<>();
    for (int i = 0; i < bounds.length; i += 2) {
      ranges.add(new SerialRange(bounds[i], bounds[i + 1]));
    }
    return new UnitSelection.Ranges(ranges);
  }

  static Period period(String start, String end) {
    return new Period(LocalDate.parse(start), LocalDate.parse(end));
  }

  /** Executes a command that MUST be accepted; returns its entry data. */
  static Map<String, Object> accept(RegistryState state, Command command) {
    Decision decision = state.execute(command);
    assertInstanceOf(Decision.Accepted.class, decision, () -> command + " -> " + decision);
    return ((Decision.Accepted) decision).data();
  }

  /** Issues {@code quantity} units of P1 for a year, unauthorised, and returns the new issuance id. */
  static String issueUnauthorised(RegistryState state, int vintage, long quantity, String... labels) {
    return (String) accept(state, issue(vintage, quantity, List.of(labels), null)).get("issuanceId");
  }

  /**
   * Splits an issuance of 2 * count units of the given vintage into {@code count} one-unit blocks held by
   * {@code accountId} (every other serial, so no two are adjacent).
   */
  static void fragment(RegistryState state, String accountId, int vintage, int count) {
    String issuanceId = issueUnauthorised(state, vintage, 2L * count);
    long first = state.issuance(issuanceId).orElseThrow().serialStart();
    for (int done = 0; done < count; done += Limits.SELECTION_RANGES_MAX) {
      List<SerialRange> ranges = new ArrayList<>();
      for (int i = done; i < Math.min(count, done + Limits.SELECTION_RANGES_MAX); i++) {
        ranges.add(new SerialRange(first + 2L * i, first + 2L * i));
      }
      accept(state, new Transfer(A1, accountId, new UnitSelection.Ranges(ranges), null));
    }
  }

  /** The canonical JSON text of entry data. */
  static String json(Map<String, Object> data) {
    return new String(CanonicalJson.encode(data), StandardCharsets.UTF_8);
  }

  /** The id with its check character replaced by a wrong one. */
  static String withWrongCheck(String id) {
    char check = id.charAt(id.length() - 1);
    return id.substring(0, id.length() - 1) + (check == 'A' ? 'B' : 'A');
  }

  static void assertRejected(RejectCode expected, Decision decision) {
    assertInstanceOf(Decision.Rejected.class, decision, () -> "expected " + expected + ", got " + decision);
    assertEquals(expected, ((Decision.Rejected) decision).code(), decision::toString);
  }
}
