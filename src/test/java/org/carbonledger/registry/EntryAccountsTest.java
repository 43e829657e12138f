package org.carbonledger.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * EntryAccountsTest states the account rule of subscriptions once per entry type, on data shaped as the
 * registry writes it (docs/REGISTRY.md): which accounts each entry touches, and that a holder or an issuance
 * named in an entry is not an account it touches.
 */
class EntryAccountsTest {

  private static final String A = Ids.format(Ids.Kind.ACCOUNT, 1);
  private static final String B = Ids.format(Ids.Kind.ACCOUNT, 2);
  private static final String C = Ids.format(Ids.Kind.ACCOUNT, 3);
  private static final String H = Ids.format(Ids.Kind.HOLDER, 1);

  @Test
  void eachEntryTypeTouchesTheAccountsItNames() {
    record Case(String type, Map<String, Object> data, List<String> touched) {}
    Map<String, Object> blocks = Map.of("blocks", List.of(Map.of("start", 1L, "end", 5L)));
    for (Case c : new Case[] {
        new Case("REGISTRY_CREATED", Map.of("origin", "o", "verifierKey", "k"), List.of()),
        new Case(EntryTypes.ACCOUNT_OPENED, Map.of("accountId", A, "holder", Map.of("holderId", H, "name", "n", "country", "JP"),
            "name", "n", "type", "HOLDING"), List.of(A)),
        new Case(EntryTypes.ACCOUNT_STATUS_CHANGED, Map.of("accountId", A, "reason", "r", "status", "SUSPENDED"), List.of(A)),
        new Case(EntryTypes.PROJECT_REGISTERED, Map.of("projectId", "P00000001X", "program", "JCREDIT"), List.of()),
        new Case(EntryTypes.AUTHORISATION_RECORDED, Map.of("authorisationId", "L00000001D", "hostCountry", "JP"), List.of()),
        new Case(EntryTypes.UNITS_ISSUED, Map.of("accountId", A, "issuanceId", "I00000001K", "projectId", "P00000001X"), List.of(A)),
        new Case(EntryTypes.UNITS_TRANSFERRED, Map.of("fromAccountId", A, "toAccountId", B, "blocks", blocks.get("blocks"),
            "quantity", 5L), List.of(A, B)),
        new Case(EntryTypes.UNITS_RETIRED, Map.of("accountId", B, "blocks", blocks.get("blocks"), "purpose", "VOLUNTARY_OFFSET",
            "beneficiary", Map.of("name", "n", "id", A)), List.of(B)),
        new Case(EntryTypes.UNITS_CANCELLED, Map.of("accountId", A, "blocks", blocks.get("blocks"), "reason", "OTHER"), List.of(A)),
        new Case(EntryTypes.CORRESPONDING_ADJUSTMENT_APPLIED, Map.of("hostCountry", "JP", "issuanceId", "I00000001K",
            "reportReference", "r"), List.of())}) {
      List<String> touched = List.of(A, B, C, H).stream().filter(account -> EntryAccounts.touches(c.data(), account)).toList();
      assertEquals(c.touched(), touched, c.type());
    }
  }
}
