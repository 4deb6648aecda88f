package dev.headway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headway.ApplyResult;
import dev.headway.IllegalTransitionException;
import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.Outcome;
import dev.headway.ProgressUpdate;
import dev.headway.testing.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.Transformer;

/**
 * A stateful model of a store for jqwik action chains: random sends, retries, status changes,
 * resumes and purges, checked after every step against what a user is promised.
 */
final class StoreModelChain {
  static final List<String> JOBS = List.of("a", "b", "c");
  static final List<String> REPORTERS = List.of("w1", "w2");

  final ProgressStore store;
  final TestClock clock;
  final Map<String, Expected> jobs = new HashMap<>();
  final Map<String, Long> nextSeq = new HashMap<>();
  final List<ProgressUpdate> sent = new ArrayList<>();

  /** What the model expects of one job. */
  static final class Expected {
    long issues;
    long processed;
    /** Counters at the last checkpoint: where a resume puts them back. */
    long checkpointIssues;
    long checkpointProcessed;
    long version;
    int attempt = 1;
    JobStatus status = JobStatus.QUEUED;
  }

  StoreModelChain(ProgressStore store, TestClock clock) {
    this.store = store;
    this.clock = clock;
  }

  void checkInvariants() {
    for (Map.Entry<String, Expected> e : jobs.entrySet()) {
      JobSnapshot s = store.get(e.getKey());
      Expected x = e.getValue();
      Object issues = s.field("itemsByType.issues");
      assertThat(issues == null ? 0L : issues).as("issues of %s", e.getKey()).isEqualTo(x.issues);
      assertThat(s.processedItems()).as("processed of %s", e.getKey()).isEqualTo(x.processed);
      assertThat(s.version()).as("version of %s", e.getKey()).isEqualTo(x.version);
      assertThat(s.status()).as("status of %s", e.getKey()).isEqualTo(x.status);
      assertThat(s.attempt()).as("attempt of %s", e.getKey()).isEqualTo(x.attempt);
    }
    assertThat(store.query(JobQuery.all()).size()).isEqualTo(jobs.size());
  }

  static List<Action<StoreModelChain>> actions() {
    return List.of(new Send(false), new Send(true), new Retry(), new Finish(), new Interrupt(), new Resume(),
        new Purge());
  }

  /** A new update with the next seq of a reporter, with or without a checkpoint. */
  static final class Send implements Action.Independent<StoreModelChain> {
    private final boolean checkpoint;

    Send(boolean checkpoint) {
      this.checkpoint = checkpoint;
    }

    @Override
    public Arbitrary<Transformer<StoreModelChain>> transformer() {
      return Combinators.combine(Arbitraries.of(JOBS), Arbitraries.of(REPORTERS),
              Arbitraries.longs().between(0, 9), Arbitraries.longs().between(0, 100))
          .as((job, reporter, amount, processed) -> Transformer.mutate(
              "send " + job + "/" + reporter + " +" + amount + " processed=" + processed
                  + (checkpoint ? " checkpoint" : ""), m -> {
                long seq = m.nextSeq.merge(job + "/" + reporter, 1L, Long::sum);
                ProgressUpdate.Builder b = ProgressUpdate.builder(job).reporter(reporter, seq).status("processing")
                    .items("issues", amount).processedItems(processed);
                if (checkpoint) {
                  b.checkpoint(Map.of("after", reporter + "-" + seq));
                }
                ProgressUpdate u = b.build();
                m.clock.advance(Duration.ofMillis(10));
                ApplyResult r = m.store.apply(u);
                assertThat(r.outcome()).isEqualTo(Outcome.APPLIED);
                Expected x = m.jobs.computeIfAbsent(job, k -> new Expected());
                x.issues += amount;
                x.processed = Math.max(x.processed, processed);
                x.version++;
                if (checkpoint && (!x.status.isTerminal() || x.status.isResumable())) {
                  x.checkpointIssues = x.issues;
                  x.checkpointProcessed = x.processed;
                }
                if (x.status == JobStatus.QUEUED) {
                  x.status = JobStatus.RUNNING;
                }
                m.sent.add(u);
              }));
    }
  }

