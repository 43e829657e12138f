package org.carbonledger.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * InclusionReceipt is a receipt in the C2SP tlog-proof format (https://c2sp.org/tlog-proof): an
 * offline-verifiable proof that an entry is in the log, made of the entry's index, its inclusion proof and a
 * signed checkpoint. A retirement returns one, and a buyer checks it with the log's public key alone. The text
 * form is
 * <pre>
 * c2sp.org/tlog-proof@v1
 * [extra &lt;base64 opaque data&gt;]
 * index &lt;decimal, no leading zeros&gt;
 * &lt;base64 proof hash&gt;      (zero or more lines, from the leaf's sibling up)
 *
 * &lt;signed checkpoint note, verbatim&gt;
 * </pre>
 * The extra data is not authenticated and this package never interprets it.
 */
public final class InclusionReceipt {

  /** First line of every receipt. */
  public static final String HEADER = "c2sp.org/tlog-proof@v1";

  /** Largest receipt accepted, in characters: a note at its limit plus a full proof. */
  public static final int SIZE_MAX_CHARS = SignedNote.SIZE_MAX_BYTES + 8 * 1024;

  /** Most proof hashes: the height of a tree of 2^63-1 leaves. */
  public static final int PROOF_HASHES_MAX = 63;

  /** Any length: an index too large for a long is out of range, not misspelt. */
  private static final Pattern INDEX = Pattern.compile("index (0|[1-9][0-9]*)");

  private final byte[] extra;
  private final long index;
  private final List<byte[]> proof;
  private final String signedCheckpoint;

  /**
   * @param extra            opaque data or null; if present it MUST be non-empty
   * @param index            the entry's 0-based index (its seq)
   * @param proof            the RFC 6962 inclusion proof in the checkpoint's tree, 32-byte hashes
   * @param signedCheckpoint the signed checkpoint note, exactly as the log served it
   */
  public InclusionReceipt(byte[] extra, long index, List<byte[]> proof, String signedCheckpoint) {
    Check.argument(extra == null || extra.length > 0, "extra data, if present, must be non-empty");
    Check.argument(index >= 0, "index must be >= 0");
    Check.argument(proof.size() <= PROOF_HASHES_MAX, "proof longer than " + PROOF_HASHES_MAX + " hashes");
    Check.argument(!signedCheckpoint.isEmpty(), "signed checkpoint is empty");
    List<byte[]> copy = new ArrayList<>(proof.size());
    for (byte[] hash : proof) {
      Check.argument(hash.length == Hashes.SIZE_BYTES, "proof hashes must be 32 bytes");
      copy.add(hash.clone());
    }
    this.extra = extra == null ? null : extra.clone();
    this.index = index;
    this.proof = copy;
    this.signedCheckpoint = signedCheckpoint;
  }

  /** The unauthenticated extra data, if any. */
  public Optional<byte[]> extra() {
    return Optional.ofNullable(extra).map(byte[]::clone);
  }

  /** The entry's index in the log. */
  public long index() {
    return index;
  }

  /** Copies of the proof hashes, leaf to root. */
  public List<byte[]> proof() {
    List<byte[]> out = new ArrayList<>(proof.size());
    proof.forEach(hash -> out.add(hash.clone()));
    return out;
  }

  /** The signed checkpoint note. */
  public String signedCheckpoint() {
    return signedCheckpoint;
  }

  /** The receipt's text form. */
  public String format() {
    StringBuilder out = new StringBuilder(HEADER).append('\n');
    if (extra != null) {
      out.append("extra ").append(StrictBase64.encode(extra)).append('\n');
    }
    out.append("index ").append(index).append('\n');
    for (byte[] hash : proof) {
      out.append(StrictBase64.encode(hash)).append('\n');
    }
    return out.append('\n').append(signedCheckpoint).toString();
  }

  /** Parses the text form; throws RECEIPT_MALFORMED. The checkpoint is only checked by {@link #verify}. */
  public static InclusionReceipt parse(String text) {
    if (text.length() > SIZE_MAX_CHARS) {
      throw malformed("receipt longer than " + SIZE_MAX_CHARS + " characters");
    }
    Lines lines = new Lines(text);
    if (!HEADER.equals(lines.next())) {
      throw malformed("first line must be " + HEADER);
    }
    String line = lines.next();
    byte[] extra = null;
    if (line.startsWith("extra ")) {
      extra = StrictBase64.decode(line.substring(6), LedgerException.Code.RECEIPT_MALFORMED, "extra data");
      if (extra.length == 0) {
        throw malformed("extra line without data");
      }
      line = lines.next();
    }
    if (!INDEX.matcher(line).matches()) {
      throw malformed("expected 'index <decimal without leading zeros>'");
    }
    long index = parseIndex(line.substring(6));
    List<byte[]> proof = new ArrayList<>();
    for (line = lines.next(); !line.isEmpty(); line = lines.next()) {
      if (proof.size() == PROOF_HASHES_MAX) {
        throw malformed("more than " + PROOF_HASHES_MAX + " proof hashes");
      }
      byte[] hash = StrictBase64.decode(line, LedgerException.Code.RECEIPT_MALFORMED, "proof hash");
      if (hash.length != Hashes.SIZE_BYTES) {
        throw malformed("proof hash " + proof.size() + " is not 32 bytes");
      }
      proof.add(hash);
    }
    String note = lines.rest();
    if (note.isEmpty()) {
      throw malformed("no signed checkpoint after the blank line");
    }
    return new InclusionReceipt(extra, index, proof, note);
  }

  /**
   * Verifies the receipt for a leaf hash: the checkpoint is signed by logKey and names the expected origin,
   * and the proof places the leaf at {@link #index()} under its root. Returns the verified checkpoint.
   */
  public Checkpoint verify(byte[] leafHash, String origin, NoteVerifier logKey) {
    Checkpoint checkpoint = Checkpoint.open(signedCheckpoint, logKey, origin);
    ProofVerifier.verifyInclusion(leafHash, index, checkpoint.size(), proof, checkpoint.rootHash());
    return checkpoint;
  }

  /**
   * Verifies the receipt for entry bytes: they must decode as a ledger entry whose seq is the receipt's
   * index, and {@link #verify} must pass for their leaf hash.
   */
  public Checkpoint verifyEntry(byte[] entryBytes, String origin, NoteVerifier logKey) {
    LedgerEntry entry = EntryCodec.decode(entryBytes);
    if (entry.seq() != index) {
      throw new LedgerException(LedgerException.Code.RECEIPT_INDEX_NOT_ENTRY_SEQ,
          "receipt index " + index + " but entry seq " + entry.seq());
    }
    return verify(Hashes.leafHash(entryBytes), origin, logKey);
  }

  private static long parseIndex(String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw malformed("index is out of range: more than 2^63-1");
    }
  }

  private static LedgerException malformed(String detail) {
    return new LedgerException(LedgerException.Code.RECEIPT_MALFORMED, detail);
  }

  /** Lines reads newline-terminated lines from the front of the receipt and hands over the rest verbatim. */
  private static final class Lines {
    private final String text;
    private int pos;

    Lines(String text) {
      this.text = text;
    }

    String next() {
      int end = text.indexOf('\n', pos);
      if (end < 0) {
        throw malformed("receipt ends early");
      }
      String line = text.substring(pos, end);
      pos = end + 1;
      return line;
    }

    String rest() {
      return text.substring(pos);
    }
  }
}
