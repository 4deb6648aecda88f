package dev.headway.examples.shop;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Publishes products to one marketplace with its retry rule (seed 002's platform-specific retry):
 * a retryable failure (RATE_LIMIT, NETWORK, SYSTEM) is tried again after a short backoff, up to
 * the marketplace's {@link Marketplace#maxAttempts} calls in all; a non-retryable one
 * (AUTHENTICATION, VALIDATION) fails the product at once.
 *
 * <p>Thread-safe: it keeps no state of its own.
 */
public final class MarketplaceClient {
  private final SimulatedMarketplace api;
  private final long backoffNanos;

  /**
   * @param backoff the pause before the second call; it doubles for each further one (capped at
   *     8 times)
   */
  public MarketplaceClient(SimulatedMarketplace api, Duration backoff) {
    this.api = requireNonNull(api, "api");
    if (backoff.isNegative()) {
      throw new IllegalArgumentException("backoff (" + backoff + ") must not be negative");
    }
    this.backoffNanos = backoff.toNanos();
  }

  public Marketplace marketplace() {
    return api.marketplace();
  }

  /**
   * Publishes {@code product}, retrying as the marketplace allows.
   *
   * @throws InterruptedException when interrupted while calling or backing off
   */
  public SyncOutcome publish(Product product) throws InterruptedException {
    Marketplace m = api.marketplace();
    List<String> failed = new ArrayList<>();
    for (int attempt = 1; ; attempt++) {
      try {
        api.publish(product, attempt);
        return SyncOutcome.synced(m, product, attempt, failed);
      } catch (MarketplaceException e) {
        failed.add(e.category());
        if (!e.retryable() || attempt >= m.maxAttempts()) {
          return SyncOutcome.failed(m, product, attempt, failed, e);
        }
        SimulatedMarketplace.pause(backoffNanos << Math.min(attempt - 1, 3));
      }
    }
  }
}
