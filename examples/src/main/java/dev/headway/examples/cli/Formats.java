package dev.headway.examples.cli;

import dev.headway.JobSnapshot;
import dev.headway.view.ProgressView;
import java.time.Duration;
import java.util.Locale;

/** How the CLI writes numbers, durations and one-line job summaries. */
public final class Formats {
  private Formats() {}

  public static String percent(Double p) {
    return p == null ? "-" : String.format(Locale.ROOT, "%.1f%%", p);
  }

  public static String rate(Double perSecond) {
    return perSecond == null ? "-" : String.format(Locale.ROOT, "%.1f/s", perSecond);
  }

  public static String duration(Duration d) {
    if (d == null) {
      return "-";
    }
    long s = d.toSeconds();
    return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
        : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60)
        : String.format(Locale.ROOT, "%d.%01ds", s, d.toMillisPart() / 100);
  }

  public static String count(Long n) {
    return n == null ? "-" : String.format(Locale.ROOT, "%,d", n);
  }

  /** {@code processed/total} or just processed when the total is unknown. */
  public static String progress(JobSnapshot s) {
    return s.totalItems() == null ? count(s.processedItems())
        : count(s.processedItems()) + "/" + count(s.totalItems());
  }

  /** One line: percent, counts, rate, ETA and stage. */
  public static String line(ProgressView v) {
    JobSnapshot s = v.snapshot();
    Object stage = s.field("stage");
    return String.format(Locale.ROOT, "%s %s %s  %s  eta %s%s", s.status(), percent(v.percent()), progress(s),
        rate(v.smoothedRatePerSecond() != null ? v.smoothedRatePerSecond() : v.ratePerSecond()),
        duration(v.eta()), stage == null ? "" : "  stage " + stage);
  }
}
