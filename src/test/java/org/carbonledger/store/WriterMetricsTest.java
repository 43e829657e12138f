package org.carbonledger.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A batch's duration lands in the first bucket whose bound it does not exceed; longer ones in the last. */
class WriterMetricsTest {

  @Test
  void durationsLandInTheirBuckets() {
    WriterMetrics metrics = new WriterMetrics();
    metrics.batchCommitted(3, 2, Map.of("UNITS_NOT_HELD", 1), 1_000_000); // exactly 1 ms: the first bucket (le="0.001")
    metrics.batchCommitted(1, 1, Map.of(), 1_000_001); // just above: the second
    metrics.batchFailed(2_500_000_000L); // exactly the last bound
    metrics.batchFailed(3_000_000_000L); // above every bound
    long[] expected = new long[WriterMetrics.BATCH_SECONDS_BOUNDS.size() + 1];
    expected[0] = 1;
    expected[1] = 1;
    expected[WriterMetrics.BATCH_SECONDS_BOUNDS.size() - 1] = 1;
    expected[WriterMetrics.BATCH_SECONDS_BOUNDS.size()] = 1;
    assertArrayEquals(expected, metrics.batchesByDuration());
    assertEquals(5.502000001, metrics.batchSeconds(), 1e-12);
    assertEquals(2, metrics.batchesCommitted());
    assertEquals(2, metrics.batchesFailed());
    assertEquals(4, metrics.batchCommands());
    assertEquals(3, metrics.entriesAppended());
    assertEquals(1, metrics.requestsRejected());
    assertEquals(Map.of("UNITS_NOT_HELD", 1L), metrics.requestsRejectedByCode());
  }
}
