package org.carbonledger.ledger;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.function.Executable;

/**
 * Corruptions turns one valid proof into dynamic tests that each change one thing and expect a rejection, in
 * the manner of transparency-dev/merkle's probe generator: index +-1, size doubled or halved, a wrong root,
 * each proof hash and the leaf bit-flipped, a hash dropped or added at either end. Size +-1 is left out for
 * inclusion on purpose: the proof of leaf 0 in a tree of 3 leaves also verifies "in a tree of 4 with the same
 * root", since an inclusion proof alone does not bind the size (the signed checkpoint does).
 */
final class Corruptions {

  private Corruptions() {}

  static Stream<DynamicNode> inclusion(byte[] leaf, long index, long size, List<byte[]> path, byte[] root) {
    List<DynamicNode> out = new ArrayList<>();
    out.add(rejects("index + 1", () -> ProofVerifier.verifyInclusion(leaf, index + 1, size, path, root)));
    out.add(rejects("index - 1", () -> ProofVerifier.verifyInclusion(leaf, index - 1, size, path, root)));
    out.add(rejects("size doubled", () -> ProofVerifier.verifyInclusion(leaf, index, size * 2, path, root)));
    out.add(rejects("size halved", () -> ProofVerifier.verifyInclusion(leaf, index, size / 2, path, root)));
    out.add(rejects("wrong root", () -> ProofVerifier.verifyInclusion(leaf, index, size, path, flip(root, 0))));
    out.add(rejects("leaf bit-flipped", () -> ProofVerifier.verifyInclusion(flip(leaf, 7), index, size, path, root)));
    out.add(rejects("root given as leaf", () -> ProofVerifier.verifyInclusion(root, index, size, path, root),
        size > 1));
    for (int i = 0; i < path.size(); i++) {
      int at = i;
      out.add(rejects("proof hash " + i + " bit-flipped",
          () -> ProofVerifier.verifyInclusion(leaf, index, size, flipAt(path, at), root)));
    }
    for (List<byte[]> changed : lengthChanges(path, root)) {
      out.add(rejects("proof of " + changed.size() + " hashes",
          () -> ProofVerifier.verifyInclusion(leaf, index, size, changed, root)));
    }
    return out.stream();
  }

  static Stream<DynamicNode> consistency(long oldSize, long newSize, byte[] oldRoot, byte[] newRoot,
      List<byte[]> path) {
    List<DynamicNode> out = new ArrayList<>();
    out.add(rejects("old size + 1", () -> ProofVerifier.verifyConsistency(oldSize + 1, newSize, oldRoot, newRoot, path)));
    out.add(rejects("old size - 1", () -> ProofVerifier.verifyConsistency(oldSize - 1, newSize, oldRoot, newRoot, path)));
    out.add(rejects("new size doubled",
        () -> ProofVerifier.verifyConsistency(oldSize, newSize * 2, oldRoot, newRoot, path)));
    out.add(rejects("new size halved",
        () -> ProofVerifier.verifyConsistency(oldSize, newSize / 2, oldRoot, newRoot, path)));
    out.add(rejects("wrong old root",
        () -> ProofVerifier.verifyConsistency(oldSize, newSize, flip(oldRoot, 0), newRoot, path)));
    out.add(rejects("wrong new root",
        () -> ProofVerifier.verifyConsistency(oldSize, newSize, oldRoot, flip(newRoot, 31), path)));
    out.add(rejects("roots swapped", () -> ProofVerifier.verifyConsistency(oldSize, newSize, newRoot, oldRoot, path),
        oldSize != newSize));
    for (int i = 0; i < path.size(); i++) {
      int at = i;
      out.add(rejects("proof hash " + i + " bit-flipped",
          () -> ProofVerifier.verifyConsistency(oldSize, newSize, oldRoot, newRoot, flipAt(path, at))));
    }
    for (List<byte[]> changed : lengthChanges(path, newRoot)) {
      out.add(rejects("proof of " + changed.size() + " hashes",
          () -> ProofVerifier.verifyConsistency(oldSize, newSize, oldRoot, newRoot, changed)));
    }
    return out.stream();
  }

  /** The proof with its first or last hash dropped, and with a hash added at the front or back. */
  private static List<List<byte[]>> lengthChanges(List<byte[]> path, byte[] extra) {
    List<List<byte[]>> out = new ArrayList<>();
    if (!path.isEmpty()) {
      out.add(path.subList(1, path.size()));
      out.add(path.subList(0, path.size() - 1));
    }
    List<byte[]> front = new ArrayList<>(path);
    front.add(0, extra);
    out.add(front);
    List<byte[]> back = new ArrayList<>(path);
    back.add(extra);
    out.add(back);
    return out;
  }

  private static DynamicNode rejects(String name, Executable verify) {
    return rejects(name, verify, true);
  }

  private static DynamicNode rejects(String name, Executable verify, boolean applies) {
    return dynamicTest(name, () -> {
      if (applies) {
        assertThrows(LedgerException.class, verify);
      }
    });
  }

  static byte[] flip(byte[] hash, int bit) {
    byte[] out = hash.clone();
    out[bit / 8] ^= (byte) (1 << (bit % 8));
    return out;
  }

  static List<byte[]> flipAt(List<byte[]> path, int at) {
    List<byte[]> out = new ArrayList<>(path);
    out.set(at, flip(path.get(at), 3));
    return out;
  }
}
