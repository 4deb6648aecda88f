package dev.headway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Shared storage never leaks between versions, however they branch. */
class AppendLogProperties {

  @Property(tries = 300)
  void everyVersionKeepsItsOwnContentsWhenOthersAppendOrDrop(
      @ForAll @Size(min = 1, max = 300) List<@IntRange(min = 0, max = 1000) Integer> ops) {
    List<AppendLog<Integer>> versions = new ArrayList<>();
    List<List<Integer>> models = new ArrayList<>();
    versions.add(AppendLog.empty());
    models.add(List.of());
    for (int op : ops) {
      int base = op % versions.size(); // any earlier version, so branches happen often
      AppendLog<Integer> v = versions.get(base);
      List<Integer> model = new ArrayList<>(models.get(base));
      if (op % 5 == 0 && !model.isEmpty()) {
        v = v.dropFirst();
        model.remove(0);
      } else {
        v = v.append(op);
        model.add(op);
      }
      versions.add(v);
      models.add(List.copyOf(model));
    }
    for (int i = 0; i < versions.size(); i++) {
      assertThat(versions.get(i)).as("version %d", i).isEqualTo(models.get(i));
    }
  }

  @Property(tries = 50)
  void aLongLinearHistoryAppendsWithoutCopyingEarlierChunks(@ForAll @IntRange(min = 33, max = 2000) int n) {
    AppendLog<Integer> v = AppendLog.empty();
    for (int i = 0; i < n; i++) {
      v = v.append(i);
      if (v.size() > 100) {
        v = v.dropFirst();
      }
    }
    assertThat(v.size()).isEqualTo(Math.min(n, 100));
    assertThat(v.get(0)).isEqualTo(n - v.size());
    assertThat(v.last()).isEqualTo(n - 1);
  }
}
