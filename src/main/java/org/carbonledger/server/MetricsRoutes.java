package org.carbonledger.server;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.carbonledger.store.Ledger;
import org.carbonledger.store.StandbyWatch;
import org.carbonledger.store.WriterMetrics;

/**
 * MetricsRoutes serves {@code /metrics} in the Prometheus text format (version 0.0.4): the HTTP responses by
 * status, the writer's batches, what they appended or refused and how long they took, what waits for the
 * writer, the log's size, who follows the log and what waits for them, and the JVM's heap. Names start with the component and end with their unit.
 */
final class MetricsRoutes {

  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  /** How long a scrape waits for the log's size before it leaves that one metric out. */
  static final long LOG_SIZE_WAIT_MILLIS = 2_000;

  private MetricsRoutes() {}

  /**
   * The writer's metrics when {@code ledger} is written by this server; a read-only server's instead say how far
   * its {@code standby} is behind the primary.
   */
  static void mount(Router router, Ledger ledger, Optional<StandbyWatch> standby, HttpResponseCounts responses) {
    // The log's size is read from the database, not remembered from this server's writes: other servers may
    // write to the same database. A database that does not answer soon must not hold up the scrape of the rest.
    GetRoutes.get(router, "/metrics", context -> ledger.reader().publishedSize()
        .timeout(LOG_SIZE_WAIT_MILLIS, TimeUnit.MILLISECONDS)
        .onComplete(size -> context.response()
            .putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE)
            .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
            .end(render(ledger, standby, responses, size.succeeded() ? OptionalLong.of(size.result()) : OptionalLong.empty()))));
  }

  /** {@code logSize}: the log's signed size as the database has it, or empty when it could not be read. */
  static String render(Ledger ledger, Optional<StandbyWatch> standby, HttpResponseCounts responses, OptionalLong logSize) {
    Exposition out = new Exposition();
    out.labelled("carbonledger_http_responses_total", "counter",
        "HTTP responses by status code (429: rate limited, 401: no valid key, 5xx: the server's fault).", "status",
        responses.byStatus());
    logSize.ifPresent(size -> out.metric("carbonledger_log_entries", "gauge",
        "Entries in the log: the size of its latest signed checkpoint, whichever server wrote them (as log { size }).",
        size));
    if (ledger.writable()) {
      writerMetrics(out, ledger.writer().metrics());
    }
    standby.ifPresent(watch -> {
      out.metric("carbonledger_replica_replay_lag_seconds", "gauge",
          "How long ago the last transaction the standby replayed committed, while it has WAL it has not replayed (else 0).",
          watch.status().replayLagSeconds());
      out.metric("carbonledger_replica_behind", "gauge",
          "1 while the server refuses requests because its standby is cut off from, or too far behind, the primary.",
          watch.behind() == null ? 0 : 1);
    });
    out.metric("carbonledger_feed_followers", "gauge", "Subscriptions and feeds following the log, live or catching up.",
        ledger.feed().followerCount());
    out.metric("carbonledger_feed_entries_waiting", "gauge",
        "Entries read or announced for subscriptions and feeds and not yet taken by them.", ledger.feed().entriesWaiting());
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    out.metric("carbonledger_jvm_heap_used_bytes", "gauge", "Heap in use.", heap.getUsed());
    if (heap.getMax() >= 0) { // -1 when the JVM has no limit
      out.metric("carbonledger_jvm_heap_max_bytes", "gauge", "Largest heap the JVM may use.", heap.getMax());
    }
    out.metric("carbonledger_process_uptime_seconds", "gauge", "Seconds since the JVM started.",
        ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
    return out.toString();
  }

  private static void writerMetrics(Exposition out, WriterMetrics writer) {
    out.metric("carbonledger_writer_batches_committed_total", "counter", "Batches the writer committed.",
        writer.batchesCommitted());
    out.metric("carbonledger_writer_batches_failed_total", "counter",
        "Batches that failed as a whole and wrote nothing (a failed commit, a lost database).", writer.batchesFailed());
    out.metric("carbonledger_writer_batch_commands_total", "counter",
        "Commands in committed batches; divided by the batches, the mean batch size.", writer.batchCommands());
    out.metric("carbonledger_writer_entries_appended_total", "counter", "Entries appended to the log.",
        writer.entriesAppended());
    out.metric("carbonledger_writer_requests_rejected_total", "counter",
        "Requests a rule refused (a rejected group counts once).", writer.requestsRejected());
    out.labelled("carbonledger_writer_requests_rejected_by_code_total", "counter",
        "Requests a rule refused, by reject code (docs/REJECT-CODES.md; a rejected group under its first failing "
            + "item's code).", "code", writer.requestsRejectedByCode());
    out.metric("carbonledger_writer_requests_refused_overloaded_total", "counter",
        "Requests refused at once because the writer's queue was full.", writer.requestsRefusedOverloaded());
    out.histogram("carbonledger_writer_batch_duration_seconds",
        "Time from taking a batch off the queue to its commit or failure.", WriterMetrics.BATCH_SECONDS_BOUNDS,
        writer.batchesByDuration(), writer.batchSeconds());
    out.metric("carbonledger_writer_queued_commands", "gauge", "Commands waiting for the writer.",
        writer.queuedCommands());
    out.metric("carbonledger_writer_in_flight_commands", "gauge", "Commands in the batch being written.",
        writer.inFlightCommands());
  }

  /** Exposition writes metric families in the text format; numbers in plain decimal notation. */
  private static final class Exposition {
    private final StringBuilder text = new StringBuilder();

    void metric(String name, String type, String help, double value) {
      header(name, type, help);
      text.append(name).append(' ').append(number(value)).append('\n');
    }

    /** One family with a sample per value of one label. */
    void labelled(String name, String type, String help, String label, Map<?, ? extends Number> values) {
      header(name, type, help);
      values.forEach((value, sample) -> text.append(name).append('{').append(label).append("=\"").append(value)
          .append("\"} ").append(number(sample.doubleValue())).append('\n'));
    }

    /**
     * A histogram from the count in each bucket of {@code bounds} (not cumulative), then the count above every
     * bound, and the sum of the values.
     */
    void histogram(String name, String help, List<Double> bounds, long[] counts, double sum) {
      header(name, "histogram", help);
      long cumulative = 0;
      for (int i = 0; i < counts.length; i++) {
        cumulative += counts[i];
        String bound = i < bounds.size() ? number(bounds.get(i)) : "+Inf";
        text.append(name).append("_bucket{le=\"").append(bound).append("\"} ").append(cumulative).append('\n');
      }
      text.append(name).append("_sum ").append(number(sum)).append('\n');
      text.append(name).append("_count ").append(cumulative).append('\n');
    }

    private void header(String name, String type, String help) {
      text.append("# HELP ").append(name).append(' ').append(help).append('\n');
      text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static String number(double value) {
      return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
          : BigDecimal.valueOf(value).toPlainString();
    }

    @Override
    public String toString() {
      return text.toString();
    }
  }
}
