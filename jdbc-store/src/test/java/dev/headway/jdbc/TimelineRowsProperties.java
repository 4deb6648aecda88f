package dev.headway.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headway.ProgressUpdate;
import dev.headway.Timeline;
import dev.headway.TimelineEvent;
import dev.headway.merge.MergePolicy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The timeline table on H2, for any sizes of event reports and any cap, also one changed halfway
 * (a store reopened with another policy): the writer and a reader without a cache find exactly the
 * events {@link Timeline#append} keeps, and the rows of dropped events waiting for their DELETE
 * stay bounded by the runs.
 */
class TimelineRowsProperties {
  private static final String PREFIX = "hwrows_";

  @Provide
  Arbitrary<List<Integer>> eventsPerUpdate() {
    return Arbitraries.integers().between(0, 6).list().ofMinSize(1).ofMaxSize(60);
  }

  @Property(tries = 40)
  void readersSeeExactlyTheKeptEventsAndWaitingRowsStayBounded(
      @ForAll("eventsPerUpdate") List<Integer> first, @ForAll @IntRange(min = 10, max = 120) int cap,
      @ForAll("eventsPerUpdate") List<Integer> then, @ForAll @IntRange(min = 10, max = 120) int capThen)
      throws SQLException {
    DataSource ds = TestDatabases.dataSource(TestDatabases.Kind.H2);
    TestDatabases.clear(ds, PREFIX);
    Timeline model = Timeline.EMPTY;
    int[] n = {0};
    try (JdbcProgressStore store = store(ds, cap); JdbcProgressStore reader = reader(ds)) {
      for (int events : first) {
        model = apply(store, reader, model, cap, events, n);
        assertThat(waitingRows(ds, model)).isLessThanOrEqualTo(run(cap) - 1);
      }
    }
    try (JdbcProgressStore store = store(ds, capThen); JdbcProgressStore reader = reader(ds)) {
      for (int events : then) {
        model = apply(store, reader, model, capThen, events, n);
        assertThat(waitingRows(ds, model)).isLessThanOrEqualTo(run(cap) + run(capThen) - 2);
      }
    }
  }

  /** Reports {@code events} events (numbered on from n) and checks both stores against the model. */
  private static Timeline apply(JdbcProgressStore store, JdbcProgressStore reader, Timeline model, int cap,
      int events, int[] n) {
    ProgressUpdate.Builder b = ProgressUpdate.builder("job").processedItems(n[0]);
    List<TimelineEvent> added = new ArrayList<>();
    for (int k = 0; k < events; k++) {
      String type = k % 2 == 0 ? "page" : "error";
      b.event(type, Map.of("i", (long) n[0]));
      added.add(new TimelineEvent(Instant.EPOCH, type, Map.of("i", (long) n[0]++)));
    }
    Timeline expected = model.append(added, cap);
    assertThat(kept(store.apply(b.build()).snapshot().timeline())).isEqualTo(kept(expected));
    assertThat(kept(reader.get("job").timeline())).isEqualTo(kept(expected));
    return expected;
  }

  /** What a timeline keeps, times aside: each event's type and number, the head, the dropped counts. */
  private static List<Object> kept(Timeline t) {
    List<Object> out = new ArrayList<>();
    for (TimelineEvent e : t.events()) {
      out.add(e.type() + "#" + e.details().get("i"));
    }
    out.add("head " + t.headCount());
    out.add(t.droppedByType());
    return out;
  }

  /** Rows in the table that are not kept events: those of dropped events awaiting their DELETE. */
  private static long waitingRows(DataSource ds, Timeline kept) throws SQLException {
    try (Connection c = ds.getConnection();
         PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM " + PREFIX + "timeline WHERE job_id = ?")) {
      s.setString(1, "job");
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1) - kept.size();
      }
    }
  }

  private static long run(int cap) {
    return Math.max(1, Math.min(JobTable.MAX_DELETE_RUN, cap / 10));
  }

  private static MergePolicy policy(int cap) {
    return MergePolicy.defaults().toBuilder().timelineCap(cap).build();
  }

  private static JdbcProgressStore store(DataSource ds, int cap) {
    return JdbcProgressStore.builder().dataSource(ds).tablePrefix(PREFIX).policy(policy(cap)).build();
  }

  private static JdbcProgressStore reader(DataSource ds) {
    return JdbcProgressStore.builder().dataSource(ds).tablePrefix(PREFIX).cacheSize(0).build();
  }
}
