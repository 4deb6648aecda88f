package dev.headway.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Platform-specific retry: the attempt budget of each marketplace, and categories that are not retried. */
class ShopRetryTest {
  private static final long SEED = 3;
  private static final int PRODUCTS = 600;

  private enum Case { FIRST_CALL, RETRIED_WITHIN_BOTH, WITHIN_FIVE_NOT_THREE, BEYOND_FIVE, NOT_RETRYABLE }

  @Test
  void retryableFailuresSyncWithinTheBudgetOrFailAfterExactlyThatManyAttempts() throws Exception {
    // Two marketplaces with the same name draw the same plans: only their budgets differ.
    Marketplace five = new Marketplace("twin", 5, 0, Marketplace.DEFAULTS.get(0).faultWeights());
    Marketplace three = new Marketplace("twin", 3, 0, Marketplace.DEFAULTS.get(0).faultWeights());
    SimulatedMarketplace apiFive = new SimulatedMarketplace(five, SEED, 0.8, Duration.ZERO);
    SimulatedMarketplace apiThree = new SimulatedMarketplace(three, SEED, 0.8, Duration.ZERO);
    MarketplaceClient clientFive = new MarketplaceClient(apiFive, Duration.ZERO);
    MarketplaceClient clientThree = new MarketplaceClient(apiThree, Duration.ZERO);
    EnumSet<Case> seen = EnumSet.noneOf(Case.class);

    for (Product p : Product.catalog(SEED, PRODUCTS)) {
      FaultPlan plan = apiFive.plan(p);
      assertThat(apiThree.plan(p)).isEqualTo(plan);
      long callsFive = apiFive.calls();
      long callsThree = apiThree.calls();
      SyncOutcome a = clientFive.publish(p);
      SyncOutcome b = clientThree.publish(p);
      assertThat(apiFive.calls() - callsFive).as("calls made = attempts").isEqualTo(a.attempts());
      assertThat(apiThree.calls() - callsThree).as("calls made = attempts").isEqualTo(b.attempts());
      int failures = plan.failures().size();

      if (plan.permanent()) {  // AUTHENTICATION or VALIDATION: no second call anywhere
        seen.add(Case.NOT_RETRYABLE);
        assertThat(Marketplace.retryable(plan.failures().get(0))).isFalse();
        for (SyncOutcome o : List.of(a, b)) {
          assertThat(o.synced()).isFalse();
          assertThat(o.attempts()).isEqualTo(1);
          assertThat(o.detail()).endsWith("(not retryable)");
        }
        continue;
      }
      assertThat(plan.failures()).allMatch(Marketplace::retryable);
      seen.add(failures == 0 ? Case.FIRST_CALL : failures < 3 ? Case.RETRIED_WITHIN_BOTH
          : failures < 5 ? Case.WITHIN_FIVE_NOT_THREE : Case.BEYOND_FIVE);
      check(a, failures, 5);
      check(b, failures, 3);
    }
    assertThat(seen).as("the sample covers every case").containsExactlyInAnyOrder(Case.values());
  }

  private static void check(SyncOutcome o, int failures, int budget) {
    if (failures < budget) {
      assertThat(o.synced()).isTrue();
      assertThat(o.attempts()).isEqualTo(failures + 1);
    } else {
      assertThat(o.synced()).isFalse();
      assertThat(o.attempts()).isEqualTo(budget);
      assertThat(o.detail()).endsWith("(gave up after " + budget + " attempts)");
    }
    assertThat(o.failedCalls()).hasSize(Math.min(failures, budget));
  }

  @Test
  void theDefaultMarketplacesGiveFiveAndThreeAttempts() throws Exception {
    assertThat(Marketplace.DEFAULTS).extracting(Marketplace::name, Marketplace::maxAttempts)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("marketplace-a", 5),
            org.assertj.core.groups.Tuple.tuple("marketplace-b", 3));
    for (Marketplace m : Marketplace.DEFAULTS) {
      SimulatedMarketplace api = new SimulatedMarketplace(m, SEED, 0.5, Duration.ZERO);
      MarketplaceClient client = new MarketplaceClient(api, Duration.ZERO);
      for (Product p : Product.catalog(SEED, 300)) {
        SyncOutcome o = client.publish(p);
        assertThat(o).isEqualTo(api.plan(p).expected(m, p));
        assertThat(o.attempts()).isBetween(1, m.maxAttempts());
        if (!o.synced()) {
          int expectedAttempts = Marketplace.retryable(o.finalCategory()) ? m.maxAttempts() : 1;
          assertThat(o.attempts()).as(o.detail()).isEqualTo(expectedAttempts);
        }
        assertThat(api.listings(p.id())).isEqualTo(o.synced() ? 1 : 0);
      }
    }
  }

  @Test
  void theSameSeedGivesTheSameCatalogAndFailures() {
    assertThat(Product.catalog(9, 50)).isEqualTo(Product.catalog(9, 50));
    assertThat(Product.catalog(9, 50)).isNotEqualTo(Product.catalog(10, 50));
    Marketplace m = Marketplace.DEFAULTS.get(1);
    List<FaultPlan> once = Product.catalog(9, 200).stream().map(p -> FaultPlan.draw(9, m, p, 0.3)).toList();
    List<FaultPlan> again = Product.catalog(9, 200).stream().map(p -> FaultPlan.draw(9, m, p, 0.3)).toList();
    assertThat(once).isEqualTo(again).contains(FaultPlan.NONE);
    assertThat(Product.catalog(9, 200).stream().map(p -> FaultPlan.draw(9, m, p, 0.0)))
        .containsOnly(FaultPlan.NONE);
    Map<Boolean, Long> troubled = Product.catalog(9, 200).stream().collect(
        java.util.stream.Collectors.partitioningBy(p -> FaultPlan.draw(9, m, p, 1.0).equals(FaultPlan.NONE),
            java.util.stream.Collectors.counting()));
    assertThat(troubled.get(true)).isZero();
  }
}
