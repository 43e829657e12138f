package org.carbonledger.registry;

/**
 * CancellationReason says why units leave circulation without a claim; EXPORT needs the target registry and its
 * reference.
 */
public enum CancellationReason {
  EXPORT,
  INVALIDATION,
  BUFFER_LOSS,
  OTHER
}
