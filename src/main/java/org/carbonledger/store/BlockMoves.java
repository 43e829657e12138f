package org.carbonledger.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * BlockMoves computes how moving serial ranges changes the blocks that hold them: each range lies inside
 * one block, which is replaced by up to three parts (before, the moved range, after); the parts before and
 * after keep the block's account and state. Pure: the projector loads the containing blocks, calls this,
 * and writes the result.
 */
final class BlockMoves {

  /** Result: blocks to delete (by start) and blocks to insert, and the moved ranges as they were before. */
  record Result(List<Long> removedStarts, List<BlockRow> added, List<BlockRow> movedFrom) {}

  private BlockMoves() {}

  /**
   * @param containing the current blocks that contain the ranges, any order
   * @param ranges the ranges to move, ascending and disjoint, each inside one block
   */
  static Result move(List<BlockRow> containing, List<long[]> ranges, String toAccount, String toState) {
    TreeMap<Long, BlockRow> blocks = new TreeMap<>();
    containing.forEach(block -> blocks.put(block.start(), block));
    List<Long> removed = new ArrayList<>();
    List<BlockRow> movedFrom = new ArrayList<>();
    for (long[] range : ranges) {
      Map.Entry<Long, BlockRow> floor = blocks.floorEntry(range[0]);
      if (floor == null || floor.getValue().end() < range[1] || range[0] > range[1]) {
        throw new IllegalStateException("serials " + range[0] + ".." + range[1] + " are not inside one block");
      }
      BlockRow block = floor.getValue();
      blocks.remove(block.start());
      if (!removed.contains(block.start())) {
        removed.add(block.start());
      }
      if (block.start() < range[0]) {
        blocks.put(block.start(), block.slice(block.start(), range[0] - 1));
      }
      if (range[1] < block.end()) {
        blocks.put(range[1] + 1, block.slice(range[1] + 1, block.end()));
      }
      movedFrom.add(block.slice(range[0], range[1]));
      blocks.put(range[0], new BlockRow(range[0], range[1], block.issuanceId(), toAccount, toState));
    }
    // Every part of a removed block is inserted anew; a containing block no range touched stays as it is.
    List<BlockRow> added = new ArrayList<>();
    for (BlockRow block : blocks.values()) {
      boolean untouched = containing.contains(block) && !removed.contains(block.start());
      if (!untouched) {
        added.add(block);
      }
    }
    return new Result(removed, added, movedFrom);
  }
}
