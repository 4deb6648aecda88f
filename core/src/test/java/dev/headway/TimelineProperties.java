package dev.headway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The timeline's bound, for any sequence of appends of any sizes and types. */
class TimelineProperties {
  private static final Instant T0 = Instant.parse("2025-01-06T10:00:00Z");

  @Provide
  Arbitrary<List<List<String>>> batches() {
    Arbitrary<String> type = Arbitraries.of("page", "stage_change", "error", "checkpoint");
    return type.list().ofMaxSize(60).list().ofMaxSize(40);
  }

  @Provide
  Arbitrary<List<List<String>>> nonEmptyBatches() {
    Arbitrary<String> type = Arbitraries.of("page", "stage_change", "error", "checkpoint");
    return type.list().ofMinSize(1).ofMaxSize(60).list().ofMaxSize(40);
  }

  @Property
  void neverHoldsMoreThanTheCap(@ForAll("batches") List<List<String>> batches, @ForAll @IntRange(min = 1, max = 200) int cap) {
    Timeline t = Timeline.EMPTY;
    int n = 0;
    for (List<String> batch : batches) {
      List<TimelineEvent> added = events(n, batch);
      n += added.size();
      t = t.append(added, cap);
      assertThat(t.size()).isLessThanOrEqualTo(cap);
      assertThat(t.events()).hasSize(t.size());
    }
  }

  @Property
  void keepsTheFirstTenthAndTheNewest(@ForAll("batches") List<List<String>> batches,
      @ForAll @IntRange(min = 1, max = 200) int cap) {
    List<TimelineEvent> all = new ArrayList<>();
    Timeline t = Timeline.EMPTY;
    for (List<String> batch : batches) {
      List<TimelineEvent> added = events(all.size(), batch);
      all.addAll(added);
      t = t.append(added, cap);
    }

    List<TimelineEvent> expected;
    int head = Timeline.headCapacity(cap);
    if (all.size() <= cap) {
      expected = all;
      assertThat(t.headCount()).isEqualTo(Math.min(head, all.size()));
    } else {
      expected = new ArrayList<>(all.subList(0, head));
      expected.addAll(all.subList(all.size() - (cap - head), all.size()));
      assertThat(t.headCount()).isEqualTo(head);
    }
    assertThat(head).isEqualTo(cap / 10);
    assertThat(t.events()).isEqualTo(expected);
    if (!all.isEmpty()) {
      assertThat(t.last()).isEqualTo(all.get(all.size() - 1));
    }
  }

  @Property
  void droppedPerTypeAddsUpToAppendedMinusKept(@ForAll("batches") List<List<String>> batches,
      @ForAll @IntRange(min = 1, max = 200) int cap) {
    List<TimelineEvent> all = new ArrayList<>();
    Timeline t = Timeline.EMPTY;
    for (List<String> batch : batches) {
      List<TimelineEvent> added = events(all.size(), batch);
      all.addAll(added);
      t = t.append(added, cap);
    }

    assertDroppedAddsUp(t, all);
  }

  /** A policy's cap may change between appends (a store restarted with a new policy). */
  @Property
  void changingTheCapKeepsTheBoundAndTheCount(@ForAll("nonEmptyBatches") List<List<String>> batches,
      @ForAll("caps") List<Integer> caps) {
    List<TimelineEvent> all = new ArrayList<>();
    Timeline t = Timeline.EMPTY;
    for (int i = 0; i < batches.size(); i++) {
      int cap = caps.get(i % caps.size());
      List<TimelineEvent> added = events(all.size(), batches.get(i));
      all.addAll(added);
      t = t.append(added, cap);

      assertThat(t.size()).isLessThanOrEqualTo(cap);
      assertThat(t.last()).isEqualTo(all.get(all.size() - 1));
      assertThat(t.headCount()).isLessThanOrEqualTo(Timeline.headCapacity(cap));
      assertThat(all).containsSubsequence(t.events());
      assertDroppedAddsUp(t, all);
    }
  }

  @Provide
  Arbitrary<List<Integer>> caps() {
    return Arbitraries.integers().between(1, 150).list().ofMinSize(1).ofMaxSize(5);
  }

  private static void assertDroppedAddsUp(Timeline t, List<TimelineEvent> all) {
    Map<String, Long> appended = countByType(all);
    Map<String, Long> kept = countByType(t.events());
    Map<String, Long> expectedDropped = new HashMap<>();
    appended.forEach((type, n) -> {
      long d = n - kept.getOrDefault(type, 0L);
      if (d > 0) {
        expectedDropped.put(type, d);
      }
    });
    assertThat(t.droppedByType()).isEqualTo(expectedDropped);
    assertThat(t.dropped()).isEqualTo(all.size() - t.size());
  }

  private static Map<String, Long> countByType(List<TimelineEvent> events) {
    Map<String, Long> out = new HashMap<>();
    for (TimelineEvent e : events) {
      out.merge(e.type(), 1L, Long::sum);
    }
    return out;
  }

  private static List<TimelineEvent> events(int first, List<String> types) {
    List<TimelineEvent> out = new ArrayList<>(types.size());
    for (int i = 0; i < types.size(); i++) {
      out.add(TimelineEvent.of(T0.plusMillis(first + i), types.get(i), Map.of("n", first + i)));
    }
    return out;
  }
}
