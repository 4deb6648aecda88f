package dev.headway.store;

import static java.util.Objects.requireNonNull;

import dev.headway.ApplyResult;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of one store, for store implementations: registration, and telling each of a
 * change or a purge so that a failing listener is logged and never reaches the writer.
 * Thread-safe.
 */
public final class StoreListeners {
  private static final Logger log = LoggerFactory.getLogger(StoreListeners.class);

  private final List<StoreListener> listeners = new CopyOnWriteArrayList<>();

  /** Registers a listener; closing the handle removes it. */
  public AutoCloseable add(StoreListener listener) {
    listeners.add(requireNonNull(listener, "listener"));
    return () -> listeners.remove(listener);
  }

  /** Tells every listener of an applied change. */
  public void changed(ApplyResult result) {
    for (StoreListener l : listeners) {
      try {
        l.onChange(result.snapshot(), result.newEvents());
      } catch (RuntimeException e) {
        log.warn("store listener {} failed on job {}", l, result.snapshot().jobId(), e);
      }
    }
  }

  /** Tells every listener that a job was purged. */
  public void purged(String jobId) {
    for (StoreListener l : listeners) {
      try {
        l.onPurge(jobId);
      } catch (RuntimeException e) {
        log.warn("store listener {} failed on purge of job {}", l, jobId, e);
      }
    }
  }
}
