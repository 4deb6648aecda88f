package dev.headway.examples.cli;

import dev.headway.JobSnapshot;
import dev.headway.json.ProgressCodec;
import dev.headway.view.ProgressView;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON the CLI prints with {@code --json}: the snapshot wire format plus derived fields. */
public final class JsonOutput {
  private static final ProgressCodec CODEC = ProgressCodec.defaults();

  private JsonOutput() {}

  /** A job as JSON: its snapshot (without the timeline's events unless asked) and {@code derived}. */
  public static Map<String, Object> job(JobSnapshot s, Clock clock, boolean withEvents) {
    Map<String, Object> m = new LinkedHashMap<>(CODEC.snapshotMap(s));
    if (!withEvents && m.get("timeline") instanceof Map<?, ?> timeline) {
      Map<String, Object> t = new LinkedHashMap<>();
      timeline.forEach((k, v) -> {
        if (!"events".equals(k)) {
          t.put((String) k, v);
        }
      });
      m.put("timeline", t);
    }
    m.put("derived", ProgressView.of(s, clock).derivedFields());
    return m;
  }

  public static String write(Object value) {
    return CODEC.write(value);
  }

  public static Object events(JobSnapshot s) {
    return CODEC.eventList(s.timeline().events());
  }
}
