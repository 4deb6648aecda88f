package dev.headway.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.headway.JobStatus;
import dev.headway.ProgressUpdate;
import dev.headway.jdbc.JdbcProgressStore;
import dev.headway.store.JobQuery;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How the cost of one update and of a status query changes as the jobs table grows. The table is
 * filled through the store's batch API (5% of jobs running, the rest finished); at each size the
 * single-update workload runs on random existing jobs and the query asks for 50 running jobs.
 */
final class ScaleMeasure {
  /** Microseconds per update and per query at one table size. */
  record Point(int jobs, double updateMicros, double queryMicros) {}

  record Result(List<Point> points, String queryPlan) {}

  /**
   * Every 20th job is running: enough that the query returns its full 50 rows at every size from
   * 1,000 jobs up, so the sizes compare the same answer and only the table under it grows.
   */
  private static final int RUNNING_EVERY = 20;

  private ScaleMeasure() {}

  static Result run(BenchDb db, int[] sizes, int updates, int queries) {
    String name = "scale-" + db.rowName() + "-" + System.nanoTime();
    try (HikariDataSource pool = db.pool(name, 4)) {
      String prefix = "sc" + Math.abs(name.hashCode() % 100000) + "_";
      try (JdbcProgressStore store = JdbcProgressStore.builder().dataSource(pool).tablePrefix(prefix)
          .cacheSize(0).build()) {
        List<Point> points = new ArrayList<>();
        int filled = 0;
        SplittableRandom random = new SplittableRandom(42);
        for (int size : sizes) {
          filled = fill(store, filled, size);
          if (db == BenchDb.PG) {
            analyze(pool, prefix);
          }
          // Warm up, then measure: updates on random existing jobs (no cache: every one reads its row).
          // As many warm-up operations as measured ones: the first size must not carry the JIT's warm-up.
          for (int i = 0; i < updates; i++) {
            store.apply(update(random.nextInt(size), random));
          }
          long t0 = System.nanoTime();
          for (int i = 0; i < updates; i++) {
            store.apply(update(random.nextInt(size), random));
          }
          double updateMicros = (System.nanoTime() - t0) / 1000.0 / updates;
          JobQuery running = JobQuery.all().withStatus(JobStatus.RUNNING).withLimit(50);
          for (int i = 0; i < queries; i++) {
            store.query(running);
          }
          long t1 = System.nanoTime();
          int seen = 0;
          for (int i = 0; i < queries; i++) {
            seen += store.query(running).size();
          }
          double queryMicros = (System.nanoTime() - t1) / 1000.0 / queries;
          int expected = Math.min(50, (size + RUNNING_EVERY - 1) / RUNNING_EVERY);
          if (seen != expected * queries) {
            throw new IllegalStateException("status query returned " + seen / queries + " jobs, expected " + expected);
          }
          points.add(new Point(size, updateMicros, queryMicros));
        }
        return new Result(points, plan(pool, db, prefix));
      } finally {
        drop(pool, prefix); // a million rows are not worth keeping in a shared server
      }
    }
  }

  private static void drop(HikariDataSource pool, String prefix) {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      for (String t : new String[] {"timeline", "jobs", "schema_version"}) {
        s.execute("DROP TABLE IF EXISTS " + prefix + t);
      }
    } catch (java.sql.SQLException e) {
      System.err.println("could not drop " + prefix + "tables: " + e.getMessage());
    }
  }

  private static ProgressUpdate update(int job, SplittableRandom random) {
    return ProgressUpdate.builder(id(job)).items("issues", 1).lastProcessedId("issue-" + random.nextInt(1000)).build();
  }

  private static int fill(JdbcProgressStore store, int from, int to) {
    List<ProgressUpdate> batch = new ArrayList<>(1000);
    for (int j = from; j < to; j++) {
      Map<String, Object> items = new LinkedHashMap<>();
      items.put("groups", 3L);
      items.put("issues", 50L);
      items.put("commits", 20L);
      batch.add(ProgressUpdate.builder(id(j)).type("crawler").status(j % RUNNING_EVERY == 0 ? "running" : "completed")
          .processedItems(73).totalItems(73).field("itemsByType", items).stage("finalization").build());
      if (batch.size() == 1000) {
        store.applyAll(batch);
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      store.applyAll(batch);
    }
    return to;
  }

  private static String id(int job) {
    return "job-" + job;
  }

  private static void analyze(HikariDataSource pool, String prefix) {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("ANALYZE " + prefix + "jobs");
      s.execute("ANALYZE " + prefix + "timeline");
      // Write back what the fill left dirty now, so a checkpoint of the bulk load does not land
      // in the middle of the measurement (needs a superuser; without one the measurement goes on).
      try {
        s.execute("CHECKPOINT");
      } catch (java.sql.SQLException notAllowed) {
        System.err.println("CHECKPOINT refused (" + notAllowed.getMessage() + "): scale.pg rows may include a checkpoint");
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The database's plan for the status query, as the store sends it. */
  private static String plan(HikariDataSource pool, BenchDb db, String prefix) {
    String sql = "SELECT job_id, version, created_at, progress, state FROM " + prefix + "jobs WHERE 1 = 1 "
        + "AND status IN ('RUNNING') ORDER BY " + (db == BenchDb.PG ? "" : "status, ")
        + "updated_at DESC, job_id DESC LIMIT 50";
    StringBuilder out = new StringBuilder();
    try (Connection c = pool.getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("EXPLAIN " + sql)) {
      while (rs.next()) {
        out.append(rs.getString(1)).append('\n');
      }
    } catch (java.sql.SQLException e) {
      return "EXPLAIN failed: " + e.getMessage();
    }
    return out.toString().trim();
  }
}
