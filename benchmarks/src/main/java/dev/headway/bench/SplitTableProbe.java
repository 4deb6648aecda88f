package dev.headway.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Evidence for a design decision, not a workload: what splitting the jobs row would buy and cost
 * on lazy H2. Today one row carries a job's queryable columns, its document and its exact
 * {@code updated_at}, which sits in two of the five query indexes, and H2 removes and re-adds a
 * row in every index of its table on any UPDATE. The split puts version, {@code updated_at},
 * document and state in a hot table with no secondary index, and the queried columns in a cold
 * table indexed on {@code updated_at} truncated to the second, written only when a report moves
 * the job into a new second. The probe builds both forms side by side with the same jobs (every
 * running job reported within the newest second, as in a busy import) and times the dashboard's
 * status query (50 running jobs, newest first, exactly) and a report's write in each.
 */
final class SplitTableProbe {
  /** Microseconds per query and per write, each form measured on the same jobs. */
  record Result(int running, int finished, double queryOneTable, double querySplit, double writeOneTable,
      double writeHotOnly, double writeHotAndCold) {}

  private static final int LIMIT = 50;
  private static final String DOC = "{\"processedItems\":6000,\"itemsByType\":{\"groups\":666,\"issues\":2000,"
      + "\"commits\":4000},\"stage\":\"discovery\",\"lastProcessedId\":\"issue-2000\"}";
  /** The size of the stored state Headway writes for such a job. */
  private static final String STATE = "x".repeat(560);

  private static final String[] DDL = {
      "CREATE TABLE one (job_id VARCHAR(200) PRIMARY KEY, type VARCHAR(100), parent_id VARCHAR(200), "
          + "status VARCHAR(16) NOT NULL, version BIGINT NOT NULL, updated_at BIGINT NOT NULL, finished_at BIGINT, "
          + "progress CHARACTER VARYING(1000000), state CHARACTER VARYING(1000000))",
      "CREATE INDEX one_status ON one (status, updated_at DESC, job_id DESC)",
      "CREATE INDEX one_type ON one (type)",
      "CREATE INDEX one_parent ON one (parent_id)",
      "CREATE INDEX one_updated ON one (updated_at, job_id)",
      "CREATE INDEX one_finished ON one (finished_at)",
      "CREATE TABLE hot (job_id VARCHAR(200) PRIMARY KEY, version BIGINT NOT NULL, updated_at BIGINT NOT NULL, "
          + "progress CHARACTER VARYING(1000000), state CHARACTER VARYING(1000000))",
      "CREATE TABLE cold (job_id VARCHAR(200) PRIMARY KEY, type VARCHAR(100), parent_id VARCHAR(200), "
          + "status VARCHAR(16) NOT NULL, updated_second BIGINT NOT NULL, finished_at BIGINT)",
      "CREATE INDEX cold_status ON cold (status, updated_second DESC, job_id DESC)",
      "CREATE INDEX cold_type ON cold (type)",
      "CREATE INDEX cold_parent ON cold (parent_id)",
      "CREATE INDEX cold_updated ON cold (updated_second, job_id)",
      "CREATE INDEX cold_finished ON cold (finished_at)"};

  private static final String QUERY_ONE = "SELECT job_id, version, progress, state FROM one WHERE status = 'RUNNING' "
      + "ORDER BY status, updated_at DESC, job_id DESC LIMIT " + LIMIT;
  /** The split's exact answer: the second of the 50th row by the index, then every row from that second on, sorted. */
  private static final String QUERY_SECOND = "SELECT updated_second FROM cold WHERE status = 'RUNNING' "
      + "ORDER BY status, updated_second DESC, job_id DESC LIMIT 1 OFFSET " + (LIMIT - 1);
  private static final String QUERY_SPLIT = "SELECT h.job_id, h.version, h.progress, h.state FROM cold k "
      + "JOIN hot h ON h.job_id = k.job_id WHERE k.status = 'RUNNING' AND k.updated_second >= ? "
      + "ORDER BY h.updated_at DESC, h.job_id DESC LIMIT " + LIMIT;

