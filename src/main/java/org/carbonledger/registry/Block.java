package org.carbonledger.registry;

import org.carbonledger.ledger.Check;
/**
 * Block is the serials {@code start..end} of one issuance, held by one account, in one state. Blocks never
 * overlap; a partial move splits a block and every part keeps referring to the same issuance.
 */
public record Block(long start, long end, String issuanceId, String accountId, BlockState state) {

  public Block {
    Check.argument(start >= 1 && start <= end && end <= Limits.SERIAL_MAX, "block range out of bounds");
  }

  /** The number of units in the block. */
  public long size() {
    return end - start + 1;
  }

  /** The block's serials. */
  public SerialRange range() {
    return new SerialRange(start, end);
  }

  /** The part {@code from..to} of this block, with the same issuance, holder and state. */
  Block part(long from, long to) {
    return new Block(from, to, issuanceId, accountId, state);
  }
}
