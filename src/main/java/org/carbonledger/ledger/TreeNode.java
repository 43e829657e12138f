package org.carbonledger.ledger;

import java.util.Arrays;
import java.util.Objects;

/**
 * TreeNode is a complete subtree and its hash, as the store inserts it. The hash array is copied in and out,
 * so a TreeNode is immutable.
 */
public record TreeNode(NodeId id, byte[] hash) {

  public TreeNode {
    Objects.requireNonNull(id, "id");
    Check.argument(hash.length == Hashes.SIZE_BYTES, "node hash must be 32 bytes");
    hash = hash.clone();
  }

  /** The node's hash (a copy). */
  @Override
  public byte[] hash() {
    return hash.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TreeNode node && id.equals(node.id) && Arrays.equals(hash, node.hash);
  }

  @Override
  public int hashCode() {
    return 31 * id.hashCode() + Arrays.hashCode(hash);
  }

  @Override
  public String toString() {
    return "TreeNode[" + id.level() + "/" + id.index() + " " + Hex.encode(hash) + "]";
  }
}
