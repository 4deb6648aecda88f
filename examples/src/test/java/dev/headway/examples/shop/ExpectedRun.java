package dev.headway.examples.shop;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a shop-sync run must come to, worked out from the simulation's plans alone (no workers, no
 * store), so tests compare against the simulation itself rather than numbers written down.
 */
record ExpectedRun(Map<String, List<SyncOutcome>> byMarketplace) {

  static ExpectedRun of(long seed, int products, double failureRate) {
    return of(Marketplace.DEFAULTS, seed, products, failureRate);
  }

  static ExpectedRun of(List<Marketplace> marketplaces, long seed, int products, double failureRate) {
    Map<String, List<SyncOutcome>> m = new LinkedHashMap<>();
    List<Product> catalog = Product.catalog(seed, products);
    for (Marketplace mp : marketplaces) {
      SimulatedMarketplace api = new SimulatedMarketplace(mp, seed, failureRate, Duration.ZERO);
      m.put(mp.name(), catalog.stream().map(p -> api.plan(p).expected(mp, p)).toList());
    }
    return new ExpectedRun(m);
  }

  long synced(String marketplace) {
    return byMarketplace.get(marketplace).stream().filter(SyncOutcome::synced).count();
  }

  long failed(String marketplace) {
    return byMarketplace.get(marketplace).stream().filter(o -> !o.synced()).count();
  }

  long retries(String marketplace) {
    return byMarketplace.get(marketplace).stream().mapToLong(SyncOutcome::retries).sum();
  }

  long attempts(String marketplace) {
    return byMarketplace.get(marketplace).stream().mapToLong(SyncOutcome::attempts).sum();
  }

  /** Products failed for good by final category, every injected category present. */
  Map<String, Long> errors(String marketplace) {
    Map<String, Long> m = new LinkedHashMap<>();
    Marketplace.CATEGORIES.forEach(c -> m.put(c, 0L));
    byMarketplace.get(marketplace).stream().filter(o -> !o.synced())
        .forEach(o -> m.merge(o.finalCategory(), 1L, Long::sum));
    return m;
  }

  long synced() {
    return byMarketplace.keySet().stream().mapToLong(this::synced).sum();
  }

  long failed() {
    return byMarketplace.keySet().stream().mapToLong(this::failed).sum();
  }

  long retries() {
    return byMarketplace.keySet().stream().mapToLong(this::retries).sum();
  }

  Map<String, Long> errors() {
    Map<String, Long> m = new LinkedHashMap<>();
    byMarketplace.keySet().forEach(name -> errors(name).forEach((k, v) -> m.merge(k, v, Long::sum)));
    return m;
  }

  /** The summary's aggregate: COMPLETED, FAILED or MIXED by product. */
  String aggregate() {
    return failed() == 0 ? "COMPLETED" : synced() == 0 ? "FAILED" : "MIXED";
  }

  /** Stored error counts without the job's own failure reason (category FAILED), zeros filled in. */
  static Map<String, Long> productErrors(Map<String, Long> stored) {
    Map<String, Long> m = new LinkedHashMap<>();
    Marketplace.CATEGORIES.forEach(c -> m.put(c, 0L));
    stored.forEach((k, v) -> {
      if (!"FAILED".equals(k)) {
        m.merge(k, v, Long::sum);
      }
    });
    return m;
  }
}
