package org.carbonledger.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.carbonledger.api.ResolverErrors;
import org.carbonledger.ledger.EntryCodec;
import org.carbonledger.ledger.Hex;
import org.carbonledger.ledger.LedgerEntry;
import org.carbonledger.registry.EntryAccounts;
import org.carbonledger.store.LogReader.StoredEntry;

/**
 * FeedLines writes the lines of an NDJSON feed (docs/API.md, "Feeds for systems without WebSockets"): one
 * JSON object and a newline each. An entry line starts with {@code seq} and has the members of the GraphQL
 * {@code Entry} (or, for an entry that cannot be shown, an {@code error}); the other lines have exactly one
 * member, {@code heartbeat}, {@code end} or {@code error}, so a reader tells them apart by their first key.
 * Pure: values in, bytes out.
 */
final class FeedLines {

  /** What a feed reports when it ends because its reader fell too far behind. */
  static final String SUBSCRIBER_TOO_SLOW = "SUBSCRIBER_TOO_SLOW";

  private FeedLines() {}

  /**
   * An entry of the feed: its seq, whether it touches the feed's account, and its line (null when it does not
   * touch the account: such an entry only marks where a bounded feed ends).
   */
  record Line(long seq, boolean touches, Buffer text) {}

  /**
   * The line for {@code stored} when it touches {@code accountId}, else a bare marker. An entry that cannot be
   * decoded counts as touching, so that its error line reports it rather than hiding it.
   */
  static Line line(StoredEntry stored, String accountId) {
    LedgerEntry decoded;
    try {
      decoded = EntryCodec.decode(stored.body());
    } catch (RuntimeException e) {
      return new Line(stored.seq(), true, null);
    }
    if (!EntryAccounts.touches(decoded.data(), accountId)) {
      return new Line(stored.seq(), false, null);
    }
    JsonObject entry = new JsonObject()
        .put("seq", stored.seq())
        .put("type", stored.type())
        // The entry's own time text: the same RFC 3339 form, to the microsecond, as the log and the GraphQL API.
        .put("time", decoded.timeText())
        .put("leafHash", Hex.encode(stored.leafHash()))
        .put("prevHash", decoded.prev())
        .put("canonicalJson", new String(stored.body(), StandardCharsets.UTF_8))
        .put("data", new JsonObject(decoded.data()));
    return new Line(stored.seq(), true, text(entry));
  }

  /** True when the entry touches {@code accountId}; an entry that cannot be decoded passes (see {@link #line}). */
  static boolean touches(StoredEntry stored, String accountId) {
    try {
      return EntryAccounts.touches(EntryCodec.decode(stored.body()).data(), accountId);
    } catch (RuntimeException e) {
      return true;
    }
  }

  /**
   * The line of an entry that could not be shown: its seq first, like any entry line, so that a reader moves past
   * it, and an error with an incident to find in the server's log instead of the entry's members.
   */
  static Buffer entryFailed(long seq, String code, String incident) {
    return text(new JsonObject().put("seq", seq).put("error", new JsonObject().put("code", code).put("incident", incident)
        .put("message", "entry " + seq + " cannot be shown: " + ResolverErrors.internalErrorMessage(incident))));
  }

  /** Written every heartbeat interval so that proxies and load balancers see the connection is alive. */
  static Buffer heartbeat(Instant now) {
    return text(new JsonObject().put("heartbeat", new JsonObject().put("time", now.toString())));
  }

  /** The last line of a bounded feed: every entry up to {@code resumeAfterSeq} that touches the account was sent. */
  static Buffer end(long resumeAfterSeq) {
    return text(new JsonObject().put("end", new JsonObject().put("resumeAfterSeq", resumeAfterSeq)));
  }

  /** The last line of a feed that had to stop: follow again with {@code afterSeq=resumeAfterSeq}. */
  static Buffer error(String code, long resumeAfterSeq, String message) {
    return text(new JsonObject().put("error", new JsonObject().put("code", code).put("resumeAfterSeq", resumeAfterSeq)
        .put("message", message)));
  }

  private static Buffer text(JsonObject line) {
    return Buffer.buffer(line.encode()).appendString("\n");
  }
}
