package dev.headway.report;

import static dev.headway.report.TestSinks.number;
import static org.assertj.core.api.Assertions.assertThat;

import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.TimelineEvent;
import dev.headway.report.TestSinks.Step;
import dev.headway.store.ProgressStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Exactly once and bounded, whatever the sink does. */
class ProgressReporterProperties {
  private static final String[] TYPES = {"a", "b", "c"};

  /** One call a worker makes: a count of a type (or untyped when type is -1), or a checkpoint. */
  record Call(int type, int n, boolean checkpoint) {}

  @Provide
  Arbitrary<List<Call>> calls() {
    Arbitrary<Call> call = Combinators.combine(
        Arbitraries.integers().between(-1, 2), Arbitraries.integers().between(0, 50),
        Arbitraries.integers().between(0, 9).map(i -> i == 0)).as(Call::new);
    return call.list().ofMinSize(1).ofMaxSize(300);
  }

  @Provide
  Arbitrary<List<Step>> script() {
    return Arbitraries.of(Step.class).list().ofMaxSize(60);
  }

  @Property(tries = 60)
  void anyInterleavingOfSinkFailuresGivesExactTotals(
      @ForAll("calls") List<Call> calls,
      @ForAll("script") List<Step> script,
      @ForAll @IntRange(min = 1, max = 40) int flushItems) throws Exception {
    ProgressStore store = ProgressStore.inMemory();
    TestSinks.Scripted sink = new TestSinks.Scripted(store, script);
    long[] expected = new long[3];
    long processed = 0;
    try (ProgressReporter r = ProgressReporter.builder(sink, "job").flushEvery(flushItems, Duration.ofMillis(1))
        .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(2)).closeTimeout(Duration.ofSeconds(30)).build()) {
      for (Call c : calls) {
        if (c.checkpoint()) {
          r.checkpoint(processed);
        } else if (c.type() < 0) {
          r.processed(c.n());
        } else {
          r.add(TYPES[c.type()], c.n());
          expected[c.type()] += c.n();
        }
        processed += c.checkpoint() ? 0 : c.n();
      }
      r.complete();
    }
    JobSnapshot job = store.get("job");
    assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(job.processedItems()).isEqualTo(processed);
    for (int k = 0; k < 3; k++) {
      assertThat(number(job, "itemsByType." + TYPES[k])).as(TYPES[k]).isEqualTo(expected[k]);
    }
    // Every failure was retried with the very same update: no seq was skipped or reused.
    List<Long> seqs = new ArrayList<>();
    for (var u : sink.seen()) {
      if (seqs.isEmpty() || !seqs.get(seqs.size() - 1).equals(u.seq())) {
        seqs.add(u.seq());
      }
    }
    for (int i = 1; i < seqs.size(); i++) {
      assertThat(seqs.get(i)).isEqualTo(seqs.get(i - 1) + 1);
    }
  }

  @Property(tries = 40)
  void bufferedEventsNeverExceedTheBoundAndEveryEventIsDeliveredOrCountedAsDropped(
      @ForAll @IntRange(min = 1, max = 40) int bound,
      @ForAll @IntRange(min = 0, max = 250) int events,
      @ForAll @Size(max = 20) List<Step> script) throws Exception {
    ProgressStore store = ProgressStore.inMemory();
    TestSinks.Scripted sink = new TestSinks.Scripted(store, script);
    long dropped;
    try (ProgressReporter r = ProgressReporter.builder(sink, "ev").maxBufferedEvents(bound)
        .flushEvery(10, Duration.ofMillis(1)).retryBackoff(Duration.ofMillis(1), Duration.ofMillis(2))
        .closeTimeout(Duration.ofSeconds(30)).build()) {
      for (int i = 0; i < events; i++) {
        r.event("e", java.util.Map.of("i", i));
        assertThat(r.bufferedEvents()).isLessThanOrEqualTo(bound);
      }
      r.complete();
      assertThat(r.flush(Duration.ofSeconds(30))).isTrue();
      dropped = r.droppedEvents();
    }
    List<Long> delivered = new ArrayList<>();
    long reportedDropped = 0;
    for (TimelineEvent e : store.get("ev").timeline().events()) {
      if (e.type().equals("e")) {
        delivered.add((Long) e.details().get("i"));
      } else if (e.type().equals(ProgressReporter.EVENTS_DROPPED)) {
        reportedDropped += (Long) e.details().get("count");
      }
    }
    assertThat(delivered.size() + reportedDropped).isEqualTo(events);
    assertThat(reportedDropped).isEqualTo(dropped);
    assertThat(delivered).isSorted().doesNotHaveDuplicates();
  }
}
