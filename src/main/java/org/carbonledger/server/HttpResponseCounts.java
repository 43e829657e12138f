package org.carbonledger.server;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** HttpResponseCounts counts the server's HTTP responses by status code, from every event loop. */
final class HttpResponseCounts {

  private final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();

  void count(int status) {
    if (status >= 100 && status <= 599) { // so the set of series stays bounded
      byStatus.computeIfAbsent(status, code -> new LongAdder()).increment();
    }
  }

  /** The responses so far, by status code, of every code seen. */
  SortedMap<Integer, Long> byStatus() {
    SortedMap<Integer, Long> counts = new TreeMap<>();
    byStatus.forEach((status, count) -> counts.put(status, count.sum()));
    return counts;
  }
}
