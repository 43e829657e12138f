package org.carbonledger.store;

/**
 * SubscriberTooSlowException ends a follower of the {@link EntryFeed} whose entries waiting to be sent
 * outgrew its buffer: the log grew faster than it read. Nothing was lost: it can follow again after
 * {@link #lastDeliveredSeq()}, the last entry it was given, and catch up from the database.
 */
public final class SubscriberTooSlowException extends RuntimeException {
  private final long lastDeliveredSeq;

  public SubscriberTooSlowException(long lastDeliveredSeq, int bufferMax) {
    super("more than " + bufferMax + " entries waited for the subscriber; resume after seq " + lastDeliveredSeq,
        null, false, false);
    this.lastDeliveredSeq = lastDeliveredSeq;
  }

  /** The seq of the last entry handed to the subscriber (its start, if none was): resume after it. */
  public long lastDeliveredSeq() {
    return lastDeliveredSeq;
  }
}
