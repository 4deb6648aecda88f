package dev.headway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headway.merge.MergePolicy;
import dev.headway.store.ProgressStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimelineTest {
  private static final Instant T0 = Instant.parse("2025-01-06T10:00:00Z");

  static TimelineEvent event(int i, String type) {
    return TimelineEvent.of(T0.plusSeconds(i), type, Map.of("i", i));
  }

  /** Appends events 0..n-1 one at a time, typed a/b/c in turn. */
  static Timeline appendOneByOne(int n, int cap) {
    Timeline t = Timeline.EMPTY;
    for (int i = 0; i < n; i++) {
      t = t.append(List.of(event(i, "t" + (i % 3))), cap);
    }
    return t;
  }

  private static List<Object> indexes(Timeline t) {
    return t.events().stream().map(e -> e.details().get("i")).toList();
  }

  @Test
  void timelineUnderTheCapKeepsEverythingInOrder() {
    Timeline t = appendOneByOne(50, 100);

    assertThat(t.size()).isEqualTo(50);
    assertThat(indexes(t)).isEqualTo(range(0, 50));
    assertThat(t.dropped()).isZero();
    assertThat(t.droppedByType()).isEmpty();
  }

  @Test
  void overflowKeepsTheFirstTenthAndTheNewest() {
    Timeline t = appendOneByOne(250, 100);

    assertThat(t.size()).isEqualTo(100);
    assertThat(t.headCount()).isEqualTo(10);
    List<Object> expected = new ArrayList<>(range(0, 10));
    expected.addAll(range(160, 250));
    assertThat(indexes(t)).isEqualTo(expected);
    assertThat(t.last().details()).containsEntry("i", 249L);
  }

  @Test
  void overflowCountsDroppedEventsPerType() {
    Timeline t = appendOneByOne(250, 100);

    // Dropped are events 10..159: 150 events, 50 of each of t0, t1, t2.
    assertThat(t.dropped()).isEqualTo(150);
    assertThat(t.droppedByType()).containsOnly(
        Map.entry("t0", 50L), Map.entry("t1", 50L), Map.entry("t2", 50L));
  }

  @Test
  void oneHugeAppendIsBoundedLikeManySmallOnes() {
    List<TimelineEvent> all = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      all.add(event(i, "t" + (i % 3)));
    }

    Timeline big = Timeline.EMPTY.append(all, 100);

    assertThat(big).isEqualTo(appendOneByOne(250, 100));
  }

  @Test
  void defaultCapIsAThousand() {
    Timeline t = appendOneByOne(1500, MergePolicy.DEFAULT_TIMELINE_CAP);

    assertThat(MergePolicy.defaults().timelineCap()).isEqualTo(1000);
    assertThat(MergePolicy.defaults().timelineCap()).isEqualTo(1000);
    assertThat(t.size()).isEqualTo(1000);
    assertThat(t.headCount()).isEqualTo(100);
    assertThat(t.dropped()).isEqualTo(500);
  }

  @Test
  void smallCapKeepsNoHead() {
    Timeline t = appendOneByOne(20, 5);

    assertThat(t.headCount()).isZero();
    assertThat(indexes(t)).isEqualTo(range(15, 20));
  }

  @Test
  void capBelowOneIsRefused() {
    assertThatThrownBy(() -> Timeline.EMPTY.append(List.of(event(0, "x")), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void loweringTheCapTrimsTheHeadAndCountsWhatItDrops() {
    Timeline t = appendOneByOne(300, 100);

    Timeline lowered = t.append(List.of(event(300, "t0")), 20);

    assertThat(lowered.size()).isEqualTo(20);
    assertThat(lowered.headCount()).isEqualTo(2);
    assertThat(indexes(lowered).subList(0, 2)).isEqualTo(range(0, 2));
    assertThat(indexes(lowered).subList(2, 20)).isEqualTo(range(283, 301));
    assertThat(lowered.dropped()).isEqualTo(301 - 20);
  }

  @Test
  void storeKeepsAJobsTimelineWithinThePolicyCap() {
    ProgressStore store = ProgressStore.inMemory(MergePolicy.defaults().toBuilder().timelineCap(50).build(),
        Clock.fixed(T0, ZoneOffset.UTC));
    store.apply(ProgressUpdate.builder("j").status("processing").build());
    for (int i = 0; i < 200; i++) {
      store.apply(ProgressUpdate.builder("j").event("page", Map.of("page", i)).build());
    }

    Timeline t = store.get("j").timeline();

    assertThat(t.size()).isEqualTo(50);
    assertThat(t.events().get(0).type()).isEqualTo(TimelineEvent.STATUS_CHANGE);
    assertThat(t.last().details()).containsEntry("page", 199L);
    assertThat(t.droppedByType()).containsOnly(Map.entry("page", 151L));
  }

  private static List<Object> range(int from, int to) {
    List<Object> out = new ArrayList<>();
    for (long i = from; i < to; i++) {
      out.add(i);
    }
    return out;
  }
}
