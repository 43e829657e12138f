package org.carbonledger.ledger;

import java.util.Objects;

/**
 * LedgerException reports input that this package refuses: malformed bytes, an entry too large, a broken chain,
 * a proof that does not verify, a note without a valid signature. The {@link Code} is the contract that callers
 * switch on and map to their own error codes; the message is for people and may change.
 *
 * <p>It extends IllegalArgumentException because every case is "the value you passed is not acceptable". A
 * programmer error (a null, a negative level) is a plain IllegalArgumentException or IllegalStateException and
 * carries no code.
 */
public class LedgerException extends IllegalArgumentException {

  /** Code names what is wrong with the input, as a sentence about it. Numbers are not part of the contract. */
  public enum Code {
    /** A hex string has odd length, upper-case letters or characters outside [0-9a-f]. */
    HEX_MALFORMED,
    /** JSON bytes are not valid UTF-8, not valid JSON, nested too deeply, or followed by more data. */
    JSON_MALFORMED,
    /** A JSON object repeats a member name. */
    JSON_DUPLICATE_KEY,
    /** A JSON number has a fraction or exponent, or lies outside +-(2^53-1). */
    JSON_NUMBER_NOT_SAFE_INTEGER,
    /** A JSON string contains an unpaired UTF-16 surrogate. */
    JSON_STRING_HAS_LONE_SURROGATE,
    /** A value handed to the encoder is not in the value model (for example a Double or a non-String key). */
    JSON_VALUE_UNSUPPORTED,
    /** An encoded entry exceeds {@link LedgerEntry#SIZE_MAX_BYTES}. */
    ENTRY_TOO_LARGE,
    /** Entry bytes are valid JSON but not in RFC 8785 canonical form. */
    ENTRY_NOT_CANONICAL,
    /** An entry is not an object with exactly the members data, prev, seq, time and type. */
    ENTRY_FIELDS_WRONG,
    /** An entry's seq is not an integer in 0..2^53-1. */
    ENTRY_SEQ_INVALID,
    /** An entry's prev is not 64 lowercase hex digits. */
    ENTRY_PREV_INVALID,
    /** An entry's time is not a string of the form yyyy-MM-ddTHH:mm:ss.SSSSSSZ naming a real instant. */
    ENTRY_TIME_INVALID,
    /** An entry's type does not match [A-Z][A-Z0-9_]*. */
    ENTRY_TYPE_INVALID,
    /** An entry's data is not a JSON object. */
    ENTRY_DATA_NOT_OBJECT,
    /** An entry's seq is not the one that follows the previous entry. */
    CHAIN_SEQ_NOT_NEXT,
    /** An entry's prev is not the leaf hash of the previous entry. */
    CHAIN_PREV_MISMATCH,
    /** A leaf index is negative or not below the tree size. */
    PROOF_INDEX_OUT_OF_RANGE,
    /** Tree sizes are negative or the old size exceeds the new size. */
    PROOF_SIZES_OUT_OF_ORDER,
    /** A leaf hash, root hash or proof hash is not 32 bytes long. */
    PROOF_HASH_LENGTH_WRONG,
    /** A proof has more or fewer hashes than the sizes and index require. */
    PROOF_LENGTH_WRONG,
    /** A proof does not lead to the given root hash (or the roots of equal sizes differ). */
    PROOF_ROOT_MISMATCH,
    /** A signed note is larger than {@link SignedNote#SIZE_MAX_BYTES}. */
    NOTE_TOO_LARGE,
    /** A signed note breaks the C2SP signed-note grammar. */
    NOTE_MALFORMED,
    /** No signature in a note comes from a key the caller trusts. */
    NOTE_NOT_SIGNED_BY_KNOWN_KEY,
    /** A signature from a trusted key does not verify, so the whole note is rejected. */
    NOTE_SIGNATURE_INVALID,
    /** A key name, verifier key or private key string is malformed or of an unsupported type. */
    KEY_MALFORMED,
    /** A checkpoint body breaks the C2SP tlog-checkpoint grammar. */
    CHECKPOINT_MALFORMED,
    /** A checkpoint names another origin than the one the caller expects. */
    CHECKPOINT_ORIGIN_UNEXPECTED,
    /** A tile or entry bundle path breaks the C2SP tlog-tiles grammar. */
    TILE_PATH_MALFORMED,
    /** Tile bytes are not width times 32 bytes. */
    TILE_DATA_MALFORMED,
    /** Entry bundle bytes are truncated, hold too many entries, or the wrong number of them. */
    BUNDLE_MALFORMED,
    /** A receipt breaks the C2SP tlog-proof grammar. */
    RECEIPT_MALFORMED,
    /** A receipt's index differs from the seq of the entry it is presented with. */
    RECEIPT_INDEX_NOT_ENTRY_SEQ,
  }

  private final Code code;
  private final String detail;

  public LedgerException(Code code, String detail) {
    super(Objects.requireNonNull(code, "code").name() + ": " + detail);
    this.code = code;
    this.detail = detail;
  }

  /** The human-readable part of the message, without the code. */
  public String detail() {
    return detail;
  }

  /** The machine-readable reason. */
  public Code code() {
    return code;
  }
}
