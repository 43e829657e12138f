package org.carbonledger.registry;

import java.util.Set;

/**
 * CancellationReason says why units leave circulation without a claim; EXPORT needs the target registry and its
 * reference.
 */
public enum CancellationReason {
  EXPORT,
  INVALIDATION,
  BUFFER_LOSS,
  OTHER;

  private static final Set<AccountStatus> ACTIVE = Set.of(AccountStatus.ACTIVE);
  private static final Set<AccountStatus> ACTIVE_OR_SUSPENDED = Set.of(AccountStatus.ACTIVE, AccountStatus.SUSPENDED);

  /**
   * The statuses the account may have whose units are cancelled for this reason: ACTIVE, and for an INVALIDATION
   * SUSPENDED too, since the registry may freeze an account before it invalidates its units. The rules and the
   * replay both ask this.
   */
  public Set<AccountStatus> accountStatuses() {
    return this == INVALIDATION ? ACTIVE_OR_SUSPENDED : ACTIVE;
  }

  /**
   * Whether cancelling authorised units for this reason is their Article 6 first transfer (under a letter that
   * defines it as use or cancellation): an EXPORT, whose units leave for another registry, and OTHER, which may be
   * one by another name. An invalidation or a buffer loss removes units that nobody uses.
   */
  public boolean completesFirstTransfer() {
    return this == EXPORT || this == OTHER;
  }
}
