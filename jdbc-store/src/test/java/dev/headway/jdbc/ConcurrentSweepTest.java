package dev.headway.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.LeaseRequest;
import dev.headway.ProgressUpdate;
import dev.headway.TimelineEvent;
import dev.headway.testing.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Sweepers of separate stores (as in separate processes: no JVM lock in common, only the database)
 * run at once over the same expired jobs: each job is interrupted exactly once.
 */
class ConcurrentSweepTest {
  private static final String PREFIX = "hw_sweep_";
  private static final int JOBS = 40;

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void sweepersOfSeparateStoresInterruptEachExpiredJobOnce(TestDatabases.Kind kind) throws Exception {
    DataSource ds = TestDatabases.dataSource(kind);
    TestDatabases.drop(ds, PREFIX);
    TestClock clock = TestClock.at("2026-01-01T00:00:00Z");
    List<JdbcProgressStore> stores = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      for (int i = 0; i < 3; i++) {
        stores.add(JdbcProgressStore.builder().dataSource(ds).tablePrefix(PREFIX).clock(clock).cacheSize(0).build());
      }
      for (int i = 0; i < JOBS; i++) {
        stores.get(i % 3).start(ProgressUpdate.builder("job-" + i).build(), LeaseRequest.of("dead-run", Duration.ofSeconds(5)));
      }
      clock.advance(Duration.ofSeconds(6));

      List<Future<List<JobSnapshot>>> sweeps = new ArrayList<>();
      for (JdbcProgressStore s : stores) {
        sweeps.add(pool.submit((Callable<List<JobSnapshot>>) () -> s.interruptStale(null)));
      }
      List<String> swept = new ArrayList<>();
      for (Future<List<JobSnapshot>> f : sweeps) {
        f.get().forEach(j -> swept.add(j.jobId()));
      }

      assertThat(swept).hasSize(JOBS).doesNotHaveDuplicates();
      for (int i = 0; i < JOBS; i++) {
        JobSnapshot s = stores.get(0).get("job-" + i);
        assertThat(s.status()).isEqualTo(JobStatus.INTERRUPTED);
        assertThat(s.timeline().events().stream().filter(e -> e.type().equals(TimelineEvent.LEASE_EXPIRED)).count())
            .as("lease_expired events of job-%s", i).isEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
      stores.forEach(JdbcProgressStore::close);
      TestDatabases.drop(ds, PREFIX);
    }
  }
}
