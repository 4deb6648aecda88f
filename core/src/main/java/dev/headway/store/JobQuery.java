package dev.headway.store;

import dev.headway.JobStatus;
import dev.headway.internal.Ids;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * A filter over jobs: statuses, type, parent, updated since, with an order and a limit. Immutable;
 * every {@code with*} returns a copy. Unset filters match everything.
 */
public record JobQuery(Set<JobStatus> statuses, String type, String parentId, Instant updatedSince,
    Order order, int limit) {

  /** The most jobs one query returns. */
  public static final int MAX_LIMIT = 10_000;
  /** Default limit. */
  public static final int DEFAULT_LIMIT = 100;

  /** Result orders. Ties are broken by job id in the same direction, so pages are stable. */
  public enum Order { UPDATED_DESC, UPDATED_ASC, CREATED_DESC, CREATED_ASC, ID_ASC }

  public JobQuery {
    statuses = statuses == null || statuses.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(statuses));
    Ids.checkOptional("parentId", parentId);
    if (order == null) {
      order = Order.UPDATED_DESC;
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit (" + limit + ") must be between 1 and " + MAX_LIMIT);
    }
  }

  /** All jobs, newest update first, up to {@value #DEFAULT_LIMIT}. */
  public static JobQuery all() {
    return new JobQuery(Set.of(), null, null, null, Order.UPDATED_DESC, DEFAULT_LIMIT);
  }

  public JobQuery withStatuses(Set<JobStatus> s) { return new JobQuery(s, type, parentId, updatedSince, order, limit); }
  public JobQuery withStatus(JobStatus s) { return withStatuses(Set.of(s)); }
  public JobQuery withType(String t) { return new JobQuery(statuses, t, parentId, updatedSince, order, limit); }
  public JobQuery withParentId(String p) { return new JobQuery(statuses, type, p, updatedSince, order, limit); }
  public JobQuery withUpdatedSince(Instant t) { return new JobQuery(statuses, type, parentId, t, order, limit); }
  public JobQuery withOrder(Order o) { return new JobQuery(statuses, type, parentId, updatedSince, o, limit); }
  public JobQuery withLimit(int n) { return new JobQuery(statuses, type, parentId, updatedSince, order, n); }
}
