package dev.headway.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headway.InvalidUpdateException;
import dev.headway.JobSnapshot;
import dev.headway.ProgressUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.From;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** One property per merge rule: what the rule promises, over generated values. */
class MergeRuleProperties {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final MergePolicy POLICY = MergePolicy.defaults().toBuilder()
      .rule("low", MergeRule.MIN)
      .rule("log", MergeRule.APPEND)
      .rule("hosts", MergeRule.UNION)
      .rule("note", MergeRule.LAST)
      .listCap(20)
      .build();
  private final ProgressEngine engine = new ProgressEngine(POLICY);

  private JobState apply(JobState state, ProgressUpdate u) {
    return engine.apply(state, u, NOW).state();
  }

  @Property
  void maxFieldNeverDecreasesAndEndsAtTheLargestReported(
      @ForAll @Size(min = 1, max = 50) List<@LongRange(min = 0, max = 1_000_000) Long> values) {
    JobState state = null;
    long previous = -1;
    for (long v : values) {
      state = apply(state, ProgressUpdate.builder("j").processedItems(v).build());
      long now = state.snapshot().processedItems();
      assertThat(now).isGreaterThanOrEqualTo(previous);
      previous = now;
    }
    assertThat(previous).isEqualTo(Collections.max(values));
  }

  @Property
  void maxComparesWholeAndFractionalNumbersByValue(
      @ForAll @LongRange(min = 0, max = 1000) long whole, @ForAll @IntRange(min = 0, max = 1000) int tenths) {
    double fractional = tenths / 10.0;
    JobState state = apply(null, ProgressUpdate.builder("j").field("totalItems", whole).build());
    state = apply(state, ProgressUpdate.builder("j").field("totalItems", fractional).build());
    Number stored = (Number) state.snapshot().progress().get("totalItems");
    assertThat(stored.doubleValue()).isEqualTo(Math.max((double) whole, fractional));
  }

  @Property
  void minFieldNeverIncreasesAndEndsAtTheSmallestReported(
      @ForAll @Size(min = 1, max = 50) List<@LongRange(min = 0, max = 1_000_000) Long> values) {
    JobState state = null;
    long previous = Long.MAX_VALUE;
    for (long v : values) {
      state = apply(state, ProgressUpdate.builder("j").field("low", v).build());
      long now = ((Number) state.snapshot().progress().get("low")).longValue();
      assertThat(now).isLessThanOrEqualTo(previous);
      previous = now;
    }
    assertThat(previous).isEqualTo(Collections.min(values));
  }