  private SplitTableProbe() {}

  static Result run(Path dir, int running, int finished, int queries, int writes) {
    Path file = dir.resolve("split-" + System.nanoTime());
    try {
      Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + file.toAbsolutePath(), "sa", "")) {
      try (Statement s = c.createStatement()) {
        for (String ddl : DDL) {
          s.execute(ddl);
        }
      }
      long newestSecond = System.currentTimeMillis() / 1000;
      fill(c, running, finished, newestSecond);
      double queryOne;
      double querySplit;
      List<String> one = newest(c, false);
      List<String> split = newest(c, true);
      if (!one.equals(split)) {
        throw new IllegalStateException("the split's status query answered " + split + ", the one table " + one);
      }
      SplittableRandom random = new SplittableRandom(7);
      long[] clock = {newestSecond * 1_000_000};
      try (PreparedStatement touch = c.prepareStatement("UPDATE one SET version = version + 1 WHERE job_id = ?");
           PreparedStatement touchCold = c.prepareStatement("UPDATE cold SET type = type WHERE job_id = ?")) {
        // Each query follows a write (untimed, to a finished job): H2 answers a repeated query on
        // unchanged tables from its last result, which a store taking reports never sees.
        Body write = () -> {
          String id = "job-" + (running + random.nextInt(finished));
          touch.setString(1, id);
          touch.executeUpdate();
          touchCold.setString(1, id);
          touchCold.executeUpdate();
        };
        queryOne = time(queries, write, () -> newest(c, false));
        querySplit = time(queries, write, () -> newest(c, true));
      }
      try (PreparedStatement oneRow = c.prepareStatement("UPDATE one SET version = version + 1, updated_at = ?, "
              + "progress = ?, state = ? WHERE job_id = ?");
           PreparedStatement hotRow = c.prepareStatement("UPDATE hot SET version = version + 1, updated_at = ?, "
              + "progress = ?, state = ? WHERE job_id = ?");
           PreparedStatement coldRow = c.prepareStatement("UPDATE cold SET updated_second = ? WHERE job_id = ?")) {
        // A job that reports many times a second writes its hot row only; one that reports once a
        // second or less (most jobs through a reporter) also writes its cold row every time.
        double writeOne = time(writes, () -> write(oneRow, "job-" + random.nextInt(running), ++clock[0]));
        double writeHot = time(writes, () -> write(hotRow, "job-" + random.nextInt(running), ++clock[0]));
        double writeBoth = time(writes, () -> {
          String id = "job-" + random.nextInt(running);
          clock[0] += 1_000_000;
          c.setAutoCommit(false);
          write(hotRow, id, clock[0]);
          coldRow.setLong(1, clock[0] / 1_000_000);
          coldRow.setString(2, id);
          coldRow.executeUpdate();
          c.commit();
          c.setAutoCommit(true);
        });
        return new Result(running, finished, queryOne, querySplit, writeOne, writeHot, writeBoth);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    } finally {
      try {
        Files.deleteIfExists(Path.of(file + ".mv.db"));
      } catch (java.io.IOException ignored) {
        // a leftover file in the benchmark's directory
      }
    }
  }

