package dev.headway;

import java.time.Instant;

/**
 * A run tried to start or resume a job that another owner holds. When the other lease is live
 * nothing can take the job; when it has expired, only a request with takeover may. The job is
 * unchanged.
 */
public final class LeaseHeldException extends HeadwayException {
  private final String jobId;
  private final String owner;
  private final Instant expiresAt;
  private final boolean expired;

  public LeaseHeldException(String jobId, String owner, Instant expiresAt, boolean expired) {
    super("job " + jobId + " is held by " + owner + (expired
        ? " whose lease expired at " + expiresAt + "; resume it with takeover to take it over"
        : " until " + expiresAt + "; a live lease cannot be taken over"));
    this.jobId = jobId;
    this.owner = owner;
    this.expiresAt = expiresAt;
    this.expired = expired;
  }

  public String jobId() { return jobId; }

  /** Who holds the job. */
  public String owner() { return owner; }

  /** When their lease expires (or expired), by the store's clock. */
  public Instant expiresAt() { return expiresAt; }

  /** True when the lease had expired, so a takeover would have been allowed. */
  public boolean expired() { return expired; }
}
