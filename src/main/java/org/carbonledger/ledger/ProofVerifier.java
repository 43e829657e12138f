package org.carbonledger.ledger;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * ProofVerifier checks Merkle inclusion and consistency proofs with the algorithms of RFC 9162 sections
 * 2.1.3.2 and 2.1.4.2. Each method returns normally if the proof holds and otherwise throws a
 * {@link LedgerException} whose code says why; there is no boolean form, so a caller cannot ignore the result.
 *
 * <p>Strictness beyond the RFC text: every leaf hash, root and proof hash must be 32 bytes, and the proof must
 * have exactly the length {@link TreeMath} plans for the given index and sizes (checked before any hashing).
 * The edge rules are those of {@link TreeMath}; for consistency:
 * <ul>
 *   <li>oldSize == 0: the proof must be empty, the old root must be SHA-256("") and the new root 32 bytes
 *       (and SHA-256("") too if newSize is 0). transparency-dev/merkle rejects this case outright; we accept
 *       it because it is true and because TreeMath plans an empty proof for it.</li>
 *   <li>oldSize == newSize &gt; 0: the proof must be empty and the roots equal byte for byte. Their length is
 *       not checked here, matching transparency-dev/merkle: the roots come from checkpoints whose parser
 *       already insists on 32 bytes.</li>
 * </ul>
 */
public final class ProofVerifier {

  private ProofVerifier() {}

  /** Verifies that leafHash is the leaf at index in the tree of the given size and root. */
  public static void verifyInclusion(byte[] leafHash, long index, long size, List<byte[]> proof, byte[] root) {
    if (index < 0 || index >= size) {
      throw new LedgerException(LedgerException.Code.PROOF_INDEX_OUT_OF_RANGE,
          "need 0 <= index < size, got index " + index + " and size " + size);
    }
    checkHashLength(leafHash, "leaf hash");
    checkHashLength(root, "root");
    checkProofHashes(proof);
    checkProofLength(proof, TreeMath.inclusionProofRanges(index, size).size());
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : proof) {
      Check.state(sn != 0, "proof longer than planned");
      if ((fn & 1) == 1 || fn == sn) {
        r = Hashes.nodeHash(p, r);
        // On the right edge a node can have no right sibling: climb past the levels it skips.
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        r = Hashes.nodeHash(r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    Check.state(sn == 0, "proof shorter than planned");
    checkRoot(r, root, "inclusion proof does not lead to the root");
  }

  /** Verifies that the tree (newSize, newRoot) extends the tree (oldSize, oldRoot). */
  public static void verifyConsistency(long oldSize, long newSize, byte[] oldRoot, byte[] newRoot,
      List<byte[]> proof) {
    if (oldSize < 0 || oldSize > newSize) {
      throw new LedgerException(LedgerException.Code.PROOF_SIZES_OUT_OF_ORDER,
          "need 0 <= oldSize <= newSize, got " + oldSize + " and " + newSize);
    }
    checkProofHashes(proof);
    checkProofLength(proof, TreeMath.consistencyProofRanges(oldSize, newSize).size());
    if (oldSize == 0) {
      checkHashLength(oldRoot, "old root");
      checkHashLength(newRoot, "new root");
      checkRoot(oldRoot, Hashes.emptyRoot(), "the old root of an empty tree must be SHA-256(\"\")");
      if (newSize == 0) {
        checkRoot(newRoot, Hashes.emptyRoot(), "the new root of an empty tree must be SHA-256(\"\")");
      }
      return;
    }
    if (oldSize == newSize) {
      checkRoot(newRoot, oldRoot, "roots of equal sizes differ");
      return;
    }
    checkHashLength(oldRoot, "old root");
    checkHashLength(newRoot, "new root");
    verifyGrowth(oldSize, newSize, oldRoot, newRoot, proof);
  }

  /** RFC 9162 section 2.1.4.2 for 0 < oldSize < newSize, after the length checks. */
  private static void verifyGrowth(long oldSize, long newSize, byte[] oldRoot, byte[] newRoot,
      List<byte[]> proof) {
    List<byte[]> path = new ArrayList<>(proof.size() + 1);
    if (Long.bitCount(oldSize) == 1) {
      path.add(oldRoot); // the old tree is a whole subtree, so the RFC leaves its hash out of the proof
    }
    path.addAll(proof);
    long fn = oldSize - 1;
    long sn = newSize - 1;
    while ((fn & 1) == 1) {
      fn >>= 1;
      sn >>= 1;
    }
    byte[] fr = path.get(0);
    byte[] sr = path.get(0);
    for (byte[] c : path.subList(1, path.size())) {
      Check.state(sn != 0, "proof longer than planned");
      if ((fn & 1) == 1 || fn == sn) {
        fr = Hashes.nodeHash(c, fr);
        sr = Hashes.nodeHash(c, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        sr = Hashes.nodeHash(sr, c);
      }
      fn >>= 1;
      sn >>= 1;
    }
    Check.state(sn == 0, "proof shorter than planned");
    checkRoot(fr, oldRoot, "consistency proof does not lead to the old root");
    checkRoot(sr, newRoot, "consistency proof does not lead to the new root");
  }

  private static void checkProofHashes(List<byte[]> proof) {
    for (int i = 0; i < proof.size(); i++) {
      checkHashLength(proof.get(i), "proof hash " + i);
    }
  }

  private static void checkProofLength(List<byte[]> proof, int expected) {
    if (proof.size() != expected) {
      throw new LedgerException(LedgerException.Code.PROOF_LENGTH_WRONG,
          "proof has " + proof.size() + " hashes, expected " + expected);
    }
  }

  private static void checkHashLength(byte[] hash, String what) {
    if (hash.length != Hashes.SIZE_BYTES) {
      throw new LedgerException(LedgerException.Code.PROOF_HASH_LENGTH_WRONG,
          what + " is " + hash.length + " bytes, not 32");
    }
  }

  private static void checkRoot(byte[] computed, byte[] expected, String detail) {
    if (!MessageDigest.isEqual(computed, expected)) {
      throw new LedgerException(LedgerException.Code.PROOF_ROOT_MISMATCH, detail);
    }
  }
}
