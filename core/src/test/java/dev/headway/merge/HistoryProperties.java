package dev.headway.merge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.Outcome;
import dev.headway.ProgressUpdate;
import dev.headway.TimelineEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties over whole generated update histories: several reporters, each sending a numbered
 * stream of updates, delivered in any order with any number of retries (all within the dedupe
 * window). Applying such a delivery must give the job the same state as applying the history once,
 * in order.
 */
class HistoryProperties {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Set<String> AUTO_EVENTS = Set.of(TimelineEvent.STATUS_CHANGE,
      TimelineEvent.STAGE_CHANGE, TimelineEvent.ERROR, TimelineEvent.STATUS_IGNORED);
  private static final List<String> STAGES = List.of("discovery", "branch_crawling", "data_collection", "finalization");

  /** What one update of the history reports. */
  record Spec(int groups, int issues, int commits, long processed, boolean event, String error, int stage) {}

  @Provide
  Arbitrary<Spec> spec() {
    return Combinators.combine(
        Arbitraries.integers().between(0, 5),
        Arbitraries.integers().between(0, 50),
        Arbitraries.integers().between(0, 20),
        Arbitraries.longs().between(0, 10_000),
        Arbitraries.of(true, false, false, false),
        Arbitraries.of("RATE_LIMIT", "NETWORK", null, null, null, null),
        Arbitraries.integers().between(0, STAGES.size() - 1)).as(Spec::new);
  }

  private static ProgressUpdate toUpdate(String reporter, int seq, Spec s, boolean last, String finalStatus) {
    ProgressUpdate.Builder b = ProgressUpdate.builder("crawl-42").type("crawler").reporter(reporter, seq)
        .processedItems(s.processed())
        .items("groups", s.groups()).items("issues", s.issues()).items("commits", s.commits());
    if (reporter.equals("w1")) {
      // One reporter owns the LAST fields and the status, as a crawler's coordinator would.
      b.stage(STAGES.get(s.stage())).lastProcessedId("issue-" + seq);
      b.status(last && finalStatus != null ? finalStatus : seq == 0 ? "started" : "processing");
    } else if (seq % 3 == 0) {
      b.updateId(reporter + "-u" + seq); // both keys on some updates
    }
    if (s.event()) {
      b.event("areas_discovered", Map.of("by", reporter, "seq", seq));
    }
    if (s.error() != null) {
      b.error(s.error(), "upstream said no at " + seq);
    }
    return b.build();
  }

  private static List<ProgressUpdate> inOrder(List<List<Spec>> perReporter, String finalStatus) {
    List<ProgressUpdate> out = new ArrayList<>();
    int longest = perReporter.stream().mapToInt(List::size).max().orElse(0);
    for (int seq = 0; seq < longest; seq++) {
      for (int r = 0; r < perReporter.size(); r++) {
        List<Spec> specs = perReporter.get(r);
        if (seq < specs.size()) {
          out.add(toUpdate("w" + (r + 1), seq, specs.get(seq), seq == specs.size() - 1, finalStatus));
        }
      }
    }
    return out;
  }

  private static JobState applyAll(ProgressEngine engine, List<ProgressUpdate> updates) {
    JobState state = null;
    Instant now = T0;
    for (ProgressUpdate u : updates) {
      state = engine.apply(state, u, now).state();
      now = now.plus(Duration.ofMillis(250));
    }
    return state;
  }

