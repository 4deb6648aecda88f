package dev.headway.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headway.JobSnapshot;
import dev.headway.Outcome;
import dev.headway.TimelineEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A child JVM ({@link CrashChild}) applies updates to an H2 file database opened with the store's
 * default settings and is killed with SIGKILL mid-stream. Reopened, the database must hold every
 * update the child was told was committed, open cleanly, and hold no half-written job: each job's
 * counters, version, timeline and dedupe state must describe the same prefix of its updates.
 */
class H2CrashTest {
  private static final int COMMITS_BEFORE_KILL = 600;

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void everyCommitReportedBeforeSigkillIsPresentAndNoJobIsHalfWritten() throws Exception {
    Path dir = TestDatabases.h2Dir().resolve("crash-" + System.nanoTime()).toAbsolutePath();
    Path db = dir.resolve("crash");
    ChildJvm child = ChildJvm.start("crash-child", CrashChild.class, dir, db.toString());
    try {
      assertThat(child.awaitStdout(lines -> commits(lines) >= COMMITS_BEFORE_KILL, 45))
          .as("the child reported %s commits within 45 s\n%s", COMMITS_BEFORE_KILL, child.stderr()).isTrue();
    } finally {
      child.kill();
    }
    // Every line the child wrote before it died, read to the end.
    Map<String, Long> lastCommitted = lastCommitted(child.stdoutLines());
    assertThat(child.process().exitValue()).as("killed, not exited\n%s", child.stderr()).isNotZero();
    assertThat(lastCommitted).as("every job got commits").containsOnlyKeys(CrashChild.JOBS);

    try (JdbcProgressStore store = JdbcProgressStore.open("jdbc:h2:file:" + db)) {
      int jobsAheadOfReport = 0;
      for (String jobId : CrashChild.JOBS) {
        long reported = lastCommitted.get(jobId);
        JobSnapshot s = store.get(jobId);
        long k = s.version();
        String where = jobId + " (last reported committed seq " + reported + ", stored version " + k + ")";

        assertThat(k).as("every reported commit survives: %s", where).isGreaterThanOrEqualTo(reported);
        assertThat(k).as("at most the one in-flight update beyond the report: %s", where)
            .isLessThanOrEqualTo(reported + 1);
        if (k > reported) {
          jobsAheadOfReport++;
        }
        assertThat(s.field("itemsByType.issues")).as("issues of %s", where).isEqualTo(k);
        assertThat(s.processedItems()).as("processedItems of %s", where).isEqualTo(k);
        List<Object> checkpoints = new ArrayList<>();
        for (TimelineEvent e : s.timeline().events()) {
          if (CrashChild.CHECKPOINT.equals(e.type())) {
            checkpoints.add(((Number) e.details().get("seq")).longValue());
          }
        }
        assertThat(s.timeline().dropped()).as("timeline of %s", where).isZero();
        assertThat(checkpoints).as("checkpoint events of %s", where).containsExactlyElementsOf(
            LongStream.rangeClosed(1, k).filter(q -> q % CrashChild.CHECKPOINT_EVERY == 0).boxed().toList());

        // The dedupe window was committed with the progress: a redelivery is still a no-op...
        assertThat(store.apply(CrashChild.update(jobId, k)).outcome()).as("redelivery of seq %s to %s", k, where)
            .isEqualTo(Outcome.DUPLICATE);
        // ...and the next update applies on top of exactly what is stored.
        JobSnapshot next = store.apply(CrashChild.update(jobId, k + 1)).snapshot();
        assertThat(next.version()).as("version after one more update to %s", where).isEqualTo(k + 1);
        assertThat(next.field("itemsByType.issues")).as("issues after one more update to %s", where)
            .isEqualTo(k + 1);
      }
      assertThat(jobsAheadOfReport).as("only one update was in flight when the child died").isLessThanOrEqualTo(1);
    }
    deleteRecursively(dir); // kept when an assertion failed, for a look at the files
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    try (java.util.stream.Stream<Path> paths = java.nio.file.Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.delete(p);
      }
    }
  }

  private static long commits(List<String> lines) {
    return lines.stream().filter(l -> l.startsWith("committed ")).count();
  }

  /** The last seq reported committed per job; the child reports each job's seqs in order. */
  private static Map<String, Long> lastCommitted(List<String> lines) {
    Map<String, Long> last = new HashMap<>();
    for (String line : lines) {
      String[] parts = line.split(" ");
      if (parts.length == 3 && parts[0].equals("committed")) {
        long seq = Long.parseLong(parts[2]);
        Long before = last.put(parts[1], seq);
        assertThat(before == null ? 0L : before).as("seq before %s on %s", seq, parts[1]).isEqualTo(seq - 1);
      }
    }
    return last;
  }
}
