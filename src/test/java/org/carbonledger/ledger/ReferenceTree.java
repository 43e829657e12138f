package org.carbonledger.ledger;

import java.util.ArrayList;
import java.util.List;

/**
 * ReferenceTree is RFC 6962 section 2.1 transcribed as directly as possible: recursive MTH, PATH and PROOF over
 * a list of leaf hashes. It is slow (linear per call) and exists only for differential tests of
 * {@link TreeMath}, {@link SubtreeHashes}, {@link CompactRange} and {@link ProofVerifier}.
 */
final class ReferenceTree {

  private ReferenceTree() {}

  /** MTH(D[n]) given the leaf hashes of D[n]. */
  static byte[] mth(List<byte[]> leaves) {
    int n = leaves.size();
    if (n == 0) {
      return Hashes.emptyRoot();
    }
    if (n == 1) {
      return leaves.get(0);
    }
    int k = largestPowerOfTwoBelow(n);
    return Hashes.nodeHash(mth(leaves.subList(0, k)), mth(leaves.subList(k, n)));
  }

  /** PATH(m, D[n]) (RFC 6962 section 2.1.1). */
  static List<byte[]> path(int m, List<byte[]> leaves) {
    int n = leaves.size();
    List<byte[]> out = new ArrayList<>();
    if (n <= 1) {
      return out;
    }
    int k = largestPowerOfTwoBelow(n);
    if (m < k) {
      out.addAll(path(m, leaves.subList(0, k)));
      out.add(mth(leaves.subList(k, n)));
    } else {
      out.addAll(path(m - k, leaves.subList(k, n)));
      out.add(mth(leaves.subList(0, k)));
    }
    return out;
  }

  /** PROOF(m, D[n]) = SUBPROOF(m, D[n], true) (RFC 6962 section 2.1.2), for 0 < m <= n. */
  static List<byte[]> proof(int m, List<byte[]> leaves) {
    return subproof(m, leaves, true);
  }

  private static List<byte[]> subproof(int m, List<byte[]> leaves, boolean whole) {
    int n = leaves.size();
    List<byte[]> out = new ArrayList<>();
    if (m == n) {
      if (!whole) {
        out.add(mth(leaves));
      }
      return out;
    }
    int k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      out.addAll(subproof(m, leaves.subList(0, k), whole));
      out.add(mth(leaves.subList(k, n)));
    } else {
      out.addAll(subproof(m - k, leaves.subList(k, n), false));
      out.add(mth(leaves.subList(0, k)));
    }
    return out;
  }

  /** The k of RFC 6962: the largest power of two smaller than n, for n > 1. */
  private static int largestPowerOfTwoBelow(int n) {
    int k = 1;
    while (k << 1 < n) {
      k <<= 1;
    }
    return k;
  }

  /** Leaf hashes for test leaves "leaf-0", "leaf-1", ..., deterministic so failures are reproducible. */
  static List<byte[]> leaves(int count) {
    List<byte[]> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(Hashes.leafHash(("leaf-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    return out;
  }
}
