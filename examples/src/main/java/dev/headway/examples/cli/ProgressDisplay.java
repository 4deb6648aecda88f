package dev.headway.examples.cli;

import dev.headway.JobSnapshot;
import dev.headway.view.ProgressView;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A job's progress for people: on a terminal a bar redrawn in place (the progressbar library, which
 * measures the terminal through JLine), elsewhere a plain line every few seconds, so logs and pipes
 * get readable text instead of carriage returns. Shows percent, counts, rate, ETA and stage.
 */
public final class ProgressDisplay implements AutoCloseable {
  private static final Duration PLAIN_EVERY = Duration.ofSeconds(2);

  private final Console console;
  private final String label;
  private ProgressBar bar;
  private long lastLine;

  public ProgressDisplay(Console console, String label) {
    this.console = console;
    this.label = label;
  }

  /** Shows the job as it now is. */
  public void show(ProgressView v) {
    JobSnapshot s = v.snapshot();
    if (!console.isTerminal()) {
      long now = System.nanoTime();
      if (lastLine == 0 || now - lastLine >= PLAIN_EVERY.toNanos() || s.status().isTerminal()) {
        lastLine = now;
        console.out().println(label + ": " + Formats.line(v));
      }
      return;
    }
    if (bar == null) {
      bar = new ProgressBarBuilder().setTaskName(label).setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
          .setInitialMax(s.totalItems() == null ? -1 : s.totalItems()).setUpdateIntervalMillis(200)
          .setConsumer(new ConsoleProgressBarConsumer(System.out)).hideEta().build();
    }
    if (s.totalItems() != null && bar.getMax() != s.totalItems()) {
      bar.maxHint(s.totalItems());
    }
    bar.stepTo(s.processedItems());
    Object stage = s.field("stage");
    bar.setExtraMessage(String.format(Locale.ROOT, "%s %s eta %s%s", s.status(),
        Formats.rate(v.smoothedRatePerSecond() != null ? v.smoothedRatePerSecond() : v.ratePerSecond()),
        Formats.duration(v.eta()), stage == null ? "" : " " + stage));
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
