package dev.headway;

import static java.util.Objects.requireNonNull;

import dev.headway.internal.Ids;
import java.time.Instant;

/**
 * Who runs a job, and until when they are believed alive. A reporter renews its lease with its
 * heartbeat; a lease that was not renewed in time is <em>expired</em> and the stale-job sweeper
 * may mark its job INTERRUPTED. Expiry is judged by the store's clock only (the database's own
 * time for the JDBC store), never by a reporter's, so clock skew between machines cannot mark a
 * live job dead.
 *
 * @param owner who holds the lease, such as {@code host-pid-uuid}
 * @param expiresAt when it expires by the store's clock
 */
public record Lease(String owner, Instant expiresAt) {
  public Lease {
    Ids.check("owner", owner);
    requireNonNull(expiresAt, "expiresAt");
  }

  /** True while the lease has not expired at {@code now} (the store's time). */
  public boolean isLiveAt(Instant now) {
    return now.isBefore(expiresAt);
  }
}
