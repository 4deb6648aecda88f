package dev.headway.examples.shop;

import static java.util.Objects.requireNonNull;

import dev.headway.ErrorCategory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A simulated marketplace: its name, how many attempts a product gets there (seed 002: "Shopee: 5,
 * TikTok: 3"), its price markup, and how often each error category occurs among its failures.
 *
 * @param name the marketplace's name, used in job ids ({@code <batch>/<name>})
 * @param maxAttempts attempts per product, the first included
 * @param markupPercent added to the base price for this marketplace
 * @param faultWeights relative frequency of each category among failures, in {@link #CATEGORIES} order
 */
public record Marketplace(String name, int maxAttempts, int markupPercent, Map<String, Integer> faultWeights) {
  /** The categories the simulation injects, in the order summaries list them. */
  public static final List<String> CATEGORIES = List.of(ErrorCategory.RATE_LIMIT, ErrorCategory.NETWORK,
      ErrorCategory.AUTHENTICATION, ErrorCategory.VALIDATION, ErrorCategory.SYSTEM);

  /**
   * The categories worth another attempt: the request may well pass later. AUTHENTICATION and
   * VALIDATION fail the same way however often they are sent, so they fail a product at once.
   */
  public static final Set<String> RETRYABLE = Set.of(ErrorCategory.RATE_LIMIT, ErrorCategory.NETWORK,
      ErrorCategory.SYSTEM);

  /**
   * The two marketplaces shop-sync publishes to: {@code marketplace-a} with strict rate limits and
   * 5 attempts, {@code marketplace-b} with a flakier network and 3 attempts.
   */
  public static final List<Marketplace> DEFAULTS = List.of(
      new Marketplace("marketplace-a", 5, 15, weights(40, 20, 10, 15, 15)),
      new Marketplace("marketplace-b", 3, 20, weights(25, 30, 10, 15, 20)));

  public Marketplace {
    requireNonNull(name, "name");
    if (!name.matches("[a-z0-9-]{1,40}")) {
      throw new IllegalArgumentException("name (" + name + ") must be 1-40 of a-z, 0-9 and -");
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts (" + maxAttempts + ") must be at least 1");
    }
    faultWeights = Map.copyOf(faultWeights);
    if (!faultWeights.keySet().equals(Set.copyOf(CATEGORIES))
        || faultWeights.values().stream().anyMatch(w -> w < 0)
        || faultWeights.values().stream().mapToInt(Integer::intValue).sum() == 0) {
      throw new IllegalArgumentException("faultWeights (" + faultWeights + ") must give each of " + CATEGORIES
          + " a weight >= 0, not all 0");
    }
    if (RETRYABLE.stream().mapToInt(faultWeights::get).sum() == 0) {
      throw new IllegalArgumentException("faultWeights (" + faultWeights + ") must give a retryable category weight");
    }
  }

  /** True when a failure of {@code category} is worth another attempt. */
  public static boolean retryable(String category) {
    return RETRYABLE.contains(category);
  }

  /** The base price with this marketplace's markup, in cents. */
  public long priceCents(Product p) {
    return p.priceCents() * (100 + markupPercent) / 100;
  }

  /** A category drawn by the weights, any or only the retryable ones. */
  String drawCategory(SplittableRandom random, boolean retryableOnly) {
    int total = 0;
    for (String c : CATEGORIES) {
      total += retryableOnly && !retryable(c) ? 0 : faultWeights.get(c);
    }
    int pick = random.nextInt(total);
    for (String c : CATEGORIES) {
      int w = retryableOnly && !retryable(c) ? 0 : faultWeights.get(c);
      if (pick < w) {
        return c;
      }
      pick -= w;
    }
    throw new AssertionError("weights changed while drawing");
  }

  private static Map<String, Integer> weights(int... w) {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (int i = 0; i < w.length; i++) {
      m.put(CATEGORIES.get(i), w[i]);
    }
    return m;
  }
}