  @Property(tries = 300)
  void anyDeliveryWithRetriesAndReorderingGivesTheSameJobAsApplyingOnceInOrder(
      @ForAll @Size(min = 1, max = 3) List<@Size(min = 1, max = 30) List<@From("spec") Spec>> perReporter,
      @ForAll("finalStatus") String finalStatus,
      @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 10_000) Integer> retries,
      @ForAll Random random) {
    ProgressEngine engine = new ProgressEngine(MergePolicy.defaults());
    List<ProgressUpdate> history = inOrder(perReporter, finalStatus.isEmpty() ? null : finalStatus);
    List<ProgressUpdate> delivery = new ArrayList<>(history);
    for (int r : retries) {
      delivery.add(history.get(r % history.size()));
    }
    Collections.shuffle(delivery, random);

    JobSnapshot once = applyAll(engine, history).snapshot();
    JobSnapshot delivered = applyAll(engine, delivery).snapshot();

    assertThat(delivered.progress()).isEqualTo(once.progress());
    assertThat(delivered.status()).isEqualTo(once.status());
    assertThat(delivered.errors().countsByCategory()).isEqualTo(once.errors().countsByCategory());
    assertThat(reporterEvents(delivered)).isEqualTo(reporterEvents(once));
    assertThat(delivered.version()).isEqualTo(history.size());
  }

  @Provide
  Arbitrary<String> finalStatus() {
    return Arbitraries.of("", "completed", "failed", "paused");
  }

  @Property(tries = 300)
  void sumFieldsEqualTheSumOverDistinctUpdatesAndMaxFieldsTheLargest(
      @ForAll @Size(min = 1, max = 3) List<@Size(min = 1, max = 30) List<@From("spec") Spec>> perReporter,
      @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 10_000) Integer> retries,
      @ForAll Random random) {
    ProgressEngine engine = new ProgressEngine(MergePolicy.defaults());
    List<ProgressUpdate> history = inOrder(perReporter, null);
    List<ProgressUpdate> delivery = new ArrayList<>(history);
    for (int r : retries) {
      delivery.add(history.get(r % history.size()));
    }
    Collections.shuffle(delivery, random);

    JobState state = null;
    long previousProcessed = 0;
    Map<String, Long> previousCounts = new HashMap<>();
    for (ProgressUpdate u : delivery) {
      state = engine.apply(state, u, T0).state();
      JobSnapshot s = state.snapshot();
      assertThat(s.processedItems()).isGreaterThanOrEqualTo(previousProcessed);
      previousProcessed = s.processedItems();
      for (String type : List.of("groups", "issues", "commits")) {
        long now = ((Number) s.field("itemsByType." + type)).longValue();
        assertThat(now).isGreaterThanOrEqualTo(previousCounts.getOrDefault(type, 0L));
        previousCounts.put(type, now);
      }
    }
    long groups = 0;
    long issues = 0;
    long commits = 0;
    long maxProcessed = 0;
    for (List<Spec> specs : perReporter) {
      for (Spec s : specs) {
        groups += s.groups();
        issues += s.issues();
        commits += s.commits();
        maxProcessed = Math.max(maxProcessed, s.processed());
      }
    }
    JobSnapshot last = state.snapshot();
    assertThat(last.field("itemsByType.groups")).isEqualTo(groups);
    assertThat(last.field("itemsByType.issues")).isEqualTo(issues);
    assertThat(last.field("itemsByType.commits")).isEqualTo(commits);
    assertThat(last.processedItems()).isEqualTo(maxProcessed);
  }

  @Property(tries = 500)
  void aTerminalStatusNeverRegresses(
      @ForAll @Size(min = 1, max = 60) List<Map.@From("statusReport") Entry<Integer, String>> reports) {
    ProgressEngine engine = new ProgressEngine(MergePolicy.defaults());
    JobState state = null;
    JobStatus terminal = null;
    int seq = 0;
    for (Map.Entry<Integer, String> r : reports) {
      ProgressUpdate.Builder b = ProgressUpdate.builder("j").status(r.getValue());
      if (r.getKey() > 0) {
        b.reporter("w" + r.getKey(), seq++);
      }
      state = engine.apply(state, b.build(), T0).state();
      JobStatus now = state.snapshot().status();
      if (terminal != null) {
        assertThat(now).isEqualTo(terminal);
      } else if (now.isTerminal()) {
        terminal = now;
        assertThat(state.snapshot().finishedAt()).isNotNull();
      }
    }
  }

  @Provide
  Arbitrary<Map.Entry<Integer, String>> statusReport() {
    return Combinators.combine(Arbitraries.integers().between(0, 3),
        Arbitraries.of("pending", "started", "processing", "in_progress", "paused", "completed",
            "failed", "cancelled", "skipped", "interrupted")).as(Map::entry);
  }

  @Property(tries = 200)
  void theTimelineNeverExceedsItsCap(
      @ForAll @IntRange(min = 10, max = 40) int cap,
      @ForAll @Size(min = 1, max = 120) List<@IntRange(min = 0, max = 3) Integer> eventsPerUpdate) {
    ProgressEngine engine = new ProgressEngine(MergePolicy.defaults().toBuilder().timelineCap(cap).build());
    JobState state = null;
    long appended = 0;
    int i = 0;
    for (int n : eventsPerUpdate) {
      ProgressUpdate.Builder b = ProgressUpdate.builder("j").stage("s" + (i++ % 3));
      for (int k = 0; k < n; k++) {
        b.event("tick", Map.of("k", k));
      }
      Step step = engine.apply(state, b.build(), T0);
      appended += step.result().newEvents().size();
      state = step.state();
      assertThat(state.snapshot().timeline().size()).isLessThanOrEqualTo(cap);
    }
    // Every event is either kept or counted as dropped.
    long kept = state.snapshot().timeline().size();
    assertThat(kept + state.snapshot().timeline().dropped()).isEqualTo(appended);
  }

  @Property(tries = 200)
  void theDedupeStateStaysBounded(
      @ForAll @Size(min = 1, max = 300) List<@IntRange(min = 0, max = 500) Integer> reporters) {
    MergePolicy policy = MergePolicy.defaults().toBuilder().maxReporters(8).recentUpdateIds(16).build();
    ProgressEngine engine = new ProgressEngine(policy);
    JobState state = null;
    int seq = 0;
    for (int r : reporters) {
      ProgressUpdate u = ProgressUpdate.builder("j").updateId("u" + seq).reporter("r" + r, seq++)
          .items("x", 1).build();
      dev.headway.merge.Step step = engine.apply(state, u, T0);
      assertThat(step.result().outcome()).isEqualTo(Outcome.APPLIED);
      state = step.state();
      assertThat(state.dedupe().reporters().size()).isLessThanOrEqualTo(8);
      assertThat(state.dedupe().recentUpdateIds().size()).isLessThanOrEqualTo(16);
    }
  }

  private static Map<String, Long> reporterEvents(JobSnapshot s) {
    Map<String, Long> counts = new HashMap<>();
    for (TimelineEvent e : s.timeline().events()) {
      if (!AUTO_EVENTS.contains(e.type())) {
        counts.merge(e.type() + e.details(), 1L, Long::sum);
      }
    }
    return counts;
  }
}
