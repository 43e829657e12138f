package org.carbonledger.api;

import java.util.LinkedHashMap;
import java.util.Map;

/** LruCache is a small thread-safe map that keeps at most {@code capacity} entries, dropping the least recently used. */
final class LruCache<K, V> {

  private final Map<K, V> entries;

  LruCache(int capacity) {
    entries = new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
      }
    };
  }

  /** The value kept for {@code key}, or null. */
  synchronized V get(K key) {
    return entries.get(key);
  }

  synchronized void put(K key, V value) {
    entries.put(key, value);
  }
}
