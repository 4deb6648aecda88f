package dev.headway.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headway.JobSnapshot;
import dev.headway.ProgressUpdate;
import dev.headway.TimelineEvent;
import dev.headway.merge.MergePolicy;
import dev.headway.store.JobQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What the JDBC store does beyond the core contract, on every database. */
class JdbcStoreBehaviourTest {
  private static final String PREFIX = "hwbeh_";

  private static JdbcProgressStore store(TestDatabases.Kind kind, MergePolicy policy) {
    DataSource ds = TestDatabases.dataSource(kind);
    TestDatabases.clear(ds, PREFIX);
    return JdbcProgressStore.builder().dataSource(ds).tablePrefix(PREFIX).policy(policy).build();
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void jsonRoundTripsUnicodeLargeNumbersAndNestedMetadataUnchanged(TestDatabases.Kind kind) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("filters", Map.of("since", "2025-01-01", "labels", List.of("bug", "größe", "日本語", "emoji 🚀")));
    metadata.put("deep", Map.of("a", Map.of("b", Map.of("c", Map.of("d", List.of(1L, 2.5, true))))));
    metadata.put("quote", "she said \"hi\"\\n\u0001");
    long big = (1L << 53) + 1; // a double cannot hold it
    try (JdbcProgressStore store = store(kind, MergePolicy.defaults())) {
      JobSnapshot written = store.apply(ProgressUpdate.builder("unicode-job").status("processing")
          .field("bytesSeen", big).field("ratio", 0.1).processedItems(Long.MAX_VALUE - 7)
          .items("commits", big).stage("données").metadata(metadata)
          .event("areas_discovered", Map.of("name", "Ωmega/πroject", "count", big)).build()).snapshot();
      JobSnapshot read;
      try (JdbcProgressStore fresh = JdbcProgressStore.builder().dataSource(TestDatabases.dataSource(kind))
          .tablePrefix(PREFIX).cacheSize(0).build()) {
        read = fresh.get("unicode-job");
      }
      assertThat(read).isEqualTo(written);
      assertThat(read.field("bytesSeen")).isEqualTo(big);
      assertThat(read.field("itemsByType.commits")).isEqualTo(big);
      assertThat(read.processedItems()).isEqualTo(Long.MAX_VALUE - 7);
      assertThat(read.field("metadata")).isEqualTo(metadata);
      assertThat(read.field("stage")).isEqualTo("données");
      assertThat(read.timeline().last().details()).containsEntry("count", big);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void anUpdateAddingOneEventInsertsOneRowAndOverflowOnlyDeletesWhatFellOut(TestDatabases.Kind kind) throws SQLException {
    MergePolicy policy = MergePolicy.defaults().toBuilder().timelineCap(10).build();
    try (JdbcProgressStore store = store(kind, policy)) {
      for (int i = 0; i < 9; i++) {
        store.apply(ProgressUpdate.builder("t").event("tick", Map.of("i", i)).build());
      }
      List<Long> seqsBefore = seqs(kind, "t");
      String firstTail = details(kind, "t", 1);
      store.apply(ProgressUpdate.builder("t").event("tick", Map.of("i", 9)).build());
      assertThat(seqs(kind, "t")).hasSize(10).startsWith(seqsBefore.toArray(new Long[0]));
      assertThat(details(kind, "t", 1)).isEqualTo(firstTail); // earlier rows are not rewritten
      for (int i = 10; i < 30; i++) {
        store.apply(ProgressUpdate.builder("t").event("tick", Map.of("i", i)).build());
      }
      // The first tenth (1 event) and the 9 newest are kept; 20 were dropped and counted.
      List<Long> expected = new ArrayList<>(List.of(0L));
      for (long s = 21; s < 30; s++) {
        expected.add(s);
      }
      assertThat(seqs(kind, "t")).isEqualTo(expected);
      JobSnapshot job = store.get("t");
      assertThat(job.timeline().size()).isEqualTo(10);
      assertThat(job.timeline().droppedByType()).containsEntry("tick", 20L);
      assertThat(job.timeline().events()).extracting(TimelineEvent::details)
          .extracting(d -> d.get("i")).containsExactly(0L, 21L, 22L, 23L, 24L, 25L, 26L, 27L, 28L, 29L);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void updatesAddingSeveralEventsPastTheCapKeepExactlyTheHeadAndTheNewestTail(TestDatabases.Kind kind)
      throws SQLException {
    MergePolicy policy = MergePolicy.defaults().toBuilder().timelineCap(10).build();
    try (JdbcProgressStore store = store(kind, policy)) {
      int n = 0;
      for (int update = 0; update < 12; update++) {
        ProgressUpdate.Builder b = ProgressUpdate.builder("many");
        for (int k = 0; k < 1 + update % 4; k++) { // 1 to 4 events an update (PostgreSQL writes these in one statement)
          b.event("tick", Map.of("i", n++));
        }
        store.apply(b.build());
      }
      JobSnapshot job = store.get("many");
      List<Long> kept = job.timeline().events().stream().map(e -> (Long) e.details().get("i")).toList();
      List<Long> expected = new ArrayList<>(List.of(0L));
      for (long i = n - 9; i < n; i++) {
        expected.add(i);
      }
      assertThat(kept).isEqualTo(expected);
      assertThat(seqs(kind, "many")).isEqualTo(expected); // seq n is the n-th event appended
      assertThat(job.timeline().droppedByType()).containsEntry("tick", (long) n - 10);
      try (JdbcProgressStore fresh = JdbcProgressStore.builder().dataSource(TestDatabases.dataSource(kind))
          .tablePrefix(PREFIX).policy(policy).cacheSize(0).build()) {
        assertThat(fresh.get("many")).isEqualTo(job);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void columnsChangedByACachedWriteAreWhatQueriesAndPurgeSee(TestDatabases.Kind kind) {
    try (JdbcProgressStore store = store(kind, MergePolicy.defaults())) {
      store.apply(ProgressUpdate.builder("cols").reporter("w1", 1).processedItems(1).build());
      store.apply(ProgressUpdate.builder("cols").reporter("w1", 2).processedItems(2).build()); // document only
      // From the cached state: the type arrives late (no event), then the status moves (an event).
      store.apply(ProgressUpdate.builder("cols").reporter("w1", 3).type("crawler").build());
      try (JdbcProgressStore reader = columnReader(kind)) {
        assertThat(reader.query(JobQuery.all().withType("crawler"))).extracting(JobSnapshot::jobId).containsExactly("cols");
      }
      store.apply(ProgressUpdate.builder("cols").reporter("w1", 4).status("completed").build());
    }
    try (JdbcProgressStore fresh = columnReader(kind)) {
      assertThat(fresh.query(JobQuery.all().withStatus(dev.headway.JobStatus.COMPLETED)))
          .extracting(JobSnapshot::jobId).containsExactly("cols");
      assertThat(fresh.query(JobQuery.all().withStatus(dev.headway.JobStatus.RUNNING))).isEmpty();
      assertThat(fresh.purgeFinishedBefore(java.time.Instant.now().plusSeconds(60))).isEqualTo(1); // finished_at was written
    }
  }

  private static JdbcProgressStore prefixed(DataSource ds, String prefix) {
    return JdbcProgressStore.builder().dataSource(ds).tablePrefix(prefix).build();
  }

  /** A second store that trusts no cache, so what it finds by query comes from the row's columns. */
  private static JdbcProgressStore columnReader(TestDatabases.Kind kind) {
    return JdbcProgressStore.builder().dataSource(TestDatabases.dataSource(kind)).tablePrefix(PREFIX).cacheSize(0).build();
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void anEventUpdateFromAStaleCacheIsWrittenOnceOnTheCurrentRow(TestDatabases.Kind kind) throws SQLException {
    try (JdbcProgressStore a = store(kind, MergePolicy.defaults());
         JdbcProgressStore b = JdbcProgressStore.builder().dataSource(TestDatabases.dataSource(kind))
             .tablePrefix(PREFIX).build()) {
      a.apply(ProgressUpdate.builder("ev").reporter("w1", 1).items("issues", 1).event("first", Map.of()).build());
      b.apply(ProgressUpdate.builder("ev").reporter("w2", 1).items("issues", 1).event("second", Map.of()).build());
      // a's cache is one version behind: its one-statement write must change nothing and go locked.
      a.apply(ProgressUpdate.builder("ev").reporter("w1", 2).items("issues", 1).event("third", Map.of()).build());

      JobSnapshot job = b.get("ev");
      assertThat(job.version()).isEqualTo(3);
      assertThat(job.field("itemsByType.issues")).isEqualTo(3L);
      assertThat(job.timeline().events()).extracting(TimelineEvent::type).containsExactly("first", "second", "third");
      assertThat(seqs(kind, "ev")).containsExactly(0L, 1L, 2L);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void tablesCarryTheConfiguredPrefixAndARecordedSchemaVersion(TestDatabases.Kind kind) throws SQLException {
    DataSource ds = TestDatabases.dataSource(kind);
    TestDatabases.drop(ds, "hwprefix_");
    try (JdbcProgressStore store = prefixed(ds, "hwprefix_")) {
      store.apply(ProgressUpdate.builder("p").build());
      assertThat(count(ds, "SELECT COUNT(*) FROM hwprefix_jobs")).isEqualTo(1);
      assertThat(count(ds, "SELECT MAX(version) FROM hwprefix_schema_version")).isEqualTo(Schema.CURRENT);
    }
    // Opening again finds the schema in place and migrates nothing twice.
    try (JdbcProgressStore again = prefixed(ds, "hwprefix_")) {
      assertThat(again.find("p")).isPresent();
      assertThat(count(ds, "SELECT COUNT(*) FROM hwprefix_schema_version")).isEqualTo(Schema.CURRENT);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void tablesOfSchemaVersionOneAreUpgradedWithTheirJobsKept(TestDatabases.Kind kind) throws SQLException {
    DataSource ds = TestDatabases.dataSource(kind);
    TestDatabases.drop(ds, "hwupg_");
    try (JdbcProgressStore store = prefixed(ds, "hwupg_")) {
      store.apply(ProgressUpdate.builder("old").processedItems(5).event("start", Map.of()).build());
    }
    execute(ds, "DELETE FROM hwupg_schema_version WHERE version > 1"); // as version 1 left them

    try (JdbcProgressStore store = prefixed(ds, "hwupg_")) {
      assertThat(count(ds, "SELECT MAX(version) FROM hwupg_schema_version")).isEqualTo(Schema.CURRENT);
      assertThat(store.get("old").processedItems()).isEqualTo(5);
      assertThat(store.get("old").timeline().events()).extracting(TimelineEvent::type).containsExactly("start");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void tablesOfANewerSchemaAreRefusedNotMisread(TestDatabases.Kind kind) throws SQLException {
    DataSource ds = TestDatabases.dataSource(kind);
    TestDatabases.drop(ds, "hwnew_");
    prefixed(ds, "hwnew_").close();
    execute(ds, "INSERT INTO hwnew_schema_version (version, description, applied_at) VALUES ("
        + (Schema.CURRENT + 1) + ", 'from the future', 0)");

    assertThatThrownBy(() -> prefixed(ds, "hwnew_"))
        .hasMessageContaining("schema version " + (Schema.CURRENT + 1))
        .hasMessageContaining("upgrade Headway");
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void aBatchOfOneJobWithManyEventsWritesEachOnceAndKeepsTheBoundedTimeline(TestDatabases.Kind kind) throws SQLException {
    MergePolicy policy = MergePolicy.defaults().toBuilder().timelineCap(10).build();
    try (JdbcProgressStore store = store(kind, policy); JdbcProgressStore other = columnReader(kind)) {
      store.apply(ProgressUpdate.builder("b").items("rows", 1).build()); // cached by store
      int n = 0;
      for (int batch = 0; batch < 3; batch++) {
        List<ProgressUpdate> updates = new ArrayList<>();
        for (int k = 0; k < 7; k++) { // more events than H2 writes with the row
          updates.add(ProgressUpdate.builder("b").items("rows", 1).event("tick", Map.of("i", n++)).build());
        }
        store.applyAll(updates);
        other.apply(ProgressUpdate.builder("b").items("rows", 1).build()); // store's cache is now stale
      }
      JobSnapshot job = other.get("b");
      assertThat(job.field("itemsByType.rows")).isEqualTo(1L + 3 * 7 + 3);
      List<Long> expected = new ArrayList<>(List.of(0L));
      for (long i = n - 9; i < n; i++) {
        expected.add(i);
      }
      assertThat(job.timeline().events()).extracting(e -> e.details().get("i")).containsExactlyElementsOf(expected);
      assertThat(seqs(kind, "b")).isEqualTo(expected); // a cap of 10 deletes at once
      assertThat(store.get("b")).isEqualTo(job);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void aSweepJudgesRunningJobsFromTheirRowsWithoutReadingTheirTimelines(TestDatabases.Kind kind) throws SQLException {
    DataSource ds = TestDatabases.dataSource(kind);
    TestDatabases.clear(ds, PREFIX);
    dev.headway.testing.TestClock clock = dev.headway.testing.TestClock.at("2026-01-01T00:00:00Z");
    try (JdbcProgressStore store = JdbcProgressStore.builder().dataSource(ds).tablePrefix(PREFIX).clock(clock).build();
         JdbcProgressStore sweeper = JdbcProgressStore.builder().dataSource(ds).tablePrefix(PREFIX).clock(clock)
             .cacheSize(0).build()) {
      store.start(ProgressUpdate.builder("dead").event("begin", Map.of()).build(),
          dev.headway.LeaseRequest.of("run-1", java.time.Duration.ofSeconds(5)));
      clock.advance(java.time.Duration.ofSeconds(6));
      store.start(ProgressUpdate.builder("live").event("begin", Map.of()).build(),
          dev.headway.LeaseRequest.of("run-2", java.time.Duration.ofSeconds(60)));
      // Were the sweep to read timelines, the live job's missing rows would fail it.
      execute(ds, "DELETE FROM " + PREFIX + "timeline WHERE job_id = 'live'");

      assertThat(sweeper.interruptStale(null)).extracting(JobSnapshot::jobId).containsExactly("dead");
      assertThat(sweeper.get("dead").status()).isEqualTo(dev.headway.JobStatus.INTERRUPTED);
      assertThat(sweeper.get("dead").timeline().events()).extracting(TimelineEvent::type)
          .containsSubsequence("begin", TimelineEvent.LEASE_EXPIRED);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void rowsOfDroppedEventsAreDeletedInRunsAndNeverRead(TestDatabases.Kind kind) throws SQLException {
    int cap = 50; // a run of 5: at most 4 rows of dropped events wait for their DELETE
    MergePolicy policy = MergePolicy.defaults().toBuilder().timelineCap(cap).build();
    try (JdbcProgressStore store = store(kind, policy); JdbcProgressStore reader = columnReader(kind)) {
      int n = 0;
      boolean sawWaitingRows = false;
      for (int update = 0; update < 80; update++) {
        ProgressUpdate.Builder b = ProgressUpdate.builder("runs");
        for (int k = 0; k < 1 + update % 4; k++) { // 1 to 4 events (PostgreSQL writes these with the row)
          b.event("tick", Map.of("i", n++));
        }
        JobSnapshot written = store.apply(b.build()).snapshot();

        List<Long> expected = new ArrayList<>();
        for (long i = 0; i < Math.min(n, cap / 10); i++) {
          expected.add(i);
        }
        for (long i = Math.max(cap / 10, n - (cap - cap / 10)); i < n; i++) {
          expected.add(i);
        }
        assertThat(reader.get("runs").timeline()).isEqualTo(written.timeline());
        assertThat(written.timeline().events()).extracting(e -> e.details().get("i")).containsExactlyElementsOf(expected);
        List<Long> rows = seqs(kind, "runs");
        assertThat(rows).containsAll(expected);
        assertThat(rows.size() - expected.size()).isBetween(0, 4);
        sawWaitingRows |= rows.size() > expected.size();
      }
      assertThat(sawWaitingRows).as("some rows of dropped events waited for their run").isTrue();
      assertThat(n - cap).isGreaterThan(100); // many runs passed
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void aStoreOfAnotherProcessSeesTheSameJobAndItsDedupeState(TestDatabases.Kind kind) {
    try (JdbcProgressStore a = store(kind, MergePolicy.defaults());
         JdbcProgressStore b = JdbcProgressStore.builder().dataSource(TestDatabases.dataSource(kind))
             .tablePrefix(PREFIX).build()) {
      ProgressUpdate u = ProgressUpdate.builder("shared").reporter("w1", 7).items("issues", 5).build();
      a.apply(u);
      assertThat(b.apply(u).outcome()).isEqualTo(dev.headway.Outcome.DUPLICATE);
      b.apply(ProgressUpdate.builder("shared").reporter("w1", 8).items("issues", 5).build());
      // a's cached copy is at version 1; the row is at 2, so a must read the row, not its cache.
      assertThat(a.apply(u).outcome()).isEqualTo(dev.headway.Outcome.DUPLICATE);
      a.apply(ProgressUpdate.builder("shared").reporter("w1", 9).items("issues", 5).build());
      assertThat(b.get("shared").field("itemsByType.issues")).isEqualTo(15L);
      assertThat(a.get("shared").version()).isEqualTo(3);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void aWriteFromAStaleCacheFallsBackToTheRowAndLosesNothing(TestDatabases.Kind kind) {
    try (JdbcProgressStore a = store(kind, MergePolicy.defaults());
         JdbcProgressStore b = JdbcProgressStore.builder().dataSource(TestDatabases.dataSource(kind))
             .tablePrefix(PREFIX).build()) {
      a.apply(ProgressUpdate.builder("busy").reporter("wa", 1).items("issues", 1).build()); // a caches v1
      b.apply(ProgressUpdate.builder("busy").reporter("wb", 1).items("issues", 10).build()); // row at v2
      // a's cached v1 is stale: its one-statement write must miss and redo on the row, with and
      // without a timeline event (the second takes a transaction of its own).
      a.apply(ProgressUpdate.builder("busy").reporter("wa", 2).items("issues", 100).build());
      b.apply(ProgressUpdate.builder("busy").reporter("wb", 2).items("issues", 1000).build());
      a.apply(ProgressUpdate.builder("busy").reporter("wa", 3).items("issues", 10000)
          .event("checkpoint", Map.of("at", 3)).build());
      JobSnapshot job = b.get("busy");
      assertThat(job.field("itemsByType.issues")).isEqualTo(11111L);
      assertThat(job.version()).isEqualTo(5);
      assertThat(a.get("busy")).isEqualTo(job);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void aJobPurgedAndCreatedAgainElsewhereIsNotMistakenForTheCachedOne(TestDatabases.Kind kind) {
    dev.headway.testing.TestClock clockA = dev.headway.testing.TestClock.at("2026-01-01T00:00:00Z");
    dev.headway.testing.TestClock clockB = dev.headway.testing.TestClock.at("2026-03-01T00:00:00Z");
    DataSource ds = TestDatabases.dataSource(kind);
    TestDatabases.clear(ds, PREFIX);
    try (JdbcProgressStore a = JdbcProgressStore.builder().dataSource(ds).tablePrefix(PREFIX).clock(clockA).build();
         JdbcProgressStore b = JdbcProgressStore.builder().dataSource(ds).tablePrefix(PREFIX).clock(clockB).build()) {
      a.apply(ProgressUpdate.builder("again").status("completed").items("issues", 7).build()); // a caches v1
      assertThat(b.purgeFinishedBefore(clockB.instant())).isEqualTo(1);
      b.apply(ProgressUpdate.builder("again").status("running").items("issues", 1).build()); // a new v1
      // Same id, same version: only the creation time tells the new job from a's cached old one.
      a.apply(ProgressUpdate.builder("again").items("issues", 1).build());
      JobSnapshot job = b.get("again");
      assertThat(job.field("itemsByType.issues")).isEqualTo(2L);
      assertThat(job.status()).isEqualTo(dev.headway.JobStatus.RUNNING);
      assertThat(job.version()).isEqualTo(2);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void purgeDeletesTheTimelineRowsOfEveryPurgedJob(TestDatabases.Kind kind) throws SQLException {
    dev.headway.testing.TestClock clock = dev.headway.testing.TestClock.at("2026-01-01T00:00:00Z");
    DataSource ds = TestDatabases.dataSource(kind);
    TestDatabases.clear(ds, PREFIX);
    try (JdbcProgressStore store = JdbcProgressStore.builder().dataSource(ds).tablePrefix(PREFIX).clock(clock).build()) {
      store.apply(ProgressUpdate.builder("batch").status("running").event("start", Map.of()).build());
      store.apply(ProgressUpdate.builder("child").parentId("batch").status("completed").event("done", Map.of()).build());
      store.apply(ProgressUpdate.builder("batch").status("completed").build());
      store.apply(ProgressUpdate.builder("live").status("running").build());
      clock.advance(java.time.Duration.ofDays(1));
      assertThat(seqs(kind, "batch")).isNotEmpty();

      assertThat(store.purgeFinishedBefore(clock.instant())).isEqualTo(2);

      assertThat(seqs(kind, "batch")).isEmpty();
      assertThat(seqs(kind, "child")).isEmpty();
      assertThat(seqs(kind, "live")).isNotEmpty();
    }
  }

  private static List<Long> seqs(TestDatabases.Kind kind, String job) throws SQLException {
    List<Long> out = new ArrayList<>();
    try (Connection c = TestDatabases.dataSource(kind).getConnection();
         PreparedStatement s = c.prepareStatement("SELECT seq FROM " + PREFIX + "timeline WHERE job_id = ? ORDER BY seq")) {
      s.setString(1, job);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
    }
    return out;
  }

  private static String details(TestDatabases.Kind kind, String job, long seq) throws SQLException {
    try (Connection c = TestDatabases.dataSource(kind).getConnection();
         PreparedStatement s = c.prepareStatement("SELECT details FROM " + PREFIX + "timeline WHERE job_id = ? AND seq = ?")) {
      s.setString(1, job);
      s.setLong(2, seq);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static void execute(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
      s.executeUpdate();
    }
  }

  private static long count(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
