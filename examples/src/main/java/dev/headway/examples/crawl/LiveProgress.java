package dev.headway.examples.crawl;

import dev.headway.examples.cli.ProgressDisplay;
import dev.headway.store.ProgressStore;
import dev.headway.view.ProgressView;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Shows a running job on a {@link ProgressDisplay} from a daemon thread, read from the store
 * every {@code every}: what people see is what the store holds, with its rate and ETA. Only
 * running states are shown; the caller shows the final one after {@link #close}, so it is shown
 * once. The display is used by this thread only until {@link #close} returns.
 */
final class LiveProgress implements AutoCloseable {
  private final ScheduledExecutorService timer;

  private LiveProgress(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  static LiveProgress start(ProgressStore store, String jobId, ProgressDisplay display, Duration every) {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "crawl-display-" + jobId);
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(() -> {
      try {
        store.find(jobId).filter(j -> !j.status().isTerminal())
            .ifPresent(j -> display.show(ProgressView.of(j, store.clock())));
      } catch (RuntimeException e) {
        // A missed frame is not worth stopping the crawl for; the next one may work.
      }
    }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    return new LiveProgress(timer);
  }

  /** Stops showing and waits for a frame being drawn; never interrupts it (H2 dislikes interrupted I/O). */
  @Override
  public void close() {
    timer.shutdown();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
