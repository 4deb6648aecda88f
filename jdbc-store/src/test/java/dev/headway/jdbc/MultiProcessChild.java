package dev.headway.jdbc;

import dev.headway.ApplyResult;
import dev.headway.Outcome;
import dev.headway.ProgressUpdate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One writer process of {@link MultiProcessPostgresTest}. Arguments: JDBC URL, user, password
 * ({@code -} for none), table prefix, reporter name, seed, count. Opens its own store (racing the
 * other processes to create the schema) once the parent writes {@code go} on its stdin, delivers {@link InterleavedWorkload#deliveries} one
 * {@code apply} at a time, and exits 0 only if each update was APPLIED on its first delivery and
 * DUPLICATE on every later one.
 */
public final class MultiProcessChild {
  private MultiProcessChild() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String user = args[1];
    String password = "-".equals(args[2]) ? "" : args[2];
    String prefix = args[3];
    String reporter = args[4];
    long seed = Long.parseLong(args[5]);
    int count = Integer.parseInt(args[6]);

    List<ProgressUpdate> deliveries = InterleavedWorkload.deliveries(reporter, seed, count);
    // Start line: the JVMs start at different speeds; the parent says "go" when all are ready, so
    // they open the store (and create the schema) and write at the same time.
    System.out.println("ready");
    System.out.flush();
    String go = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
        java.nio.charset.StandardCharsets.UTF_8)).readLine();
    if (!"go".equals(go)) {
      System.err.println(reporter + ": expected go on stdin, got " + go);
      System.exit(2);
    }
    Set<Long> delivered = new HashSet<>();
    int wrong = 0;
    try (JdbcProgressStore store = JdbcProgressStore.builder().url(url).credentials(user, password)
        .tablePrefix(prefix).poolSize(2).build()) {
      for (ProgressUpdate u : deliveries) {
        ApplyResult r = store.apply(u);
        Outcome expected = delivered.add(u.seq()) ? Outcome.APPLIED : Outcome.DUPLICATE;
        if (r.outcome() != expected) {
          wrong++;
          System.err.println(reporter + " seq " + u.seq() + " to " + u.jobId() + ": expected " + expected
              + ", got " + r.outcome());
        }
      }
    }
    System.err.println(reporter + ": " + deliveries.size() + " deliveries of " + delivered.size()
        + " updates, " + wrong + " unexpected outcomes");
    System.exit(wrong == 0 ? 0 : 1);
  }
}
