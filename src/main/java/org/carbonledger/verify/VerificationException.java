package org.carbonledger.verify;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * VerificationException is the first property of a log or a receipt that does not hold. Its {@link Code} is the
 * contract a caller can switch on; its message is one line for people, e.g.
 * {@code entry 1234: prev does not match the leaf hash of entry 1233}, and may change.
 */
public final class VerificationException extends Exception {

  /** Code names the broken property, as a sentence about the log. */
  public enum Code {
    /** A resource could not be fetched whole (network, timeout, HTTP status, size cap). */
    FETCH_FAILED,
    /** The checkpoint note or its body breaks the C2SP signed-note or tlog-checkpoint grammar. */
    CHECKPOINT_MALFORMED,
    /** The checkpoint carries no valid signature by the given verifier key. */
    CHECKPOINT_SIGNATURE_INVALID,
    /** The checkpoint names another origin than the verifier key's name. */
    CHECKPOINT_ORIGIN_UNEXPECTED,
    /** An entry bundle is truncated or holds the wrong number of entries. */
    BUNDLE_MALFORMED,
    /** An entry does not decode strictly (not canonical JSON, wrong members, bad field). */
    ENTRY_UNDECODABLE,
    /** An entry's seq is not its position in the log. */
    ENTRY_SEQ_NOT_NEXT,
    /** An entry's prev is not the leaf hash of the entry before it. */
    ENTRY_PREV_MISMATCH,
    /** An entry's time is before the time of the entry before it. */
    ENTRY_TIME_BACKWARDS,
    /** Entry 0 is not REGISTRY_CREATED naming this log's origin and verifier key. */
    ENTRY_ZERO_WRONG,
    /** An entry after entry 0 has a type the registry does not write (REGISTRY_CREATED again, or a type unknown). */
    ENTRY_TYPE_UNKNOWN,
    /**
     * An entry does not fit the registry the entries before it built: units issued twice, units moved, retired or
     * cancelled that were not held and active, ids out of sequence, or data that does not read strictly.
     */
    ENTRY_DOES_NOT_FIT,
    /**
     * A retirement claims units twice over: for CORSIA (first or second phase) or another country's NDC, units
     * their host country had not authorised for that use or not adjusted for (docs/REGISTRY.md).
     */
    ENTRY_DOUBLE_CLAIM,
    /** The root recomputed from the entries is not the checkpoint's root. */
    ROOT_MISMATCH,
    /** A hash tile has the wrong length. */
    TILE_MALFORMED,
    /** A hash tile differs from the hashes recomputed from the entries. */
    TILE_DIFFERS,
    /** The state file cannot be read, or holds no checkpoint signed by the given key. */
    STATE_UNREADABLE,
    /** The log's checkpoint is smaller than the one saved by the last run. */
    STATE_BACKWARDS,
    /** The log's checkpoint has the saved size but another root. */
    STATE_FORK,
    /** The log's first entries no longer give the saved root: history was rewritten. */
    STATE_INCONSISTENT,
    /** The consistency proof built from the log's tiles does not verify. */
    STATE_PROOF_INVALID,
    /** The new checkpoint could not be written to the state file. */
    STATE_NOT_SAVED,
    /** A receipt breaks the C2SP tlog-proof grammar. */
    RECEIPT_MALFORMED,
    /** A receipt's index is not the seq of the entry it is checked with. */
    RECEIPT_INDEX_NOT_ENTRY_SEQ,
    /** An inclusion proof does not place the leaf under the checkpoint's root. */
    INCLUSION_PROOF_INVALID,
  }

  private final Code code;
  private final OptionalLong seq;

  public VerificationException(Code code, String message) {
    this(code, message, OptionalLong.empty(), null);
  }

  public VerificationException(Code code, String message, Throwable cause) {
    this(code, message, OptionalLong.empty(), cause);
  }

  /** A failure at one entry: {@code seq} is the position of the first bad entry. */
  public static VerificationException atEntry(Code code, long seq, String detail) {
    return new VerificationException(code, "entry " + seq + ": " + detail, OptionalLong.of(seq), null);
  }

  private VerificationException(Code code, String message, OptionalLong seq, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
    this.seq = seq;
  }

  public Code code() {
    return code;
  }

  /** The seq of the first bad entry, when the failure is at one entry. */
  public OptionalLong seq() {
    return seq;
  }
}
