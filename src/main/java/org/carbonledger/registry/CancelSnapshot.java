package org.carbonledger.registry;

import java.util.List;

/**
 * CancelSnapshot is the state the cancellation rules need. It holds:
 * <ul>
 *   <li>{@code account}: the account whose id equals the command's {@code accountId}, or null.</li>
 *   <li>{@code candidates}: the blocks of the selection with their issuances, as {@link BlockView} defines.</li>
 * </ul>
 */
public record CancelSnapshot(Account account, List<BlockView> candidates) {

  public CancelSnapshot {
    candidates = List.copyOf(candidates);
  }
}
