package dev.headway;

import static java.util.Objects.requireNonNull;

import dev.headway.internal.Ids;
import java.time.Duration;

/**
 * What a run asks for when it starts or resumes a job: its owner id, how long the lease lasts
 * between heartbeats, and whether it may take over a job whose previous owner's lease has
 * expired but that no sweeper has marked INTERRUPTED yet. A live lease is never taken over.
 *
 * @param owner the run's id; unique per process run, such as {@code host-pid-uuid}
 * @param ttl how long the lease lasts after each start, resume or renewal
 * @param takeover whether an expired lease of another owner may be taken
 */
public record LeaseRequest(String owner, Duration ttl, boolean takeover) {
  /** Shortest lease accepted. */
  public static final Duration MIN_TTL = Duration.ofMillis(100);
  /** Longest lease accepted. */
  public static final Duration MAX_TTL = Duration.ofDays(1);

  public LeaseRequest {
    Ids.check("owner", owner);
    requireNonNull(ttl, "ttl");
    if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
      throw new InvalidUpdateException("lease.ttl", ttl.toString(), "must be between " + MIN_TTL + " and " + MAX_TTL);
    }
  }

  /** A lease for {@code owner} lasting {@code ttl}, without takeover. */
  public static LeaseRequest of(String owner, Duration ttl) {
    return new LeaseRequest(owner, ttl, false);
  }

  /** The same request, allowed to take over an expired lease of another owner. */
  public LeaseRequest withTakeover() {
    return new LeaseRequest(owner, ttl, true);
  }
}
