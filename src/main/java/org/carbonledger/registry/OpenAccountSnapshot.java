package org.carbonledger.registry;

/**
 * OpenAccountSnapshot is the state {@link Rules#decide(OpenAccount, OpenAccountSnapshot)} needs. It holds:
 * <ul>
 *   <li>{@code holder}: the holder whose id equals the command's {@code holderId}; null if that is null or
 *   names no holder.</li>
 *   <li>{@code issuanceAccount}: the account of type ISSUANCE whose program equals the command's
 *   {@code program}, whatever its status; null if there is none or the command's type is not ISSUANCE.</li>
 *   <li>{@code nextHolderNumber}, {@code nextAccountNumber}: the number of holders, accounts, plus one (ids are
 *   assigned densely, in log order).</li>
 * </ul>
 */
public record OpenAccountSnapshot(Holder holder, Account issuanceAccount, long nextHolderNumber,
    long nextAccountNumber) {}
