package org.carbonledger.registry;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.carbonledger.ledger.CanonicalJson;
import org.carbonledger.ledger.EntryCodec;
import org.carbonledger.ledger.LedgerEntry;
import org.junit.jupiter.api.Test;

/**
 * Goal: the registry's limits fit together and fit the ledger: the largest entry any accepted command can write
 * encodes within LedgerEntry.SIZE_MAX_BYTES, and serial and quantity arithmetic cannot overflow. Method: build the
 * worst retirement and the worst project registration through Rules (every text at its limit in 3-byte UTF-8
 * characters, 1,000 blocks at 16-digit serials) and encode them as whole entries.
 */
class RegistryLimitsTest {

  private static final String WIDE = "\u8a9e";

  @Test
  void limitsRelate() {
    assertTrue(Limits.SERIAL_MAX == CanonicalJson.SAFE_INTEGER_MAX, "serials are exact JSON numbers");
    assertTrue(Limits.QUANTITY_MAX < Limits.SERIAL_MAX, "one issuance fits in the serial space");
    assertTrue(Limits.BLOCKS_PER_ENTRY_MAX >= Limits.SELECTION_RANGES_MAX, "every named range can be moved");
    assertTrue((double) Limits.SELECTION_RANGES_MAX * Limits.SERIAL_MAX < Long.MAX_VALUE, "range totals fit a long");
    assertTrue(Ids.NUMBER_MAX < CanonicalJson.SAFE_INTEGER_MAX);
  }

  @Test
  void theLargestRetirementFitsInOneEntry() {
    String accountId = Ids.format(Ids.Kind.ACCOUNT, Ids.NUMBER_MAX);
    String authorisationId = Ids.format(Ids.Kind.AUTHORISATION, Ids.NUMBER_MAX);
    Project project = new Project(Ids.format(Ids.Kind.PROJECT, 1), "JCREDIT", "J", "P", "JP", "M",
        ProjectCategory.OTHER, MitigationType.REDUCTION, Fixture.period("2020-01-01", "2030-12-31"),
        LocalDate.of(2020, 1, 1), null, List.of());
    long end = Limits.SERIAL_MAX;
    long start = end - 2L * Limits.BLOCKS_PER_ENTRY_MAX;
    Issuance issuance = new Issuance(Ids.format(Ids.Kind.ISSUANCE, 1), project.projectId(), accountId,
        Fixture.period("2024-01-01", "2024-12-31"), 2024, end - start + 1, start, end, "JCU",
        List.of("CORSIA_FIRST_PHASE"), authorisationId, CorrespondingAdjustmentStatus.APPLIED,
        FirstTransferState.DONE);
    Authorisation authorisation = new Authorisation(authorisationId, "JP", "L", LocalDate.of(2024, 1, 1),
        AuthorisationPurpose.OIMP, FirstTransferDefinition.ISSUANCE, Limits.QUANTITY_MAX, 2021, 2030, false);
    List<BlockView> candidates = new ArrayList<>();
    for (int i = 0; i < Limits.BLOCKS_PER_ENTRY_MAX; i++) {
      long serial = start + 2L * i + 1;
      candidates.add(new BlockView(new Block(serial, serial, issuance.issuanceId(), accountId, BlockState.ACTIVE),
          issuance));
    }
    Retire retire = new Retire(accountId, new UnitSelection.ByQuantity(Limits.BLOCKS_PER_ENTRY_MAX, null, null,
        null), RetirementPurpose.CORSIA, WIDE.repeat(Limits.NAME_LENGTH_MAX),
        WIDE.repeat(Limits.REFERENCE_LENGTH_MAX), Fixture.period("2024-01-01", "2026-12-31"), 2026,
        new CorsiaDetails(WIDE.repeat(Limits.NAME_LENGTH_MAX), "JP", CompliancePeriod.FIRST_PHASE), null,
        WIDE.repeat(Limits.TEXT_LENGTH_MAX));
    RetireSnapshot snapshot = new RetireSnapshot(new Account(accountId, Ids.format(Ids.Kind.HOLDER, 1), "a",
        AccountType.HOLDING, null, AccountStatus.ACTIVE), candidates, Map.of(project.projectId(), project),
        Map.of(authorisationId, authorisation));
    Decision decision = Rules.decide(retire, snapshot);
    assertInstanceOf(Decision.Accepted.class, decision, decision::toString);
    assertFits((Decision.Accepted) decision);
  }

  @Test
  void theLargestProjectFitsInOneEntry() {
    List<OtherRegistration> others = new ArrayList<>();
    for (int i = 0; i < Limits.OTHER_REGISTRATIONS_MAX; i++) {
      others.add(new OtherRegistration("P" + "X".repeat(15), WIDE.repeat(Limits.REFERENCE_LENGTH_MAX),
          Fixture.period("2020-01-01", "2020-12-31"), true));
    }
    RegisterProject command = new RegisterProject("JCREDIT", WIDE.repeat(Limits.REFERENCE_LENGTH_MAX),
        WIDE.repeat(Limits.NAME_LENGTH_MAX), "JP", WIDE.repeat(Limits.NAME_LENGTH_MAX), ProjectCategory.OTHER,
        MitigationType.MIXED, Fixture.period("2020-01-01", "2030-12-31"), LocalDate.of(2020, 1, 1),
        TseMarketClass.RENEWABLE_ELECTRICITY_AND_HEAT, others);
    Decision decision = Rules.decide(command, new RegisterProjectSnapshot(null, Ids.NUMBER_MAX));
    assertInstanceOf(Decision.Accepted.class, decision, decision::toString);
    assertFits((Decision.Accepted) decision);
  }

  private static void assertFits(Decision.Accepted accepted) {
    byte[] bytes = EntryCodec.encode(new LedgerEntry(CanonicalJson.SAFE_INTEGER_MAX, "f".repeat(64),
        Instant.parse("9999-12-31T23:59:59.999999Z"), accepted.entryType(), accepted.data()));
    assertTrue(bytes.length <= LedgerEntry.SIZE_MAX_BYTES, bytes.length + " bytes");
    assertTrue(bytes.length > LedgerEntry.SIZE_MAX_BYTES / 20, "the worst case is not worst: " + bytes.length);
  }
}
