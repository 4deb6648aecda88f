package dev.headway.examples.shop;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * How publishing one product to one marketplace ended.
 *
 * @param marketplace the marketplace's name
 * @param product the product
 * @param synced true when a call passed
 * @param attempts calls made, the first included
 * @param failedCalls the categories of the calls that failed, in order (the last is the final
 *     failure when not synced)
 * @param detail the listing id when synced, else the error reported for the product
 */
public record SyncOutcome(String marketplace, Product product, boolean synced, int attempts,
    List<String> failedCalls, String detail) {

  public SyncOutcome {
    requireNonNull(marketplace, "marketplace");
    requireNonNull(product, "product");
    failedCalls = List.copyOf(failedCalls);
    requireNonNull(detail, "detail");
    if (attempts < 1 || failedCalls.size() != (synced ? attempts - 1 : attempts)) {
      throw new IllegalArgumentException("attempts (" + attempts + ") do not match the failed calls " + failedCalls
          + (synced ? " of a synced product" : " of a failed product"));
    }
  }

  static SyncOutcome synced(Marketplace m, Product p, int attempts, List<String> failedCalls) {
    return new SyncOutcome(m.name(), p, true, attempts, failedCalls, m.name() + ":" + p.id());
  }

  static SyncOutcome failed(Marketplace m, Product p, int attempts, List<String> failedCalls,
      MarketplaceException last) {
    String why = last.retryable() ? "gave up after " + attempts + (attempts == 1 ? " attempt" : " attempts")
        : "not retryable";
    return new SyncOutcome(m.name(), p, false, attempts, failedCalls,
        p.id() + " (" + p.sku() + "): " + last.getMessage() + " (" + why + ")");
  }

  /** The category the product failed with for good, or null when it synced. */
  public String finalCategory() {
    return synced ? null : failedCalls.get(failedCalls.size() - 1);
  }

  /** Calls after the first. */
  public int retries() {
    return attempts - 1;
  }

  /** The categories of the failed calls that were followed by another attempt. */
  public List<String> retriedFailures() {
    return synced ? failedCalls : failedCalls.subList(0, failedCalls.size() - 1);
  }
}
