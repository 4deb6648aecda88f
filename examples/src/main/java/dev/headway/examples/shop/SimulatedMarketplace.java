package dev.headway.examples.shop;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A marketplace's product API, simulated: each call takes {@code callTime} and fails or passes as
 * the product's {@link FaultPlan} says for that attempt, so the same seed always gives the same
 * answers, whichever worker makes the call and when. It also counts what it was sent, so tests can
 * see that no product was listed twice.
 *
 * <p>Thread-safe.
 */
public final class SimulatedMarketplace {
  private final Marketplace marketplace;
  private final long seed;
  private final double failureRate;
  private final long callNanos;
  private final LongAdder calls = new LongAdder();
  private final ConcurrentHashMap<String, AtomicInteger> listings = new ConcurrentHashMap<>();

  /**
   * @throws IllegalArgumentException when {@code failureRate} is not within 0-1 or {@code callTime}
   *     is negative
   */
  public SimulatedMarketplace(Marketplace marketplace, long seed, double failureRate, Duration callTime) {
    this.marketplace = requireNonNull(marketplace, "marketplace");
    if (!(failureRate >= 0 && failureRate <= 1)) {
      throw new IllegalArgumentException("failureRate (" + failureRate + ") must be between 0 and 1");
    }
    if (callTime.isNegative()) {
      throw new IllegalArgumentException("callTime (" + callTime + ") must not be negative");
    }
    this.seed = seed;
    this.failureRate = failureRate;
    this.callNanos = callTime.toNanos();
  }

  public Marketplace marketplace() {
    return marketplace;
  }

  /** How this marketplace treats {@code product}. */
  public FaultPlan plan(Product product) {
    return FaultPlan.draw(seed, marketplace, product, failureRate);
  }

  /**
   * Creates or updates the listing of {@code product}: call number {@code attempt} for it.
   *
   * @return the listing id
   * @throws MarketplaceException when the plan says this call fails
   * @throws InterruptedException when interrupted while "on the wire"
   */
  public String publish(Product product, int attempt) throws MarketplaceException, InterruptedException {
    calls.increment();
    pause(callNanos);
    MarketplaceException failure = plan(product).failureAt(product, attempt);
    if (failure != null) {
      throw failure;
    }
    listings.computeIfAbsent(product.id(), k -> new AtomicInteger()).incrementAndGet();
    return marketplace.name() + ":" + product.id();
  }

  /** Calls made so far. */
  public long calls() {
    return calls.sum();
  }

  /** How many times a call for {@code productId} passed. */
  public int listings(String productId) {
    AtomicInteger n = listings.get(productId);
    return n == null ? 0 : n.get();
  }

  static void pause(long nanos) throws InterruptedException {
    if (nanos > 0) {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    }
  }
}