  /** Running jobs all updated within the newest second; finished ones an hour and more before. */
  private static void fill(Connection c, int running, int finished, long newestSecond) throws SQLException {
    SplittableRandom random = new SplittableRandom(1);
    try (PreparedStatement one = c.prepareStatement("INSERT INTO one VALUES (?, 'crawler', NULL, ?, 1, ?, ?, ?, ?)");
         PreparedStatement hot = c.prepareStatement("INSERT INTO hot VALUES (?, 1, ?, ?, ?)");
         PreparedStatement cold = c.prepareStatement("INSERT INTO cold VALUES (?, 'crawler', NULL, ?, ?, ?)")) {
      for (int j = 0; j < running + finished; j++) {
        boolean isRunning = j < running;
        long at = isRunning ? newestSecond * 1_000_000 + random.nextInt(1_000_000)
            : (newestSecond - 3600 - random.nextInt(86_400)) * 1_000_000 + random.nextInt(1_000_000);
        String id = "job-" + j;
        String status = isRunning ? "RUNNING" : "COMPLETED";
        one.setString(1, id);
        one.setString(2, status);
        one.setLong(3, at);
        setFinished(one, 4, isRunning, at);
        one.setString(5, DOC);
        one.setString(6, STATE);
        one.addBatch();
        hot.setString(1, id);
        hot.setLong(2, at);
        hot.setString(3, DOC);
        hot.setString(4, STATE);
        hot.addBatch();
        cold.setString(1, id);
        cold.setString(2, status);
        cold.setLong(3, at / 1_000_000);
        setFinished(cold, 4, isRunning, at);
        cold.addBatch();
        if (j % 1000 == 999) {
          one.executeBatch();
          hot.executeBatch();
          cold.executeBatch();
        }
      }
      one.executeBatch();
      hot.executeBatch();
      cold.executeBatch();
    }
  }

  private static void setFinished(PreparedStatement s, int index, boolean running, long at) throws SQLException {
    if (running) {
      s.setNull(index, Types.BIGINT);
    } else {
      s.setLong(index, at);
    }
  }

  /** The ids of the 50 most recently updated running jobs, reading their documents as a dashboard does. */
  private static List<String> newest(Connection c, boolean split) throws SQLException {
    PreparedStatement q;
    if (split) {
      long second;
      try (PreparedStatement find = c.prepareStatement(QUERY_SECOND); ResultSet rs = find.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("fewer than " + LIMIT + " running jobs");
        }
        second = rs.getLong(1);
      }
      q = c.prepareStatement(QUERY_SPLIT);
      q.setLong(1, second);
    } else {
      q = c.prepareStatement(QUERY_ONE);
    }
    List<String> ids = new ArrayList<>(LIMIT);
    try (q; ResultSet rs = q.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getString(1));
        rs.getString(3);
        rs.getString(4);
      }
    }
    return ids;
  }

  private static void write(PreparedStatement update, String jobId, long at) throws SQLException {
    update.setLong(1, at);
    update.setString(2, DOC);
    update.setString(3, STATE);
    update.setString(4, jobId);
    if (update.executeUpdate() != 1) {
      throw new IllegalStateException("no row for " + jobId);
    }
  }

  private interface Body {
    void run() throws SQLException;
  }

  /** Microseconds per run of the body, after as many runs again as a warm-up. */
  private static double time(int n, Body body) throws SQLException {
    return time(n, () -> { }, body);
  }

  /** The same, running {@code untimed} before each run of the body. */
  private static double time(int n, Body untimed, Body body) throws SQLException {
    for (int i = 0; i < n; i++) {
      untimed.run();
      body.run();
    }
    long nanos = 0;
    for (int i = 0; i < n; i++) {
      untimed.run();
      long t0 = System.nanoTime();
      body.run();
      nanos += System.nanoTime() - t0;
    }
    return nanos / 1000.0 / n;
  }

  static void main(Path dir) {
    int running = 20_000;
    System.out.printf(Locale.ROOT, "One jobs table against a hot/cold split, lazy H2: %,d running jobs all updated "
        + "within the newest second, %,d finished ones%n", running, running * 10);
    Result r = run(dir, running, running * 10, 20, 20_000);
    System.out.printf(Locale.ROOT, "status query, 50 running newest first: one table %,.0f us, split %,.0f us (%.0fx)%n",
        r.queryOneTable(), r.querySplit(), r.querySplit() / r.queryOneTable());
    System.out.printf(Locale.ROOT, "a report's write: one table %.1f us; split, hot row only %.1f us (%.2fx); "
        + "split, hot and cold row %.1f us (%.2fx)%n", r.writeOneTable(), r.writeHotOnly(),
        r.writeHotOnly() / r.writeOneTable(), r.writeHotAndCold(), r.writeHotAndCold() / r.writeOneTable());
  }
}
