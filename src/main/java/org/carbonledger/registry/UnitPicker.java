package org.carbonledger.registry;

import org.carbonledger.ledger.Check;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * UnitPicker turns a validated selection and the snapshot's candidate blocks into the serial ranges a movement
 * takes, or the first movement rule it breaks, in the order of {@code Precedence.SELECTION_STATE}:
 * SELECTION_SPANS_TOO_MANY_BLOCKS, SERIAL_NOT_ISSUED, UNITS_NOT_HELD, UNITS_ALREADY_RETIRED,
 * UNITS_ALREADY_CANCELLED. It first checks that the candidates are what {@link BlockView} says a snapshot holds
 * (a failed check is a store bug and throws IllegalStateException).
 */
final class UnitPicker {

  /**
   * Picked is the outcome: either {@code rejection}, or the {@code ranges} taken (ascending, each inside one
   * block as it stands), their total {@code quantity} and the distinct {@code sources} they come from.
   */
  record Picked(Decision.Rejected rejection, List<SerialRange> ranges, long quantity, List<BlockView> sources) {

    static Picked refused(RejectCode code, String message) {
      return new Picked(new Decision.Rejected(code, message), List.of(), 0, List.of());
    }
  }

  private UnitPicker() {}

  static Picked pick(UnitSelection selection, String accountId, List<BlockView> candidates) {
    if (selection instanceof UnitSelection.Ranges r) {
      return pickRanges(Selections.normalised(r.ranges()), accountId, candidates);
    }
    return pickQuantity((UnitSelection.ByQuantity) selection, accountId, candidates);
  }

  private static Picked pickRanges(List<SerialRange> ranges, String accountId, List<BlockView> candidates) {
    checkAscending(candidates);
    List<SerialRange> pieces = new ArrayList<>();
    List<BlockView> pieceSources = new ArrayList<>();
    boolean[] used = new boolean[candidates.size()];
    String gap = null;
    for (SerialRange range : ranges) {
      long next = range.start();
      for (int i = 0; i < candidates.size(); i++) {
        BlockView candidate = candidates.get(i);
        Block block = candidate.block();
        if (block.end() < range.start() || block.start() > range.end()) {
          continue;
        }
        if (block.start() > next && gap == null) {
          gap = "serial " + next + " is not issued";
        }
        pieces.add(new SerialRange(Math.max(block.start(), range.start()), Math.min(block.end(), range.end())));
        pieceSources.add(candidate);
        used[i] = true;
        next = block.end() + 1;
      }
      if (next <= range.end() && gap == null) {
        gap = "serial " + next + " is not issued";
      }
    }
    for (boolean isUsed : used) {
      Check.state(isUsed, "snapshot has a block outside the selected ranges");
    }
    if (candidates.size() > Limits.BLOCKS_PER_ENTRY_MAX || pieces.size() > Limits.BLOCKS_PER_ENTRY_MAX) {
      return Picked.refused(RejectCode.SELECTION_SPANS_TOO_MANY_BLOCKS, tooMany());
    }
    if (gap != null) {
      return Picked.refused(RejectCode.SERIAL_NOT_ISSUED, gap);
    }
    for (BlockView source : pieceSources) {
      if (!source.block().accountId().equals(accountId)) {
        return Picked.refused(RejectCode.UNITS_NOT_HELD,
            "serials from " + source.block().start() + " are not held by account " + accountId);
      }
    }
    Picked finalUse = finalState(pieceSources);
    if (finalUse != null) {
      return finalUse;
    }
    return taken(pieces, pieceSources);
  }

  private static Picked pickQuantity(UnitSelection.ByQuantity selection, String accountId,
      List<BlockView> candidates) {
    List<SerialRange> pieces = new ArrayList<>();
    List<BlockView> sources = new ArrayList<>();
    long remaining = selection.quantity();
    BlockView previous = null;
    for (BlockView candidate : candidates) {
      Block block = candidate.block();
      Check.state(block.accountId().equals(accountId) && block.state() == BlockState.ACTIVE
          && selection.matches(candidate.issuance()), "snapshot has a block the selection does not match");
      Check.state(previous == null || isBefore(previous, candidate), "snapshot blocks not in vintage order");
      previous = candidate;
      if (remaining == 0) {
        continue;
      }
      long take = Math.min(block.size(), remaining);
      pieces.add(new SerialRange(block.start(), block.start() + take - 1));
      sources.add(candidate);
      remaining -= take;
    }
    if (pieces.size() > Limits.BLOCKS_PER_ENTRY_MAX) {
      return Picked.refused(RejectCode.SELECTION_SPANS_TOO_MANY_BLOCKS, tooMany());
    }
    if (remaining > 0) {
      return Picked.refused(RejectCode.UNITS_NOT_HELD, "account " + accountId + " holds "
          + (selection.quantity() - remaining) + " matching active units, fewer than " + selection.quantity());
    }
    pieces.sort((a, b) -> Long.compare(a.start(), b.start()));
    return taken(pieces, sources);
  }

  private static Picked finalState(List<BlockView> sources) {
    for (BlockState state : List.of(BlockState.RETIRED, BlockState.CANCELLED)) {
      for (BlockView source : sources) {
        if (source.block().state() == state) {
          RejectCode code = state == BlockState.RETIRED ? RejectCode.UNITS_ALREADY_RETIRED
              : RejectCode.UNITS_ALREADY_CANCELLED;
          return Picked.refused(code, "serials from " + source.block().start() + " are " + state);
        }
      }
    }
    return null;
  }

  private static Picked taken(List<SerialRange> pieces, List<BlockView> pieceSources) {
    long quantity = 0;
    for (SerialRange piece : pieces) {
      quantity = Math.addExact(quantity, piece.size());
    }
    Map<Long, BlockView> distinct = new LinkedHashMap<>();
    for (BlockView source : pieceSources) {
      distinct.putIfAbsent(source.block().start(), source);
    }
    return new Picked(null, List.copyOf(pieces), quantity, List.copyOf(distinct.values()));
  }

  private static boolean isBefore(BlockView a, BlockView b) {
    int byVintage = Integer.compare(a.issuance().vintage(), b.issuance().vintage());
    return byVintage < 0 || byVintage == 0 && a.block().start() < b.block().start();
  }

  private static void checkAscending(List<BlockView> candidates) {
    for (int i = 1; i < candidates.size(); i++) {
      Check.state(candidates.get(i - 1).block().end() < candidates.get(i).block().start(),
          "snapshot blocks overlap or are not in serial order");
    }
  }

  private static String tooMany() {
    return "the units come from more than " + Limits.BLOCKS_PER_ENTRY_MAX + " blocks; move them in parts";
  }
}
