package dev.headway.store;

import dev.headway.JobSnapshot;
import dev.headway.TimelineEvent;
import java.util.List;

/**
 * Told of every change a store makes. Called on the writing thread, after the change is stored,
 * in version order for each job. Keep it quick and non-blocking (hand off to a queue); an
 * exception it throws is logged and does not undo the change or reach the writer.
 */
public interface StoreListener {
  /** A job changed; {@code newEvents} are the timeline events this change added. */
  default void onChange(JobSnapshot snapshot, List<TimelineEvent> newEvents) {}

  /** A job was purged. */
  default void onPurge(String jobId) {}
}
