package dev.headway.examples.shop;

import static java.util.Objects.requireNonNull;

/** A simulated marketplace refused a call; {@link #category()} says what kind of failure it was. */
public final class MarketplaceException extends Exception {
  private final String category;

  public MarketplaceException(String category, String message) {
    super(message);
    this.category = requireNonNull(category, "category");
  }

  /** One of {@link Marketplace#CATEGORIES}. */
  public String category() {
    return category;
  }

  /** True when another attempt may pass ({@link Marketplace#RETRYABLE}). */
  public boolean retryable() {
    return Marketplace.retryable(category);
  }
}
