package org.carbonledger.store;

import java.util.List;

/**
 * GroupRejectedException: at least one command of an all-or-nothing group broke a rule, so none of the group
 * was written. It names every failing command by its index in the group, each with its reject code.
 */
public final class GroupRejectedException extends RuntimeException {

  /** ItemRejection is one failing command of the group: its index (from 0), code and message. */
  public record ItemRejection(int index, String code, String message) {}

  private final List<ItemRejection> rejections;

  public GroupRejectedException(List<ItemRejection> rejections) {
    super(rejections.size() + " of the group's commands broke a rule; nothing was written", null, false, false);
    this.rejections = List.copyOf(rejections);
  }

  /** The failing commands, in index order; never empty. */
  public List<ItemRejection> rejections() {
    return rejections;
  }
}