  @Property
  void sumFieldEqualsTheSumOfDistinctUpdatesWhateverTheRetries(
      @ForAll @Size(min = 1, max = 40) List<@LongRange(min = 0, max = 1_000_000) Long> amounts,
      @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 39) Integer> retries) {
    JobState state = null;
    List<ProgressUpdate> sent = new ArrayList<>();
    for (int i = 0; i < amounts.size(); i++) {
      ProgressUpdate u = ProgressUpdate.builder("j").reporter("w1", i).items("issues", amounts.get(i)).build();
      sent.add(u);
      state = apply(state, u);
    }
    for (int r : retries) {
      state = apply(state, sent.get(r % sent.size()));
    }
    assertThat(state.snapshot().field("itemsByType.issues"))
        .isEqualTo(amounts.stream().mapToLong(Long::longValue).sum());
  }

  @Property
  void sumKeepsEveryTypeSeparateAndUntouchedTypesPreserved(
      @ForAll @Size(min = 1, max = 30) List<Map.@From("typedAmount") Entry<String, Long>> updates) {
    JobState state = null;
    Map<String, Long> expected = new HashMap<>();
    for (int i = 0; i < updates.size(); i++) {
      Map.Entry<String, Long> e = updates.get(i);
      state = apply(state, ProgressUpdate.builder("j").updateId("u" + i).items(e.getKey(), e.getValue()).build());
      expected.merge(e.getKey(), e.getValue(), Long::sum);
    }
    assertThat(state.snapshot().progress().get("itemsByType")).isEqualTo(expected);
  }

  @Provide
  Arbitrary<Map.Entry<String, Long>> typedAmount() {
    return Combinators.combine(Arbitraries.of("groups", "projects", "issues", "commits"),
        Arbitraries.longs().between(0, 500)).as(Map::entry);
  }

  @Property
  void lastFromOneReporterKeepsTheHighestSeqWhateverTheArrivalOrder(
      @ForAll @Size(min = 1, max = 30) List<@IntRange(min = 0, max = 500) Integer> seqs) {
    JobState state = null;
    for (int seq : seqs) {
      state = apply(state, ProgressUpdate.builder("j").reporter("w1", seq).stage("stage-" + seq).build());
    }
    assertThat(state.snapshot().field("stage")).isEqualTo("stage-" + Collections.max(seqs));
  }

  @Property
  void lastWithoutReporterKeepsTheLastArrival(@ForAll @Size(min = 1, max = 30) List<@From("words") String> values) {
    JobState state = null;
    for (String v : values) {
      state = apply(state, ProgressUpdate.builder("j").field("note", v).build());
    }
    assertThat(state.snapshot().field("note")).isEqualTo(values.get(values.size() - 1));
  }

  @Provide
  Arbitrary<String> words() {
    return Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8);
  }

  @Property
  void appendKeepsTheNewestElementsInOrderUpToTheCap(
      @ForAll @Size(min = 1, max = 30) List<@Size(max = 6) List<@IntRange(min = 0, max = 99) Integer>> batches) {
    JobState state = null;
    List<Long> all = new ArrayList<>();
    for (List<Integer> batch : batches) {
      state = apply(state, ProgressUpdate.builder("j").field("log", batch).build());
      batch.forEach(i -> all.add((long) i));
      List<?> stored = (List<?>) state.snapshot().progress().getOrDefault("log", List.of());
      assertThat(stored.size()).isLessThanOrEqualTo(POLICY.listCap());
    }
    List<Long> newest = all.subList(Math.max(0, all.size() - POLICY.listCap()), all.size());
    Object log = state.snapshot().progress().get("log");
    assertThat(log == null ? List.of() : log).isEqualTo(newest);
  }

  @Property
  void unionHoldsEachDistinctElementOnceInFirstSeenOrder(
      @ForAll @Size(min = 1, max = 20) List<@Size(max = 4) List<@From("hosts") String>> batches) {
    JobState state = null;
    LinkedHashSet<String> expected = new LinkedHashSet<>();
    for (List<String> batch : batches) {
      state = apply(state, ProgressUpdate.builder("j").field("hosts", batch).build());
      expected.addAll(batch);
    }
    Object stored = state.snapshot().progress().get("hosts");
    assertThat(stored == null ? List.of() : stored).isEqualTo(new ArrayList<>(expected));
  }

  @Provide
  Arbitrary<String> hosts() {
    return Arbitraries.of("a.example", "b.example", "c.example", "d.example", "e.example");
  }

  @Property(tries = 50)
  void unionRefusesToGrowPastTheCapAndKeepsTheOldSet(@ForAll @IntRange(min = 21, max = 40) int n) {
    JobState state = apply(null, ProgressUpdate.builder("j").field("hosts", List.of("seed")).build());
    List<String> many = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      many.add("h" + i);
    }
    JobState before = state;
    assertThatThrownBy(() -> apply(before, ProgressUpdate.builder("j").field("hosts", many).build()))
        .isInstanceOf(InvalidUpdateException.class)
        .satisfies(e -> assertThat(((InvalidUpdateException) e).field()).isEqualTo("hosts"));
    assertThat(before.snapshot().progress().get("hosts")).isEqualTo(List.of("seed"));
  }

  @Property
  void mergePatchSetsReportedKeysRemovesNullsAndKeepsTheRest(
      @ForAll("patches") Map<String, Object> first, @ForAll("patches") Map<String, Object> patch) {
    JobState state = apply(null, ProgressUpdate.builder("j").metadata(first).build());
    Map<?, ?> before = metadata(state);
    JobState after = apply(state, ProgressUpdate.builder("j").metadata(patch).build());
    Map<?, ?> merged = metadata(after);
    patch.forEach((k, v) -> {
      if (v == null) {
        assertThat(merged.containsKey(k)).isFalse();
      } else if (!(v instanceof Map)) {
        assertThat(merged.get(k)).isEqualTo(v);
      }
    });
    before.forEach((k, v) -> {
      if (!patch.containsKey(k)) {
        assertThat(merged.get(k)).isEqualTo(v);
      }
    });
    // A merge patch is idempotent: applying it again changes nothing in the document.
    JobState twice = apply(after, ProgressUpdate.builder("j").metadata(patch).build());
    assertThat(twice.snapshot().progress()).isEqualTo(after.snapshot().progress());
  }

  private static Map<?, ?> metadata(JobState state) {
    Object m = state.snapshot().progress().get("metadata");
    return m == null ? Map.of() : (Map<?, ?>) m;
  }

  @Provide
  Arbitrary<Map<String, Object>> patches() {
    Arbitrary<Object> leaf = Arbitraries.oneOf(
        Arbitraries.strings().alpha().ofMaxLength(4).map(s -> (Object) s),
        Arbitraries.longs().between(0, 9).map(l -> (Object) l),
        Arbitraries.just(null));
    Arbitrary<Object> inner = Arbitraries.maps(Arbitraries.of("x", "y", "z"), leaf).ofMaxSize(3)
        .map(m -> (Object) new LinkedHashMap<>(m));
    return Arbitraries.maps(Arbitraries.of("a", "b", "c", "d"), Arbitraries.oneOf(leaf, inner)).ofMaxSize(4)
        .map(LinkedHashMap::new);
  }

  @Property
  void fieldsWithoutARuleFollowLast(@ForAll @Size(min = 1, max = 10) List<@From("words") String> values) {
    JobState state = null;
    for (String v : values) {
      state = apply(state, ProgressUpdate.builder("j").field("custom", Map.of("v", v)).build());
    }
    assertThat(state.snapshot().progress().get("custom")).isEqualTo(Map.of("v", values.get(values.size() - 1)));
    assertThat(POLICY.ruleFor("custom")).isEqualTo(MergeRule.LAST);
  }

  @Property(tries = 100)
  void wrongTypeForANumericRuleIsRejectedAndNamesTheField(@ForAll @From("notANumber") Object bad) {
    JobState state = apply(null, ProgressUpdate.builder("j").processedItems(3).items("issues", 2).build());
    JobSnapshot before = state.snapshot();
    for (String field : List.of("processedItems", "totalItems", "low")) {
      assertThatThrownBy(() -> apply(state, ProgressUpdate.builder("j").field(field, bad).build()))
          .isInstanceOf(InvalidUpdateException.class)
          .satisfies(e -> assertThat(((InvalidUpdateException) e).field()).isEqualTo(field));
    }
    assertThatThrownBy(() -> apply(state, ProgressUpdate.builder("j").field("itemsByType", Map.of("issues", bad)).build()))
        .isInstanceOf(InvalidUpdateException.class)
        .satisfies(e -> assertThat(((InvalidUpdateException) e).field()).isEqualTo("itemsByType.issues"));
    assertThat(state.snapshot()).isEqualTo(before);
  }

  @Provide
  Arbitrary<Object> notANumber() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMinLength(1).ofMaxLength(5).map(s -> (Object) s),
        Arbitraries.longs().between(Long.MIN_VALUE, -1).map(l -> (Object) l),
        Arbitraries.doubles().between(-1e9, -0.001).ofScale(3).map(d -> (Object) d),
        Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.just(List.of(1L)));
  }
}
