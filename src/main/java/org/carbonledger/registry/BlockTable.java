package org.carbonledger.registry;

import org.carbonledger.ledger.Check;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * BlockTable holds every block, by first serial, so the block holding a serial and the split of a block are
 * O(log n); it also indexes blocks by account and keeps each account's active quantity. The store's SQL
 * projector uses it too, on just the blocks an entry touches, so both apply one split rule.
 */
public final class BlockTable {

  private final TreeMap<Long, Block> byStart = new TreeMap<>();
  /**
   * Each account's ACTIVE blocks by first serial, the blocks themselves: choosing units by quantity lists them,
   * and must not wade through an account's retired and cancelled history or look each block up again.
   */
  private final Map<String, TreeMap<Long, Block>> activeBlocksByAccount = new HashMap<>();
  private final Map<String, Long> activeQuantityByAccount = new HashMap<>();

  BlockTable copy() {
    BlockTable copy = new BlockTable();
    for (Block block : byStart.values()) {
      copy.add(block);
    }
    return copy;
  }

  /** The block holding {@code serial}, or null. */
  public Block containing(long serial) {
    Map.Entry<Long, Block> floor = byStart.floorEntry(serial);
    return floor != null && floor.getValue().end() >= serial ? floor.getValue() : null;
  }

  /** True if no block holds any serial of {@code range}. */
  boolean isFree(SerialRange range) {
    Map.Entry<Long, Block> floor = byStart.floorEntry(range.end());
    return floor == null || floor.getValue().end() < range.start();
  }

  /** The blocks overlapping {@code range}, ascending. */
  Collection<Block> overlapping(SerialRange range) {
    Long from = byStart.floorKey(range.start());
    if (from == null || byStart.get(from).end() < range.start()) {
      from = range.start();
    }
    return byStart.subMap(from, true, range.end(), true).values();
  }

  /** Every block, ascending. */
  public Collection<Block> all() {
    return byStart.values();
  }

  int size() {
    return byStart.size();
  }

  /** The account's ACTIVE blocks, ascending; a view, not to be kept across changes. */
  Collection<Block> activeOf(String accountId) {
    TreeMap<Long, Block> blocks = activeBlocksByAccount.get(accountId);
    return blocks == null ? List.of() : Collections.unmodifiableCollection(blocks.values());
  }

  long activeQuantity(String accountId) {
    return activeQuantityByAccount.getOrDefault(accountId, 0L);
  }

  Map<String, Long> activeQuantities() {
    return Map.copyOf(activeQuantityByAccount);
  }

  /** Adds a block; it MUST NOT overlap another. */
  public void add(Block block) {
    Check.state(isFree(block.range()), "block " + block.start() + ".." + block.end() + " overlaps another");
    Long start = block.start(); // boxed once for both maps
    byStart.put(start, block);
    if (block.state() == BlockState.ACTIVE) {
      activeBlocksByAccount.computeIfAbsent(block.accountId(), k -> new TreeMap<>()).put(start, block);
      activeQuantityByAccount.merge(block.accountId(), block.size(), Math::addExact);
    }
  }

  /**
   * Replaces the part {@code range} of the block holding it by a block of the same issuance held by
   * {@code accountId} in {@code state}; the rest of the old block stays as it was, in up to two parts.
   * The range MUST lie inside one block.
   */
  public void move(SerialRange range, String accountId, BlockState state) {
    Block old = containing(range.start());
    Check.state(old != null && old.end() >= range.end(), "range is not inside one block");
    remove(old);
    if (old.start() < range.start()) {
      add(old.part(old.start(), range.start() - 1));
    }
    add(new Block(range.start(), range.end(), old.issuanceId(), accountId, state));
    if (range.end() < old.end()) {
      add(old.part(range.end() + 1, old.end()));
    }
  }

  /** Puts back {@code block} as it was before it was split: its parts, which fill its range, are removed. */
  void restore(Block block) {
    for (Block part : List.copyOf(overlapping(block.range()))) {
      remove(part);
    }
    add(block);
  }

  void remove(Block block) {
    byStart.remove(block.start());
    if (block.state() == BlockState.ACTIVE) {
      TreeMap<Long, Block> active = activeBlocksByAccount.get(block.accountId());
      active.remove(block.start());
      if (active.isEmpty()) {
        activeBlocksByAccount.remove(block.accountId());
      }
      long left = activeQuantityByAccount.get(block.accountId()) - block.size();
      if (left == 0) {
        activeQuantityByAccount.remove(block.accountId());
      } else {
        activeQuantityByAccount.put(block.accountId(), left);
      }
    }
  }
}
