package org.carbonledger.registry;

import java.util.List;

/**
 * TransferSnapshot is the state the transfer rules need. It holds:
 * <ul>
 *   <li>{@code from}, {@code to}: the accounts whose ids equal the command's {@code fromAccountId} and
 *   {@code toAccountId}, or null.</li>
 *   <li>{@code candidates}: the blocks of the selection with their issuances, as {@link BlockView} defines, for
 *   the sending account.</li>
 * </ul>
 */
public record TransferSnapshot(Account from, Account to, List<BlockView> candidates) {

  public TransferSnapshot {
    candidates = List.copyOf(candidates);
  }
}
