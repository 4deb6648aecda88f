package dev.headway.store;

import dev.headway.merge.MergePolicy;
import java.time.Clock;

/** The in-memory store against the store contract. */
class InMemoryProgressStoreTest implements ProgressStoreContract {
  @Override
  public ProgressStore newStore(MergePolicy policy, Clock clock) {
    return ProgressStore.inMemory(policy, clock);
  }
}
