package org.carbonledger.registry;

/**
 * ChangeAccountStatusSnapshot is the state the status rules need. It holds:
 * <ul>
 *   <li>{@code account}: the account whose id equals the command's {@code accountId}, or null.</li>
 *   <li>{@code activeQuantity}: the sum of {@code end - start + 1} over the account's blocks in state ACTIVE
 *   (0 if there is no account).</li>
 * </ul>
 */
public record ChangeAccountStatusSnapshot(Account account, long activeQuantity) {}
