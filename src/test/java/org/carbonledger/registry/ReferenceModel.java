package org.carbonledger.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ReferenceModel is a deliberately simple registry for differential tests: one map entry per unit (serial to
 * holder and state) and the account statuses, updated from entry data unit by unit. While updating it asserts the
 * guarantees directly: a serial is issued once, only ACTIVE units held by the sender move, retired and cancelled
 * units never change again, and frozen (suspended or closed) accounts neither send nor receive.
 */
final class ReferenceModel {

  record Unit(String accountId, BlockState state) {}

  final Map<Long, Unit> units = new HashMap<>();
  final Map<String, AccountStatus> statuses = new HashMap<>();
  final Map<String, long[]> issuances = new TreeMap<>();

  @SuppressWarnings("unchecked")
  void apply(String type, Map<String, Object> data) {
    switch (type) {
      case EntryTypes.ACCOUNT_OPENED -> assertNull(statuses.put((String) data.get("accountId"), AccountStatus.ACTIVE));
      case EntryTypes.ACCOUNT_STATUS_CHANGED -> {
        AccountStatus old = statuses.put((String) data.get("accountId"),
            AccountStatus.valueOf((String) data.get("status")));
        assertNotNull(old);
        assertFalse(old == AccountStatus.CLOSED, "a closed account reopened");
      }
      case EntryTypes.UNITS_ISSUED -> {
        long start = (Long) data.get("serialStart");
        long end = (Long) data.get("serialEnd");
        String accountId = (String) data.get("accountId");
        assertActive(accountId);
        for (long serial = start; serial <= end; serial++) {
          assertNull(units.put(serial, new Unit(accountId, BlockState.ACTIVE)), "serial issued twice: " + serial);
        }
        issuances.put((String) data.get("issuanceId"), new long[] {start, end});
      }
      case EntryTypes.UNITS_TRANSFERRED -> move((List<Object>) data.get("blocks"), (String) data.get("fromAccountId"),
          (String) data.get("toAccountId"), BlockState.ACTIVE, (Long) data.get("quantity"));
      case EntryTypes.UNITS_RETIRED -> move((List<Object>) data.get("blocks"), (String) data.get("accountId"),
          (String) data.get("accountId"), BlockState.RETIRED, (Long) data.get("quantity"));
      case EntryTypes.UNITS_CANCELLED -> {
        String accountId = (String) data.get("accountId");
        if ("INVALIDATION".equals(data.get("reason"))) {
          // The registry invalidates units in an account it froze; a closed one holds none.
          assertNotEquals(AccountStatus.CLOSED, statuses.get(accountId), "units of a closed account " + accountId);
          moveUnits((List<Object>) data.get("blocks"), accountId, accountId, BlockState.CANCELLED, (Long) data.get("quantity"));
        } else {
          move((List<Object>) data.get("blocks"), accountId, accountId, BlockState.CANCELLED, (Long) data.get("quantity"));
        }
      }
      default -> { }
    }
  }

  private void move(List<Object> blocks, String from, String to, BlockState state, long quantity) {
    assertActive(from);
    assertActive(to);
    moveUnits(blocks, from, to, state, quantity);
  }

  @SuppressWarnings("unchecked")
  private void moveUnits(List<Object> blocks, String from, String to, BlockState state, long quantity) {
    long moved = 0;
    for (Object item : blocks) {
      Map<String, Object> range = (Map<String, Object>) item;
      for (long serial = (Long) range.get("start"); serial <= (Long) range.get("end"); serial++) {
        Unit unit = units.get(serial);
        assertNotNull(unit, "moved a serial never issued: " + serial);
        assertEquals(new Unit(from, BlockState.ACTIVE), unit, "moved a unit not held active by " + from);
        units.put(serial, new Unit(to, state));
        moved++;
      }
    }
    assertEquals(quantity, moved);
  }

  private void assertActive(String accountId) {
    assertEquals(AccountStatus.ACTIVE, statuses.get(accountId), "units of a frozen account " + accountId);
  }

  /** Active units per account with any. */
  Map<String, Long> balances() {
    Map<String, Long> balances = new TreeMap<>();
    for (Unit unit : units.values()) {
      if (unit.state() == BlockState.ACTIVE) {
        balances.merge(unit.accountId(), 1L, Long::sum);
      }
    }
    return balances;
  }

  /** Checks the registry's blocks against the units, serial by serial. */
  void assertMatches(RegistryState state) {
    long blockUnits = 0;
    for (Block block : state.blocks()) {
      blockUnits += block.size();
      for (long serial = block.start(); serial <= block.end(); serial++) {
        assertEquals(units.get(serial), new Unit(block.accountId(), block.state()), "serial " + serial);
      }
    }
    assertEquals(units.size(), blockUnits, "units outside every block");
    Map<String, Long> balances = new TreeMap<>(state.balances());
    balances.values().removeIf(v -> v == 0);
    assertEquals(balances(), balances);
    assertTrue(issuances.keySet().containsAll(state.issuances().stream().map(Issuance::issuanceId).toList()));
  }
}
