package org.carbonledger.ledger;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * EntryCodec turns a {@link LedgerEntry} into the exact bytes that are stored, hashed and served, and back.
 * The bytes are the RFC 8785 canonical JSON object
 * {@code {"data":{...},"prev":"<64 hex>","seq":<n>,"time":"<yyyy-MM-ddTHH:mm:ss.SSSSSSZ>","type":"<TYPE>"}}
 * (members in that order because JCS sorts them), at most {@link LedgerEntry#SIZE_MAX_BYTES} bytes.
 *
 * <p>Decoding is the check a verifier runs on bytes it did not make, so it refuses anything the encoder would
 * not have produced: other whitespace or escapes, extra or missing members, a wrong type for a member.
 */
public final class EntryCodec {

  private static final Set<String> FIELDS = Set.of("data", "prev", "seq", "time", "type");

  private EntryCodec() {}

  /** Encodes an entry; throws EntryTooLargeException over the limit, LedgerException for unencodable data. */
  public static byte[] encode(LedgerEntry entry) {
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("data", entry.data());
    object.put("prev", entry.prev());
    object.put("seq", entry.seq());
    object.put("time", entry.timeText());
    object.put("type", entry.type());
    byte[] bytes = CanonicalJson.encode(object);
    if (bytes.length > LedgerEntry.SIZE_MAX_BYTES) {
      throw new EntryTooLargeException(bytes.length);
    }
    return bytes;
  }

  /**
   * Decodes and validates entry bytes. Checks, in this order: size, JSON syntax, canonical form, the five
   * members, then seq, prev, time, type and data. The first failure is reported.
   */
  public static LedgerEntry decode(byte[] bytes) {
    if (bytes.length > LedgerEntry.SIZE_MAX_BYTES) {
      throw new EntryTooLargeException(bytes.length);
    }
    Object parsed = CanonicalJson.parse(bytes);
    // Whatever the parser returns is encodable, so this is isCanonical without parsing twice.
    if (!Arrays.equals(CanonicalJson.encode(parsed), bytes)) {
      throw new LedgerException(LedgerException.Code.ENTRY_NOT_CANONICAL,
          "entry is not in RFC 8785 canonical form");
    }
    if (!(parsed instanceof Map<?, ?> object) || !object.keySet().equals(FIELDS)) {
      throw new LedgerException(LedgerException.Code.ENTRY_FIELDS_WRONG,
          "entry must be an object with exactly the members data, prev, seq, time and type");
    }
    long seq = seq(object.get("seq"));
    String prev = prev(object.get("prev"));
    Instant time = EntryTime.parse(text(object.get("time"), LedgerException.Code.ENTRY_TIME_INVALID, "time"));
    String type = text(object.get("type"), LedgerException.Code.ENTRY_TYPE_INVALID, "type");
    LedgerEntry.checkType(type);
    // The constructor re-checks seq, prev and type; the calls above only fix the order of reporting.
    return new LedgerEntry(seq, prev, time, type, data(object.get("data")));
  }

  private static long seq(Object value) {
    if (!(value instanceof Long seq) || seq < 0) {
      throw new LedgerException(LedgerException.Code.ENTRY_SEQ_INVALID, "seq must be an integer >= 0");
    }
    return seq;
  }

  private static String prev(Object value) {
    String prev = text(value, LedgerException.Code.ENTRY_PREV_INVALID, "prev");
    if (!Hex.isLowerHex(prev, 2 * Hashes.SIZE_BYTES)) {
      throw new LedgerException(LedgerException.Code.ENTRY_PREV_INVALID,
          "prev must be 64 lowercase hex digits");
    }
    return prev;
  }

  private static String text(Object value, LedgerException.Code code, String field) {
    if (!(value instanceof String s)) {
      throw new LedgerException(code, field + " must be a string");
    }
    return s;
  }

  @SuppressWarnings("unchecked") // the parser only makes maps with String keys
  private static Map<String, Object> data(Object value) {
    if (!(value instanceof Map<?, ?> map)) {
      throw new LedgerException(LedgerException.Code.ENTRY_DATA_NOT_OBJECT, "data must be an object");
    }
    return (Map<String, Object>) map;
  }
}
