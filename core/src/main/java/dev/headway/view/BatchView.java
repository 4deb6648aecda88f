package dev.headway.view;

import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A batch (a job with children) rolled up: children by status, an aggregate status, summed
 * counters, and percent done by children. Computed from snapshots by {@link #of}.
 *
 * @param childCount how many children the batch has
 * @param childrenByStatus counts per status, every status present
 * @param status the aggregate status
 * @param percentDone finished children / all children, 0-100 (0 with no children)
 * @param processedItems the children's processedItems summed
 * @param totalItems the children's totalItems summed, or null when no child knows its total
 * @param itemsByType the children's itemsByType summed per type
 */
public record BatchView(
    JobSnapshot batch,
    int childCount,
    Map<JobStatus, Integer> childrenByStatus,
    AggregateStatus status,
    double percentDone,
    long processedItems,
    Long totalItems,
    Map<String, Long> itemsByType) {

  /** The batch's overall state, as seed 000's dashboards show it. */
  public enum AggregateStatus {
    /** No child has started. */
    QUEUED,
    /** Some child is running, paused, or still waiting while others finished. */
    RUNNING,
    /** Every child finished and none failed (SKIPPED children count as done, not failed). */
    COMPLETED,
    /** Every child finished and none completed: each FAILED, INTERRUPTED or CANCELLED (or skipped). */
    FAILED,
    /** Every child finished, some COMPLETED and some FAILED, INTERRUPTED or CANCELLED. */
    MIXED
  }

  public static BatchView of(JobSnapshot batch, List<JobSnapshot> children) {
    Map<JobStatus, Integer> byStatus = new EnumMap<>(JobStatus.class);
    for (JobStatus s : JobStatus.values()) {
      byStatus.put(s, 0);
    }
    long processed = 0;
    long total = 0;
    boolean anyTotal = false;
    Map<String, Long> byType = new LinkedHashMap<>();
    for (JobSnapshot c : children) {
      byStatus.merge(c.status(), 1, Integer::sum);
      processed += c.processedItems();
      if (c.totalItems() != null) {
        total += c.totalItems();
        anyTotal = true;
      }
      if (c.progress().get(JobSnapshot.ITEMS_BY_TYPE) instanceof Map<?, ?> m) {
        m.forEach((k, v) -> {
          if (v instanceof Number n) {
            byType.merge((String) k, n.longValue(), Long::sum);
          }
        });
      }
    }
    int finished = 0;
    for (JobSnapshot c : children) {
      if (c.status().isTerminal()) {
        finished++;
      }
    }
    double percent = children.isEmpty() ? 0 : 100.0 * finished / children.size();
    return new BatchView(batch, children.size(), Collections.unmodifiableMap(byStatus),
        aggregate(batch, children, byStatus, finished), percent, processed,
        anyTotal ? total : null, Collections.unmodifiableMap(byType));
  }

  private static AggregateStatus aggregate(JobSnapshot batch, List<JobSnapshot> children,
      Map<JobStatus, Integer> byStatus, int finished) {
    if (children.isEmpty()) {
      return switch (batch.status()) {
        case QUEUED -> AggregateStatus.QUEUED;
        case RUNNING, PAUSED -> AggregateStatus.RUNNING;
        case COMPLETED, SKIPPED -> AggregateStatus.COMPLETED;
        default -> AggregateStatus.FAILED;
      };
    }
    if (byStatus.get(JobStatus.QUEUED) == children.size()) {
      return AggregateStatus.QUEUED;
    }
    if (finished < children.size()) {
      return AggregateStatus.RUNNING;
    }
    int failed = byStatus.get(JobStatus.FAILED) + byStatus.get(JobStatus.INTERRUPTED)
        + byStatus.get(JobStatus.CANCELLED);
    int completed = byStatus.get(JobStatus.COMPLETED);
    if (failed == 0) {
      return AggregateStatus.COMPLETED;
    }
    return completed == 0 ? AggregateStatus.FAILED : AggregateStatus.MIXED;
  }
}
