package dev.headway.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.jdbc.TestDatabases.Kind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two processes start the same sync-all at the same moment, sharing only a PostgreSQL database:
 * exactly one holds the job; the other is refused with an error naming the holder.
 */
class TwoProcessLeaseTest {
  private static final String PREFIX = "hw_lease_";
  private static final String JOB = "sync-all-2026-11-27";

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void exactlyOneOfTwoProcessesHoldsTheJobAndTheOtherIsToldWhoDoes() throws Exception {
    DataSource ds = TestDatabases.dataSource(Kind.POSTGRESQL); // skips, or fails when required
    TestDatabases.drop(ds, PREFIX);
    Path dir = Path.of("target", "lease").toAbsolutePath();
    String password = TestDatabases.password(Kind.POSTGRESQL);
    List<ChildJvm> runs = new ArrayList<>();
    try {
      for (String owner : List.of("run-a", "run-b")) {
        runs.add(ChildJvm.start(owner, LeaseChild.class, dir, TestDatabases.url(Kind.POSTGRESQL),
            TestDatabases.user(Kind.POSTGRESQL), password.isEmpty() ? "-" : password, PREFIX, JOB, owner));
      }
      for (ChildJvm run : runs) {
        assertThat(run.awaitStdout(lines -> lines.contains("ready"), 60)).as("run started\n%s", run.stderr()).isTrue();
      }
      for (ChildJvm run : runs) {
        run.writeLine("go");
      }
      List<String> answers = new ArrayList<>();
      for (ChildJvm run : runs) {
        assertThat(run.awaitStdout(lines -> lines.size() >= 2, 60)).as("run answered\n%s", run.stderr()).isTrue();
        answers.add(run.stdoutLines().get(1));
      }

      assertThat(answers).filteredOn(a -> a.equals("HELD")).as("answers %s", answers).hasSize(1);
      int holder = answers.indexOf("HELD");
      String holderOwner = holder == 0 ? "run-a" : "run-b";
      String refusal = answers.get(1 - holder);
      assertThat(refusal).startsWith("REFUSED LeaseHeldException: ")
          .contains("held by " + holderOwner).contains("until");

      try (JdbcProgressStore store = JdbcProgressStore.builder().dataSource(ds).tablePrefix(PREFIX).build()) {
        JobSnapshot running = store.get(JOB);
        assertThat(running.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(running.lease().owner()).isEqualTo(holderOwner);

        runs.get(holder).writeLine("finish");
        assertThat(runs.get(holder).process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(runs.get(holder).stdoutLines()).contains("DONE");
        JobSnapshot done = store.get(JOB);
        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.field("itemsByType.tables")).isEqualTo(1L);
        assertThat(done.lease()).isNull();
      }
    } finally {
      for (ChildJvm run : runs) {
        run.kill();
      }
      TestDatabases.drop(ds, PREFIX);
    }
  }
}