  /** A redelivery of something already sent: never counted again. */
  static final class Retry implements Action.Dependent<StoreModelChain> {
    @Override
    public boolean precondition(StoreModelChain m) {
      return !m.sent.isEmpty();
    }

    @Override
    public Arbitrary<Transformer<StoreModelChain>> transformer(StoreModelChain m) {
      return Arbitraries.integers().between(0, m.sent.size() - 1).map(i -> Transformer.mutate("retry #" + i, s -> {
        ProgressUpdate u = s.sent.get(Math.min(i, s.sent.size() - 1));
        assertThat(s.store.apply(u).outcome()).isEqualTo(Outcome.DUPLICATE);
      }));
    }
  }

  /** The job's worker reports it completed. */
  static final class Finish implements Action.Independent<StoreModelChain> {
    @Override
    public Arbitrary<Transformer<StoreModelChain>> transformer() {
      return Arbitraries.of(JOBS).map(job -> Transformer.mutate("finish " + job, m -> {
        if (!m.jobs.containsKey(job)) {
          return;
        }
        long seq = m.nextSeq.merge(job + "/w1", 1L, Long::sum);
        m.store.apply(ProgressUpdate.builder(job).reporter("w1", seq).status("completed").build());
        Expected x = m.jobs.get(job);
        x.version++; // a change either way: a status change, or a status_ignored event
        if (!x.status.isTerminal()) {
          x.status = JobStatus.COMPLETED;
        }
      }));
    }
  }

  /** An operator (or a sweeper) marks the job interrupted. */
  static final class Interrupt implements Action.Independent<StoreModelChain> {
    @Override
    public Arbitrary<Transformer<StoreModelChain>> transformer() {
      return Arbitraries.of(JOBS).map(job -> Transformer.mutate("interrupt " + job, m -> {
        Expected x = m.jobs.get(job);
        if (x == null) {
          return;
        }
        if (x.status == JobStatus.INTERRUPTED) {
          assertThat(m.store.transition(job, JobStatus.INTERRUPTED, "again").version()).isEqualTo(x.version);
        } else if (x.status.isTerminal()) {
          assertThatThrownBy(() -> m.store.transition(job, JobStatus.INTERRUPTED, "crash"))
              .isInstanceOf(IllegalTransitionException.class);
        } else {
          m.store.transition(job, JobStatus.INTERRUPTED, "crash");
          x.status = JobStatus.INTERRUPTED;
          x.version++;
        }
      }));
    }
  }

  /** Resume: a new attempt from INTERRUPTED or FAILED, nothing from anywhere else but PAUSED. */
  static final class Resume implements Action.Independent<StoreModelChain> {
    @Override
    public Arbitrary<Transformer<StoreModelChain>> transformer() {
      return Arbitraries.of(JOBS).map(job -> Transformer.mutate("resume " + job, m -> {
        Expected x = m.jobs.get(job);
        if (x == null) {
          return;
        }
        if (x.status == JobStatus.INTERRUPTED || x.status == JobStatus.FAILED) {
          assertThat(m.store.resume(job).job().status()).isEqualTo(JobStatus.RUNNING);
          // Counts after the checkpoint are undone: the resumed run reports those items again.
          x.issues = x.checkpointIssues;
          x.processed = x.checkpointProcessed;
          x.status = JobStatus.RUNNING;
          x.attempt++;
          x.version++;
        } else {
          assertThatThrownBy(() -> m.store.resume(job)).isInstanceOf(IllegalTransitionException.class);
        }
      }));
    }
  }

  /** Purge everything finished by now: finished jobs go, live ones stay. */
  static final class Purge implements Action.Independent<StoreModelChain> {
    @Override
    public Arbitrary<Transformer<StoreModelChain>> transformer() {
      return Arbitraries.just(Transformer.mutate("purge finished", m -> {
        m.clock.advance(Duration.ofMillis(10));
        int expected = (int) m.jobs.values().stream().filter(x -> x.status.isTerminal()).count();
        assertThat(m.store.purgeFinishedBefore(m.clock.instant())).isEqualTo(expected);
        m.jobs.entrySet().removeIf(e -> e.getValue().status.isTerminal());
        // A purged job forgets its dedupe state; the model forgets what it sent to it too.
        m.sent.removeIf(u -> !m.jobs.containsKey(u.jobId()));
      }));
    }
  }
}
