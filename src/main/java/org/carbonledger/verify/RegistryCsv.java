package org.carbonledger.verify;

import java.io.IOException;
import java.io.Writer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.carbonledger.registry.Account;
import org.carbonledger.registry.Block;
import org.carbonledger.registry.BlockState;
import org.carbonledger.registry.RegistryState;

/**
 * RegistryCsv writes a replayed registry as CSV (RFC 4180, LF line ends) for an auditor to compare with what the
 * registry answers: every account with its units by state, and every block of serials with its state. Ids,
 * enumerated values and numbers never need quoting, so no field is quoted.
 */
public final class RegistryCsv {

  /** Header of {@link #writeBalances}; a balance is the account's ACTIVE units. */
  public static final String BALANCES_HEADER = "account_id,holder_id,type,status,active_units,retired_units,cancelled_units";
  /** Header of {@link #writeUnits}. */
  public static final String UNITS_HEADER = "serial_start,serial_end,units,issuance_id,account_id,state";

  private RegistryCsv() {}

  /** One line per account, in id order: the units it holds in each state. */
  public static void writeBalances(RegistryState registry, Writer out) throws IOException {
    Map<String, long[]> byAccount = new HashMap<>();
    for (Block block : registry.blocks()) {
      byAccount.computeIfAbsent(block.accountId(), id -> new long[BlockState.values().length])[block.state().ordinal()]
          += block.size();
    }
    out.write(BALANCES_HEADER + "\n");
    for (Account account : registry.accounts()) {
      long[] units = byAccount.getOrDefault(account.accountId(), new long[BlockState.values().length]);
      out.write(account.accountId() + "," + account.holderId() + "," + account.type() + "," + account.status() + ","
          + units[BlockState.ACTIVE.ordinal()] + "," + units[BlockState.RETIRED.ordinal()] + ","
          + units[BlockState.CANCELLED.ordinal()] + "\n");
    }
  }

  /** One line per block of serials, ascending: the serials, where they are and their state. */
  public static void writeUnits(RegistryState registry, Writer out) throws IOException {
    out.write(UNITS_HEADER + "\n");
    for (Block block : registry.blocks()) {
      out.write(block.start() + "," + block.end() + "," + block.size() + "," + block.issuanceId() + ","
          + block.accountId() + "," + block.state() + "\n");
    }
  }

  /** The units of blocks in each state, indexed by {@link BlockState#ordinal()}. */
  static long[] unitsByState(List<Block> blocks) {
    long[] units = new long[BlockState.values().length];
    for (Block block : blocks) {
      units[block.state().ordinal()] += block.size();
    }
    return units;
  }
}
