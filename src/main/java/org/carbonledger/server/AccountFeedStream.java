package org.carbonledger.server;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.time.Instant;
import java.util.concurrent.Flow;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.carbonledger.api.ErrorCodes;
import org.carbonledger.api.ResolverErrors;
import org.carbonledger.store.SubscriberTooSlowException;

/**
 * AccountFeedStream writes one follower of the entry feed to a chunked HTTP response as NDJSON. It asks the
 * feed for one entry at a time, and only while the response's write queue has room; when it is full it waits
 * for the drain. So a reader that stops reading fills the feed's bounded buffer, not the server's socket
 * buffers, and the feed ends it with SUBSCRIBER_TOO_SLOW. All calls arrive on the request's context.
 */
final class AccountFeedStream implements Flow.Subscriber<FeedLines.Line> {

  private static final Logger LOG = Logger.getLogger(AccountFeedStream.class.getName());

  private final Vertx vertx;
  private final HttpServerResponse response;
  /** The feed ends after the entry with this seq; Long.MAX_VALUE to follow for ever. */
  private final long untilSeq;
  private final long heartbeatIntervalMillis;
  /** Called once when the stream ends, whichever way. */
  private final Runnable onEnded;
  private Flow.Subscription subscription;
  /** The seq of the last entry line written, or the feed's start: where a reader resumes after. */
  private long writtenSeq;
  private long heartbeatTimer = -1;
  private boolean awaitingDrain;
  private boolean ended;

  AccountFeedStream(Vertx vertx, HttpServerResponse response, long afterSeq, long untilSeq,
                    long heartbeatIntervalMillis, Runnable onEnded) {
    this.vertx = vertx;
    this.response = response;
    this.writtenSeq = afterSeq;
    this.untilSeq = untilSeq;
    this.heartbeatIntervalMillis = heartbeatIntervalMillis;
    this.onEnded = onEnded;
  }

  /** Sets the status and headers of a feed's response: also what a HEAD of the feed is answered. */
  static HttpServerResponse head(HttpServerResponse response) {
    return response.setChunked(true)
        .setStatusCode(200)
        .putHeader("Content-Type", "application/x-ndjson; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        // nginx buffers responses unless told not to; a feed must reach its reader line by line.
        .putHeader("X-Accel-Buffering", "no");
  }

  /** Sends the head at once, so the reader knows the feed is open before the first entry arrives. */
  void open(int writeQueueBytesMax) {
    head(response).setWriteQueueMaxSize(writeQueueBytesMax);
    response.closeHandler(ignored -> abandon());
    response.exceptionHandler(ignored -> abandon());
    response.drainHandler(ignored -> drained());
    response.writeHead();
    heartbeatTimer = vertx.setPeriodic(heartbeatIntervalMillis, ignored -> heartbeat());
  }

  /** Ends a feed that has nothing to send: its start is already at or past where it was asked to end. */
  void endEmpty() {
    end(FeedLines.end(writtenSeq));
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    if (ended) {
      subscription.cancel();
    } else {
      subscription.request(1);
    }
  }

  @Override
  public void onNext(FeedLines.Line line) {
    if (ended) {
      return;
    }
    if (line.touches()) {
      response.write(line.text() != null ? line.text() : entryFailed(line.seq()));
      writtenSeq = line.seq();
    }
    if (line.seq() >= untilSeq) {
      // The marker of a bounded feed: every entry up to untilSeq has been looked at.
      subscription.cancel();
      end(FeedLines.end(line.seq()));
      return;
    }
    if (response.writeQueueFull()) {
      awaitingDrain = true;
    } else {
      subscription.request(1);
    }
  }

  @Override
  public void onError(Throwable failure) {
    if (ended) {
      return;
    }
    if (failure instanceof SubscriberTooSlowException slow) {
      // Entries are written as soon as they are handed over, so the last one handed over is the last one written.
      end(FeedLines.error(FeedLines.SUBSCRIBER_TOO_SLOW, slow.lastDeliveredSeq(), slow.getMessage()));
      return;
    }
    String incident = ResolverErrors.newIncidentId();
    LOG.log(Level.SEVERE, "feed.failed incident=" + incident + " resume_after_seq=" + writtenSeq, failure);
    end(FeedLines.error(ErrorCodes.INTERNAL, writtenSeq, "the feed failed (incident " + incident + "); resume after seq " + writtenSeq));
  }

  @Override
  public void onComplete() {
    end(FeedLines.end(writtenSeq)); // the entry feed never completes; a bounded feed ends in onNext
  }

  /**
   * The server is shutting down: ends the feed at once with a last line that says where to resume, so that the
   * shutdown need not wait for a reader that may follow for ever, and the reader knows the feed did not just drop.
   */
  void shutDown() {
    if (ended) {
      return;
    }
    if (subscription != null) {
      subscription.cancel();
    }
    end(FeedLines.error(ErrorCodes.UNAVAILABLE, writtenSeq, "the server is shutting down; ask again with afterSeq="
        + writtenSeq + ", of another server or of this one once it is back"));
  }

  private Buffer entryFailed(long seq) {
    String incident = ResolverErrors.newIncidentId();
    LOG.severe("feed.entry_failed incident=" + incident + " seq=" + seq);
    return FeedLines.entryFailed(seq, ErrorCodes.INTERNAL, incident);
  }

  private void drained() {
    if (!ended && awaitingDrain) {
      awaitingDrain = false;
      subscription.request(1);
    }
  }

  /** Only into an empty write queue: a full one is not idle, and a stuck reader must not grow it further. */
  private void heartbeat() {
    if (!ended && !response.writeQueueFull()) {
      response.write(FeedLines.heartbeat(Instant.now()));
    }
  }

  /** Writes the last line and ends the response. */
  private void end(Buffer lastLine) {
    if (ended) {
      return;
    }
    release();
    response.end(lastLine);
  }

  /** The reader went away: stop following, write nothing more. */
  private void abandon() {
    if (!ended) {
      release();
      if (subscription != null) {
        subscription.cancel();
      }
    }
  }

  private void release() {
    ended = true;
    if (heartbeatTimer >= 0) {
      vertx.cancelTimer(heartbeatTimer);
    }
    onEnded.run();
  }
}
