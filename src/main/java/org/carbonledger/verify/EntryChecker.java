package org.carbonledger.verify;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.carbonledger.ledger.ChainBreakException;
import org.carbonledger.ledger.ChainCheck;
import org.carbonledger.ledger.Check;
import org.carbonledger.ledger.EntryCodec;
import org.carbonledger.ledger.LedgerEntry;
import org.carbonledger.ledger.LedgerException;
import org.carbonledger.ledger.NoteVerifier;

/**
 * EntryChecker checks entries in log order: each decodes strictly (RFC 8785 canonical form, exactly the five
 * members), its seq is its position and its prev the leaf hash of the entry before ({@link ChainCheck}), its
 * time is not before the entry before's, and entry 0 is the REGISTRY_CREATED entry that names this log's origin
 * and verifier key, so a log cannot be passed off under another key by re-signing its checkpoints.
 *
 * <p>Most entries were already accepted by {@link EntryScanner} when their bundle was checked
 * ({@link CheckedBundle}). Entry 0 and every entry the scanner was not sure of go through ChainCheck, which
 * decides and words the failure.
 */
final class EntryChecker {

  /** Type of entry 0. */
  static final String REGISTRY_CREATED = "REGISTRY_CREATED";

  private final NoteVerifier key;
  private long nextSeq;
  private byte[] lastLeafHash;
  private byte[] lastTime;

  EntryChecker(NoteVerifier key) {
    this.key = key;
  }

  /** Checks entry i of the bundle, which must be the next entry of the log, and returns its leaf hash. */
  byte[] append(CheckedBundle bundle, int i) throws VerificationException {
    long seq = nextSeq;
    Check.state(seq == bundle.id().firstSeq() + i, "entries were taken out of order");
    lastLeafHash = seq > 0 && bundle.accepted(i, lastLeafHash) ? bundle.leafHash(i) : strict(seq, bundle.entry(i));
    checkTimeOrder(seq, bundle.time(i));
    nextSeq++;
    return lastLeafHash;
  }

  /**
   * Entry times never go backwards (statements and feeds select entries by time on that promise). The fixed-width
   * format makes comparing the characters the same as comparing the instants.
   */
  private void checkTimeOrder(long seq, byte[] time) throws VerificationException {
    if (lastTime != null && Arrays.compare(time, lastTime) < 0) {
      throw VerificationException.atEntry(VerificationException.Code.ENTRY_TIME_BACKWARDS, seq, "time "
          + ascii(time) + " is before " + ascii(lastTime) + ", the time of entry " + (seq - 1));
    }
    lastTime = time;
  }

  private static String ascii(byte[] text) {
    return new String(text, StandardCharsets.US_ASCII);
  }

  /** Checks one entry with the ledger's own decoder and chain check, and returns its leaf hash. */
  private byte[] strict(long seq, byte[] entryBytes) throws VerificationException {
    ChainCheck chain = seq == 0 ? ChainCheck.fromStart() : ChainCheck.after(seq - 1, lastLeafHash);
    LedgerEntry entry;
    try {
      entry = chain.append(entryBytes);
    } catch (ChainBreakException e) {
      throw failure(seq, e, entryBytes);
    }
    if (seq == 0) {
      checkFirst(entry);
    }
    return chain.lastLeafHash();
  }

  private static VerificationException failure(long seq, ChainBreakException e, byte[] entryBytes) {
    Check.state(e.seq() == seq, "chain check reported seq " + e.seq() + " while checking " + seq);
    switch (e.code()) {
      case CHAIN_PREV_MISMATCH:
        return VerificationException.atEntry(VerificationException.Code.ENTRY_PREV_MISMATCH, seq,
            seq == 0 ? "prev is not 64 zeros" : "prev does not match the leaf hash of entry " + (seq - 1));
      case CHAIN_SEQ_NOT_NEXT:
        // The chain check decoded the entry already, so decoding it again cannot fail.
        return VerificationException.atEntry(VerificationException.Code.ENTRY_SEQ_NOT_NEXT, seq,
            "seq is " + EntryCodec.decode(entryBytes).seq() + ", expected " + seq);
      default:
        return VerificationException.atEntry(VerificationException.Code.ENTRY_UNDECODABLE, seq,
            "does not decode: " + decodingDetail(entryBytes));
    }
  }

  /** The decoder's own words, without the chain check's "chain breaks at seq N" around them. */
  private static String decodingDetail(byte[] entryBytes) {
    try {
      EntryCodec.decode(entryBytes);
    } catch (LedgerException e) {
      return e.detail();
    }
    throw new IllegalStateException("the chain check refused an entry that decodes");
  }

  private void checkFirst(LedgerEntry entry) throws VerificationException {
    if (!entry.type().equals(REGISTRY_CREATED)) {
      throw wrongFirst("type is " + entry.type() + ", expected " + REGISTRY_CREATED);
    }
    Map<String, Object> data = entry.data();
    if (!key.name().equals(data.get("origin"))) {
      throw wrongFirst("names origin " + quoted(data.get("origin")) + ", expected " + quoted(key.name()));
    }
    if (!key.vkey().equals(data.get("verifierKey"))) {
      throw wrongFirst("names verifier key " + quoted(data.get("verifierKey")) + ", expected " + quoted(key.vkey()));
    }
  }

  private static VerificationException wrongFirst(String detail) {
    return VerificationException.atEntry(VerificationException.Code.ENTRY_ZERO_WRONG, 0, detail);
  }

  private static String quoted(Object value) {
    return value instanceof String text ? "\"" + text + "\"" : value == null ? "nothing" : "a non-string";
  }
}
