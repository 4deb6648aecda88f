package dev.headway;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A job's errors: how many of each category, and the last few messages. Bounded: counts are one
 * number per category, and only the {@value #RECENT} newest messages are kept.
 */
public record ErrorSummary(Map<String, Long> countsByCategory, List<ErrorRecord> recent) {
  /** How many of the newest error messages are kept. */
  public static final int RECENT = 5;

  public static final ErrorSummary EMPTY = new ErrorSummary(Map.of(), List.of());

  public ErrorSummary {
    countsByCategory = Collections.unmodifiableMap(new TreeMap<>(countsByCategory));
    recent = List.copyOf(recent);
  }

  /** Total errors of all categories. */
  public long total() {
    long sum = 0;
    for (long n : countsByCategory.values()) {
      sum += n;
    }
    return sum;
  }

  /** This summary with one more error. */
  public ErrorSummary plus(Instant at, ReportedError error) {
    Map<String, Long> counts = new TreeMap<>(countsByCategory);
    counts.merge(error.category(), 1L, Long::sum);
    List<ErrorRecord> newest = new ArrayList<>(recent.size() + 1);
    newest.addAll(recent);
    newest.add(new ErrorRecord(at, error.category(), error.message()));
    if (newest.size() > RECENT) {
      newest = newest.subList(newest.size() - RECENT, newest.size());
    }
    return new ErrorSummary(counts, newest);
  }
}
