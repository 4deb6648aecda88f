package dev.headway.view;

import dev.headway.ErrorRecord;
import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.ProgressSample;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What people want to know of one job, derived from a snapshot and a clock: percent, rates, ETA,
 * duration, per-type breakdown and errors. Computed on demand by {@link #of}, never stored.
 *
 * @param percent processed / total in 0-100, or null when the total is unknown (or zero)
 * @param ratePerSecond items per second over the whole run so far, or null before it started
 * @param smoothedRatePerSecond items per second over the last minute of samples, or null
 * @param eta time left at the smoothed (else overall) rate, or null when unknown or finished
 * @param duration from start to finish, or to now while it runs; null before it started
 * @param itemsByType per-type counts, in the order first reported
 * @param errorsByCategory error counts by category
 * @param recentErrors the newest error messages, oldest first
 */
public record ProgressView(
    JobSnapshot snapshot,
    Double percent,
    Double ratePerSecond,
    Double smoothedRatePerSecond,
    Duration eta,
    Duration duration,
    Map<String, Long> itemsByType,
    Map<String, Long> errorsByCategory,
    List<ErrorRecord> recentErrors) {

  /** The window of recent samples the smoothed rate spans. */
  public static final Duration SMOOTHING_WINDOW = Duration.ofSeconds(60);

  /** Derives the view of {@code snapshot} at {@code clock}'s now. */
  public static ProgressView of(JobSnapshot snapshot, Clock clock) {
    Instant now = clock.instant();
    long processed = snapshot.processedItems();
    Long total = snapshot.totalItems();
    Double percent = total == null || total <= 0 ? null : clamp(100.0 * processed / total);
    if (percent != null && snapshot.status() == JobStatus.COMPLETED && processed >= total) {
      percent = 100.0;
    }
    Instant end = snapshot.finishedAt() != null ? snapshot.finishedAt() : now;
    Duration duration = snapshot.startedAt() == null ? null : nonNegative(Duration.between(snapshot.startedAt(), end));
    Double rate = null;
    if (duration != null && !duration.isZero()) {
      rate = processed / seconds(duration);
    }
    Double smoothed = smoothed(snapshot.samples(), snapshot.status().isTerminal() ? end : now);
    Duration eta = null;
    Double etaRate = smoothed != null && smoothed > 0 ? smoothed : rate;
    if (total != null && !snapshot.status().isTerminal() && etaRate != null && etaRate > 0) {
      long remaining = Math.max(0, total - processed);
      eta = Duration.ofMillis(Math.round(remaining / etaRate * 1000));
    }
    return new ProgressView(snapshot, percent, rate, smoothed, eta, duration,
        longs(snapshot.progress().get(JobSnapshot.ITEMS_BY_TYPE)),
        snapshot.errors().countsByCategory(), snapshot.errors().recent());
  }

  /** The JSON-ready derived fields, for the read API: percent, rates, eta and duration in ms. */
  public Map<String, Object> derivedFields() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("percent", percent);
    m.put("ratePerSecond", ratePerSecond);
    m.put("smoothedRatePerSecond", smoothedRatePerSecond);
    m.put("etaMillis", eta == null ? null : eta.toMillis());
    m.put("durationMillis", duration == null ? null : duration.toMillis());
    m.put("itemsByType", itemsByType);
    m.put("errorsByCategory", errorsByCategory);
    return m;
  }

  // Slope from the oldest sample inside the window to the newest, measured up to `now`, so a
  // stalled job's smoothed rate falls towards zero instead of freezing at its last speed. When
  // only the newest sample is inside the window, the one before it anchors the slope.
  private static Double smoothed(List<ProgressSample> samples, Instant now) {
    if (samples.size() < 2) {
      return null;
    }
    ProgressSample last = samples.get(samples.size() - 1);
    Instant from = now.minus(SMOOTHING_WINDOW);
    int first = samples.size() - 2;
    for (int i = 0; i < samples.size() - 1; i++) {
      if (!samples.get(i).at().isBefore(from)) {
        first = i;
        break;
      }
    }
    ProgressSample start = samples.get(first);
    Duration span = Duration.between(start.at(), now.isBefore(last.at()) ? last.at() : now);
    if (span.isZero() || span.isNegative()) {
      return null;
    }
    return Math.max(0, last.processed() - start.processed()) / seconds(span);
  }

  private static Map<String, Long> longs(Object byType) {
    if (!(byType instanceof Map<?, ?> m)) {
      return Map.of();
    }
    Map<String, Long> out = new LinkedHashMap<>();
    m.forEach((k, v) -> {
      if (v instanceof Number n) {
        out.put((String) k, n.longValue());
      }
    });
    return Collections.unmodifiableMap(out);
  }

  private static double clamp(double p) {
    return Math.max(0, Math.min(100, p));
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  private static Duration nonNegative(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }
}
