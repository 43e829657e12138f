package org.carbonledger.store;

/**
 * WriterOverloadedException: too many writes are already waiting; the command was not queued. Retrying
 * after a short pause may succeed. Refusing fast keeps the queue, and so memory and latency, bounded.
 */
public final class WriterOverloadedException extends RuntimeException {
  public WriterOverloadedException(int outstandingMax) {
    super("the writer already has " + outstandingMax + " commands waiting; retry shortly", null, false, false);
  }
}
