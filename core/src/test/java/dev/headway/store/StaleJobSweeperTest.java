package dev.headway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.LeaseRequest;
import dev.headway.ProgressUpdate;
import dev.headway.merge.MergePolicy;
import dev.headway.testing.TestClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StaleJobSweeperTest {
  private final TestClock clock = TestClock.at("2026-01-01T00:00:00Z");
  private final ProgressStore store = ProgressStore.inMemory(MergePolicy.defaults(), clock);

  @Test
  void sweepOnceInterruptsExpiredLeasesAndOnlyThoseWithoutASilenceRule() {
    store.start(ProgressUpdate.builder("leased").build(), LeaseRequest.of("w", Duration.ofSeconds(5)));
    store.apply(ProgressUpdate.builder("unleased").status("running").build());
    clock.advance(Duration.ofMinutes(5));
    StaleJobSweeper sweeper = StaleJobSweeper.every(store, Duration.ofSeconds(10));

    assertThat(sweeper.sweepOnce()).extracting(JobSnapshot::jobId).containsExactly("leased");
    assertThat(sweeper.withUnleasedSilence(Duration.ofMinutes(1)).sweepOnce()).extracting(JobSnapshot::jobId)
        .containsExactly("unleased");
  }

  @Test
  void aStartedSweeperSweepsOnItsOwnUntilClosed() throws InterruptedException {
    store.start(ProgressUpdate.builder("leased").build(), LeaseRequest.of("w", Duration.ofSeconds(5)));
    clock.advance(Duration.ofSeconds(6));
    try (StaleJobSweeper sweeper = StaleJobSweeper.every(store, Duration.ofMillis(20)).start()) {
      assertThatThrownBy(sweeper::start).isInstanceOf(IllegalStateException.class);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (store.get("leased").status() == JobStatus.RUNNING && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
    }
    assertThat(store.get("leased").status()).isEqualTo(JobStatus.INTERRUPTED);
  }

  @Test
  void periodsMustBePositive() {
    assertThatThrownBy(() -> StaleJobSweeper.every(store, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("period");
    assertThatThrownBy(() -> StaleJobSweeper.every(store, Duration.ofSeconds(1)).withUnleasedSilence(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unleasedSilence");
  }
}
