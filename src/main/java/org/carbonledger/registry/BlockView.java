package org.carbonledger.registry;

import org.carbonledger.ledger.Check;
/**
 * BlockView is a block with the issuance it belongs to, as the movement rules see it: the issuance gives the
 * vintage and project the filters and the ordering use, and the Article 6 states the claim rules check.
 *
 * <p>Which blocks a snapshot's {@code candidates} holds, for the selection of a transfer, retirement or
 * cancellation (a snapshot holds exactly these, in this order):
 * <ul>
 *   <li>{@link UnitSelection.Ranges}: every block overlapping any of the ranges, whatever its holder or state,
 *   ordered by {@code start}, each once; stop after {@link Limits#BLOCKS_PER_ENTRY_MAX} + 1 blocks. A range that
 *   is not well formed selects nothing.</li>
 *   <li>{@link UnitSelection.ByQuantity}: the account's blocks in state ACTIVE whose issuance matches every filter
 *   that is set ({@code issuanceId}, {@code projectId}, {@code vintage}), ordered by issuance vintage, then
 *   {@code start}; stop as soon as the loaded blocks hold at least the quantity, or after
 *   {@link Limits#BLOCKS_PER_ENTRY_MAX} + 1 blocks. A quantity below 1 selects nothing. For a retirement for
 *   CORSIA or NDC (with its compliance period or country given), VCMI_CLAIM or GX_ETS, the same, skipping the
 *   blocks whose issuance the claim rules refuse, if the blocks so loaded hold the quantity or are more than
 *   {@link Limits#BLOCKS_PER_ENTRY_MAX}; otherwise without skipping.</li>
 * </ul>
 * When the account does not exist, or an id in the command is malformed, the list may be empty: the rules
 * report those first and never look at the candidates.
 */
public record BlockView(Block block, Issuance issuance) {

  public BlockView {
    Check.argument(block.issuanceId().equals(issuance.issuanceId()), "block and issuance differ");
  }
}
