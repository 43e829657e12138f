package org.carbonledger.store;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.carbonledger.registry.Block;
import org.carbonledger.registry.BlockState;
import org.carbonledger.registry.BlockTable;
import org.carbonledger.registry.SerialRange;

/**
 * BlockMoves computes how moving serial ranges changes the blocks that hold them, with the registry's own
 * BlockTable (so the SQL projector and the in-memory replay split blocks by one rule): the blocks to delete,
 * the blocks to insert, and each moved range as it was before the move.
 */
final class BlockMoves {

  /** Result of a move: rows to delete and insert, and the moved ranges with their previous holder and state. */
  record Result(List<Block> removed, List<Block> added, List<Block> movedFrom) {}

  private BlockMoves() {}

  /**
   * @param containing the current blocks that contain the ranges
   * @param ranges the ranges to move, each inside one block
   */
  static Result move(List<Block> containing, List<SerialRange> ranges, String toAccount, BlockState toState) {
    BlockTable table = new BlockTable();
    containing.forEach(table::add);
    List<Block> movedFrom = new ArrayList<>();
    for (SerialRange range : ranges) {
      Block from = table.containing(range.start());
      if (from == null || from.end() < range.end()) {
        throw new IllegalStateException("serials " + range.start() + ".." + range.end() + " are not inside one block");
      }
      movedFrom.add(new Block(range.start(), range.end(), from.issuanceId(), from.accountId(), from.state()));
      table.move(range, toAccount, toState);
    }
    Set<Block> before = new HashSet<>(containing);
    Set<Block> after = new HashSet<>(table.all());
    return new Result(containing.stream().filter(block -> !after.contains(block)).toList(),
        table.all().stream().filter(block -> !before.contains(block)).toList(), movedFrom);
  }
}
