package dev.headway.jdbc;

import dev.headway.HeadwayException;
import dev.headway.LeaseRequest;
import dev.headway.ProgressUpdate;
import dev.headway.report.ProgressReporter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A run of {@link TwoProcessLeaseTest}: waits for {@code go}, tries to start the job under its own
 * lease, prints {@code HELD} or {@code REFUSED <message>}, and when it holds the job works until
 * told {@code finish}, then completes it.
 */
public final class LeaseChild {
  private LeaseChild() {}

  public static void main(String[] args) throws Exception {
    // url, user, password ("-" for none), table prefix, job id, owner
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try (JdbcProgressStore store = JdbcProgressStore.builder().url(args[0])
        .credentials(args[1], args[2].equals("-") ? "" : args[2]).tablePrefix(args[3]).build()) {
      System.out.println("ready");
      System.out.flush();
      if (!"go".equals(in.readLine())) {
        System.exit(2);
      }
      ProgressReporter reporter;
      try {
        reporter = ProgressReporter.start(store, ProgressUpdate.builder(args[4]).type("sync-all").build(),
            LeaseRequest.of(args[5], Duration.ofSeconds(30)));
      } catch (HeadwayException e) {
        System.out.println("REFUSED " + e.getClass().getSimpleName() + ": " + e.getMessage());
        System.out.flush();
        return;
      }
      try (reporter) {
        System.out.println("HELD");
        System.out.flush();
        reporter.increment("tables");
        if (!"finish".equals(in.readLine())) {
          System.exit(2);
        }
        reporter.complete();
      }
      System.out.println("DONE");
    }
  }
}
