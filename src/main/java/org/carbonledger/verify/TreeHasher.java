package org.carbonledger.verify;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.carbonledger.ledger.Hashes;

/**
 * TreeHasher computes RFC 6962 leaf and node hashes, as {@link Hashes} does, with one SHA-256 digest that it
 * keeps: the verifier hashes every entry and about as many nodes, and Hashes looks up a new digest each time,
 * which costs more than hashing a small entry. Not safe for concurrent use.
 */
final class TreeHasher {

  private static final byte LEAF_PREFIX = 0x00;
  private static final byte NODE_PREFIX = 0x01;

  private final MessageDigest sha256;

  TreeHasher() {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java runtime must provide SHA-256 (java.security.MessageDigest docs).
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }

  /** SHA-256(0x00 || the entry at bytes[offset, offset + length)). */
  byte[] leafHash(byte[] bytes, int offset, int length) {
    sha256.update(LEAF_PREFIX);
    sha256.update(bytes, offset, length);
    return sha256.digest();
  }

  /** SHA-256(0x01 || left || right). */
  byte[] nodeHash(byte[] left, byte[] right) {
    sha256.update(NODE_PREFIX);
    sha256.update(left);
    sha256.update(right);
    return sha256.digest();
  }
}
