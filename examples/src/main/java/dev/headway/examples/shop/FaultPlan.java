package dev.headway.examples.shop;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How one marketplace treats one product, fixed in advance from the seed, so a run is the same
 * whatever order its workers take the products in: the categories of the calls that fail, in
 * order, before one passes; or a failure that repeats on every call ({@code permanent}, the
 * non-retryable AUTHENTICATION and VALIDATION).
 *
 * @param failures the categories of the failing calls, first attempt first; empty when the first
 *     call passes
 * @param permanent true when the last failure repeats on every further call
 */
public record FaultPlan(List<String> failures, boolean permanent) {
  /** The plan of a product whose first call passes. */
  public static final FaultPlan NONE = new FaultPlan(List.of(), false);

  /** Longest run of retryable failures drawn; past 5, no marketplace's budget makes a difference. */
  static final int MAX_TRANSIENT_FAILURES = 8;

  public FaultPlan {
    failures = List.copyOf(failures);
    if (permanent && failures.isEmpty()) {
      throw new IllegalArgumentException("a permanent plan needs a failure");
    }
  }

  /**
   * The plan of {@code product} at {@code marketplace} for {@code seed}. A share {@code
   * failureRate} of products meets trouble; its first failure's category is drawn by the
   * marketplace's weights. A non-retryable one is permanent; a retryable one is followed by more
   * retryable failures, each with probability 1/2 (so 1 in 4 products in trouble fails 3 calls or
   * more in a row, 1 in 16 fails 5 or more), then a call that passes.
   *
   * @throws IllegalArgumentException when {@code failureRate} is not within 0-1
   */
  public static FaultPlan draw(long seed, Marketplace marketplace, Product product, double failureRate) {
    if (!(failureRate >= 0 && failureRate <= 1)) {
      throw new IllegalArgumentException("failureRate (" + failureRate + ") must be between 0 and 1");
    }
    SplittableRandom random = new SplittableRandom(
        seed * 0x9E3779B97F4A7C15L + marketplace.name().hashCode() * 0xC2B2AE3D27D4EB4FL + product.index());
    if (random.nextDouble() >= failureRate) {
      return NONE;
    }
    String first = marketplace.drawCategory(random, false);
    if (!Marketplace.retryable(first)) {
      return new FaultPlan(List.of(first), true);
    }
    List<String> failures = new ArrayList<>(List.of(first));
    while (failures.size() < MAX_TRANSIENT_FAILURES && random.nextBoolean()) {
      failures.add(marketplace.drawCategory(random, true));
    }
    return new FaultPlan(failures, false);
  }

  /** The failure of call {@code attempt} (from 1), or null when that call passes. */
  public MarketplaceException failureAt(Product product, int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt (" + attempt + ") must be at least 1");
    }
    String category = attempt <= failures.size() ? failures.get(attempt - 1)
        : permanent ? failures.get(failures.size() - 1) : null;
    return category == null ? null : new MarketplaceException(category, message(category, product));
  }

  /**
   * What publishing {@code product} to {@code marketplace} comes to under this plan, worked out
   * without calling anything: the outcome {@link MarketplaceClient} must reach.
   */
  public SyncOutcome expected(Marketplace marketplace, Product product) {
    requireNonNull(marketplace, "marketplace");
    List<String> failed = new ArrayList<>();
    for (int attempt = 1; ; attempt++) {
      MarketplaceException e = failureAt(product, attempt);
      if (e == null) {
        return SyncOutcome.synced(marketplace, product, attempt, failed);
      }
      failed.add(e.category());
      if (!e.retryable() || attempt == marketplace.maxAttempts()) {
        return SyncOutcome.failed(marketplace, product, attempt, failed, e);
      }
    }
  }

  // What real marketplaces answer, one message per category so runs are reproducible.
  private static String message(String category, Product p) {
    return switch (category) {
      case "RATE_LIMIT" -> "429 Too Many Requests: request quota exceeded, retry after 1 s";
      case "NETWORK" -> "connection reset by peer after " + (1 + p.index() % 9) + " s";
      case "SYSTEM" -> "503 Service Unavailable: listing service overloaded";
      case "AUTHENTICATION" -> "401 Unauthorized: the shop's access token was rejected";
      case "VALIDATION" -> "422 Unprocessable Entity: required attribute 'material' is missing";
      default -> "failed with " + category;
    };
  }
}
