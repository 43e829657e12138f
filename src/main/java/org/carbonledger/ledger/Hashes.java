package org.carbonledger.ledger;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Hashes computes the RFC 6962 tree hashes with SHA-256. The 0x00 and 0x01 prefixes keep a leaf from ever
 * being read as an inner node (RFC 6962 section 2.1), and the same leaf hash is the chain link ({@code prev}),
 * so the chain and the tree cannot disagree about an entry.
 */
public final class Hashes {

  /** Length of every hash in the ledger, in bytes. */
  public static final int SIZE_BYTES = 32;

  private static final byte[] LEAF_PREFIX = {0x00};
  private static final byte[] NODE_PREFIX = {0x01};

  private Hashes() {}

  /** SHA-256 of the concatenation of parts. */
  public static byte[] sha256(byte[]... parts) {
    MessageDigest digest = newDigest();
    for (byte[] part : parts) {
      digest.update(part);
    }
    return digest.digest();
  }

  /** RFC 6962 leaf hash: SHA-256(0x00 || entry bytes). */
  public static byte[] leafHash(byte[] entryBytes) {
    return sha256(LEAF_PREFIX, entryBytes);
  }

  /**
   * RFC 6962 inner node hash: SHA-256(0x01 || left || right). Lengths are not checked here (the RFC test
   * vectors hash short strings); callers that take hashes from outside check them.
   */
  public static byte[] nodeHash(byte[] left, byte[] right) {
    return sha256(NODE_PREFIX, left, right);
  }

  /** Root of the empty tree: SHA-256 of the empty string. */
  public static byte[] emptyRoot() {
    return sha256();
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java runtime must provide SHA-256 (java.security.MessageDigest docs).
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }
}
