package dev.headway.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headway.JobSnapshot;
import dev.headway.jdbc.TestDatabases.Kind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Several JVM processes, not threads, write to the same jobs in one PostgreSQL database: each
 * delivers its updates duplicated and shuffled, and all three start on a fresh table prefix, so
 * they also race to create the schema. No update may be lost or counted twice.
 */
class MultiProcessPostgresTest {
  private static final String PREFIX = "hw_multiproc_";
  private static final int PROCESSES = 3;
  private static final int UPDATES_PER_PROCESS = 400;

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void threeProcessesDeliveringDuplicatedReorderedUpdatesReachTheExactTotals() throws Exception {
    DataSource ds = TestDatabases.dataSource(Kind.POSTGRESQL); // skips, or fails when required
    TestDatabases.drop(ds, PREFIX);

    Map<String, Long> seeds = new LinkedHashMap<>();
    for (int i = 1; i <= PROCESSES; i++) {
      seeds.put("worker-" + i, 1_000L * i + 17);
    }
    Map<String, InterleavedWorkload.Totals> expected = InterleavedWorkload.expected(seeds, UPDATES_PER_PROCESS);
    assertThat(expected).as("every job gets updates").containsOnlyKeys(InterleavedWorkload.JOBS);

    Path dir = Path.of("target", "multiproc").toAbsolutePath();
    String password = TestDatabases.password(Kind.POSTGRESQL);
    List<ChildJvm> children = new ArrayList<>();
    try {
      for (Map.Entry<String, Long> e : seeds.entrySet()) {
        children.add(ChildJvm.start(e.getKey(), MultiProcessChild.class, dir,
            TestDatabases.url(Kind.POSTGRESQL), TestDatabases.user(Kind.POSTGRESQL),
            password.isEmpty() ? "-" : password, PREFIX, e.getKey(), Long.toString(e.getValue()),
            Integer.toString(UPDATES_PER_PROCESS)));
      }
      // All JVMs are up before any opens the store, so they race for the schema and the rows.
      for (ChildJvm child : children) {
        assertThat(child.awaitStdout(lines -> lines.contains("ready"), 30))
            .as("writer started\n%s", allStderr(children)).isTrue();
      }
      for (ChildJvm child : children) {
        child.writeLine("go");
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      for (ChildJvm child : children) {
        long left = Math.max(0, deadline - System.nanoTime());
        assertThat(child.process().waitFor(left, TimeUnit.NANOSECONDS))
            .as("writer finished within 2 minutes\n%s", allStderr(children)).isTrue();
        assertThat(child.process().exitValue()).as("writer exit code\n%s", allStderr(children)).isZero();
      }
    } finally {
      for (ChildJvm child : children) {
        child.kill();
      }
    }

    try (JdbcProgressStore store = JdbcProgressStore.builder().dataSource(ds).tablePrefix(PREFIX).build()) {
      for (String jobId : InterleavedWorkload.JOBS) {
        InterleavedWorkload.Totals want = expected.get(jobId);
        JobSnapshot s = store.get(jobId);
        assertThat(s.field("itemsByType.issues")).as("issues of %s\n%s", jobId, allStderr(children))
            .isEqualTo(want.issues());
        assertThat(s.field("itemsByType.pulls")).as("pulls of %s\n%s", jobId, allStderr(children))
            .isEqualTo(want.pulls());
        assertThat(s.version()).as("version of %s = distinct updates applied\n%s", jobId, allStderr(children))
            .isEqualTo(want.updates());
      }
    }
  }

  private static String allStderr(List<ChildJvm> children) {
    return children.stream().map(ChildJvm::stderr).collect(Collectors.joining("\n"));
  }
}
