package org.carbonledger.ledger;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * LedgerEntry is one decoded log entry: its position {@code seq}, the link {@code prev} to the entry before,
 * the {@code time} it was sequenced, its {@code type} and the command {@code data}. The bytes that are stored
 * and hashed come from {@link EntryCodec}; this record is their meaning.
 *
 * <p>The constructor enforces every field rule, so a LedgerEntry that exists can always be encoded (short of
 * the size limit and of data outside the {@link CanonicalJson} value model). {@code time} is truncated to
 * microseconds here, because that is all the encoding keeps. {@code data} is copied shallowly into an
 * unmodifiable map; nested values are taken as they are and MUST NOT be changed afterwards.
 *
 * @param seq  0-based index of the entry in the log, at most 2^53-1 so that it stays an exact JSON number
 * @param prev lowercase hex of the previous entry's leaf hash; {@link #ZERO_HASH_HEX} for seq 0
 * @param time when the writer sequenced the entry, UTC, microsecond precision
 * @param type entry type in upper snake case, e.g. {@code REGISTRY_CREATED}
 * @param data command data, a JSON object in the {@link CanonicalJson} value model
 */
public record LedgerEntry(long seq, String prev, Instant time, String type, Map<String, Object> data) {

  /** The {@code prev} of entry 0: 64 zeros, since there is no previous entry to hash. */
  public static final String ZERO_HASH_HEX = "0".repeat(2 * Hashes.SIZE_BYTES);

  /** Largest encoded entry, in bytes: a C2SP entry bundle prefixes each entry with a uint16 length. */
  public static final int SIZE_MAX_BYTES = 65_535;

  private static final Pattern TYPE = Pattern.compile("[A-Z][A-Z0-9_]*");

  public LedgerEntry {
    Objects.requireNonNull(prev, "prev");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(data, "data");
    if (seq < 0 || seq > CanonicalJson.SAFE_INTEGER_MAX) {
      throw new LedgerException(LedgerException.Code.ENTRY_SEQ_INVALID,
          "seq " + seq + " is outside 0..2^53-1");
    }
    if (!Hex.isLowerHex(prev, 2 * Hashes.SIZE_BYTES)) {
      throw new LedgerException(LedgerException.Code.ENTRY_PREV_INVALID,
          "prev must be 64 lowercase hex digits");
    }
    checkType(type);
    time = EntryTime.normalize(time);
    data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
  }

  static void checkType(String type) {
    if (!TYPE.matcher(type).matches()) {
      throw new LedgerException(LedgerException.Code.ENTRY_TYPE_INVALID,
          "type must match [A-Z][A-Z0-9_]*, got \"" + type + "\"");
    }
  }

  /** The time as written in the entry, e.g. {@code 2026-01-01T00:00:00.000000Z}. */
  public String timeText() {
    return EntryTime.format(time);
  }
}
