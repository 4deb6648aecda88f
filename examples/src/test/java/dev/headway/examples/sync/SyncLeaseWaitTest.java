package dev.headway.examples.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headway.JobStatus;
import dev.headway.LeaseRequest;
import dev.headway.ProgressUpdate;
import dev.headway.Resumption;
import dev.headway.examples.LeaseWait;
import dev.headway.examples.Main;
import dev.headway.store.ProgressStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Resuming a job a crashed run still holds: wait for its lease, say so, then take over. */
class SyncLeaseWaitTest {
  @Test
  void resumeWaitsForALiveLeaseToExpireAndSaysSo() throws Exception {
    ProgressStore store = ProgressStore.inMemory();
    store.start(ProgressUpdate.builder("b").type("sync-all").build(), LeaseRequest.of("crashed-run", Duration.ofMillis(300)));
    List<String> said = new ArrayList<>();

    Resumption r = LeaseWait.resume(store, "b", LeaseRequest.of("new-run", Duration.ofSeconds(5)), said::add);

    assertThat(said).singleElement().asString().startsWith("Waiting for the lease of crashed-run to expire at ");
    assertThat(r.attempt()).isEqualTo(2);
    assertThat(store.get("b").status()).isEqualTo(JobStatus.RUNNING);
    assertThat(store.get("b").lease().owner()).isEqualTo("new-run");
  }

  @Test
  void anExpiredLeaseIsTakenOverWithoutWaiting() throws Exception {
    ProgressStore store = ProgressStore.inMemory();
    store.start(ProgressUpdate.builder("b").build(), LeaseRequest.of("crashed-run", Duration.ofMillis(100)));
    Thread.sleep(150);
    List<String> said = new ArrayList<>();

    Resumption r = LeaseWait.resume(store, "b", LeaseRequest.of("new-run", Duration.ofSeconds(5)), said::add);

    assertThat(said).isEmpty();
    assertThat(r.attempt()).isEqualTo(2);
  }

  @Test
  void aLeaseRenewedWhileWaitingBelongsToALiveRunAndIsLeftAlone() {
    ProgressStore store = ProgressStore.inMemory();
    LeaseRequest live = LeaseRequest.of("live-run", Duration.ofMillis(300));
    store.start(ProgressUpdate.builder("b").build(), live);
    List<String> said = new ArrayList<>();

    assertThatThrownBy(() -> LeaseWait.resume(store, "b", LeaseRequest.of("new-run", Duration.ofSeconds(5)), m -> {
      said.add(m);
      store.renew("b", "live-run", Duration.ofSeconds(2)); // the live run's heartbeat while we wait
    })).isInstanceOf(Main.CommandFailedException.class).hasMessageContaining("is being run by live-run");
    assertThat(store.get("b").lease().owner()).isEqualTo("live-run");
  }
}
