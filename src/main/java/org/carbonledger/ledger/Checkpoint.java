package org.carbonledger.ledger;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Checkpoint is a C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the log's origin, tree size and
 * root hash, plus optional extension lines, as the text of a signed note:
 * <pre>
 * &lt;origin&gt;\n
 * &lt;size, decimal, no leading zeros&gt;\n
 * &lt;base64 of the 32-byte root&gt;\n
 * [&lt;extension line&gt;\n]...
 * </pre>
 * Parsing is strict: exactly one spelling per checkpoint, so a signature covers one meaning. The root hash is
 * copied in and out, so a Checkpoint is immutable.
 */
public record Checkpoint(String origin, long size, byte[] rootHash, List<String> extensions) {

  /** Any length: a size too large for a long is out of range, not misspelt. */
  private static final Pattern SIZE = Pattern.compile("0|[1-9][0-9]*");

  public Checkpoint {
    Objects.requireNonNull(origin, "origin");
    checkLine(origin, "origin");
    Check.argument(size >= 0, "tree size must be >= 0");
    Check.argument(rootHash.length == Hashes.SIZE_BYTES, "root hash must be 32 bytes");
    rootHash = rootHash.clone();
    extensions = List.copyOf(extensions);
    for (String line : extensions) {
      checkLine(line, "extension line");
    }
  }

  /** A checkpoint without extension lines (the recommended form). */
  public Checkpoint(String origin, long size, byte[] rootHash) {
    this(origin, size, rootHash, List.of());
  }

  /** The root hash (a copy). */
  @Override
  public byte[] rootHash() {
    return rootHash.clone();
  }

  /** The note text of this checkpoint, ending with a newline; sign it with {@link NoteSigner#sign}. */
  public String format() {
    StringBuilder out = new StringBuilder()
        .append(origin).append('\n')
        .append(size).append('\n')
        .append(StrictBase64.encode(rootHash)).append('\n');
    for (String line : extensions) {
      out.append(line).append('\n');
    }
    return out.toString();
  }

  /** Parses checkpoint note text; throws CHECKPOINT_MALFORMED for anything {@link #format()} would not write. */
  public static Checkpoint parse(String text) {
    if (!text.endsWith("\n")) {
      throw malformed("checkpoint text must end with a newline");
    }
    String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
    if (lines.length < 3) {
      throw malformed("checkpoint needs origin, size and root hash lines");
    }
    for (String line : lines) {
      if (line.isEmpty() || line.chars().anyMatch(c -> c < 0x20)) {
        throw malformed("checkpoint lines must be non-empty, without control characters");
      }
    }
    if (!SIZE.matcher(lines[1]).matches()) {
      throw malformed("tree size must be decimal without leading zeros");
    }
    long size;
    try {
      size = Long.parseLong(lines[1]);
    } catch (NumberFormatException e) {
      throw malformed("tree size is out of range: more than 2^63-1");
    }
    byte[] root = StrictBase64.decode(lines[2], LedgerException.Code.CHECKPOINT_MALFORMED, "root hash");
    if (root.length != Hashes.SIZE_BYTES) {
      throw malformed("root hash must be 32 bytes");
    }
    return new Checkpoint(lines[0], size, root, List.of(lines).subList(3, lines.length));
  }

  /**
   * Opens a signed checkpoint: verifies the note with the log's key, parses it and checks the origin.
   *
   * @throws LedgerException a NOTE_* code, CHECKPOINT_MALFORMED or CHECKPOINT_ORIGIN_UNEXPECTED
   */
  public static Checkpoint open(String signedNote, NoteVerifier logKey, String expectedOrigin) {
    Checkpoint checkpoint = parse(SignedNote.open(signedNote, logKey));
    if (!checkpoint.origin.equals(expectedOrigin)) {
      throw new LedgerException(LedgerException.Code.CHECKPOINT_ORIGIN_UNEXPECTED,
          "checkpoint origin is \"" + checkpoint.origin + "\", expected \"" + expectedOrigin + "\"");
    }
    return checkpoint;
  }

  private static void checkLine(String line, String what) {
    Check.argument(!line.isEmpty() && line.chars().noneMatch(c -> c < 0x20),
        what + " must be non-empty, one line, without control characters");
    Check.argument(StandardCharsets.UTF_8.newEncoder().canEncode(line), what + " has an unpaired surrogate");
  }

  private static LedgerException malformed(String detail) {
    return new LedgerException(LedgerException.Code.CHECKPOINT_MALFORMED, detail);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Checkpoint c && origin.equals(c.origin) && size == c.size
        && Arrays.equals(rootHash, c.rootHash) && extensions.equals(c.extensions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(origin, size, Arrays.hashCode(rootHash), extensions);
  }

  @Override
  public String toString() {
    return "Checkpoint[" + origin + " " + size + " " + Hex.encode(rootHash) + "]";
  }
}
