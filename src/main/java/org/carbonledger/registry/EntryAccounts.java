package org.carbonledger.registry;

import java.util.List;
import java.util.Map;

/**
 * EntryAccounts says which accounts an entry touches, from the entry's {@code data} alone: the accounts
 * named by its top-level members {@code accountId}, {@code fromAccountId} and {@code toAccountId}.
 *
 * <p>By entry type that is: ACCOUNT_OPENED and ACCOUNT_STATUS_CHANGED touch their account; UNITS_ISSUED
 * touches the program's issuance account that receives the units; UNITS_TRANSFERRED touches both accounts;
 * UNITS_RETIRED and UNITS_CANCELLED touch the account the units left. PROJECT_REGISTERED,
 * AUTHORISATION_RECORDED, CORRESPONDING_ADJUSTMENT_APPLIED and REGISTRY_CREATED touch no account: they
 * change projects, letters and issuances, which many accounts may hold units of. A holder is not an account,
 * so opening a second account for a holder does not touch the first.
 *
 * <p>The rule reads only the entry's bytes, so a follower that catches up from the database and one that
 * hears the entry live decide the same, with no query per entry. It agrees with the {@code movements}
 * table for every entry that moves units, and also covers the account entries that move none.
 */
public final class EntryAccounts {

  /** The members that name a touched account, in the order they are read. */
  public static final List<String> ACCOUNT_MEMBERS = List.of("accountId", "fromAccountId", "toAccountId");

  private EntryAccounts() {}

  /** True when the entry with {@code data} touches {@code accountId}. */
  public static boolean touches(Map<String, Object> data, String accountId) {
    for (String member : ACCOUNT_MEMBERS) {
      if (accountId.equals(data.get(member))) {
        return true;
      }
    }
    return false;
  }
}
