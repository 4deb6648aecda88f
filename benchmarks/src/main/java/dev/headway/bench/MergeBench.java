package dev.headway.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headway.JobSnapshot;
import dev.headway.json.ProgressCodec;
import dev.headway.merge.JobState;
import dev.headway.merge.MergePolicy;
import dev.headway.merge.ProgressEngine;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One report merged into a job, with no store: Headway's engine against Jackson parsing and writing
 * the same job document (progress fields plus timeline, as seed 003 stores it), the least any store
 * that keeps the document as JSON pays per report.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MergeBench {
  /** Timeline events the job already holds. */
  @Param({"100"})
  public int events;

  private final ProgressEngine engine = new ProgressEngine(MergePolicy.defaults());
  private final ObjectMapper mapper = new ObjectMapper();
  private JobState base;
  private String document;
  private long seq;
  private final Instant now = Instant.parse("2026-01-01T00:00:00Z");

  @Setup(Level.Trial)
  public void build() {
    JobState state = null;
    long n = 0;
    while (state == null || state.snapshot().timeline().size() < events) {
      state = engine.apply(state, Report.of("w1", ++n).toUpdate("crawl-42"), now).state();
    }
    base = state;
    seq = n;
    JobSnapshot s = base.snapshot();
    Map<String, Object> doc = new LinkedHashMap<>(s.progress());
    doc.put("status", s.status().word());
    doc.put("timeline", ProgressCodec.defaults().eventList(s.timeline().events()));
    document = ProgressCodec.defaults().write(doc);
  }

  @Benchmark
  public JobState headway() {
    // Always from the same job, so the cost measured is that of a job with `events` events.
    return engine.apply(base, Report.of("w1", ++seq).toUpdate("crawl-42"), now).state();
  }

  @Benchmark
  public String jackson() throws Exception {
    return mapper.writeValueAsString(mapper.readTree(document));
  }
}
