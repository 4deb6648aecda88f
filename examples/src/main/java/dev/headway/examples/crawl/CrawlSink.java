package dev.headway.examples.crawl;

import static java.util.Objects.requireNonNull;

import dev.headway.Lease;
import dev.headway.Outcome;
import dev.headway.ProgressUpdate;
import dev.headway.report.ProgressSink;
import dev.headway.store.ProgressStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The store as the crawl's reporter sends to it, adding seed 003's descriptive fields to each
 * update: {@code lastProcessedId} and {@code currentDataType} of the item its checkpoint names,
 * and {@code operationType} equal to the stage. The reporter counts, stages and checkpoints but
 * sets no other fields; deriving them from the update's own checkpoint keeps them true to the
 * counts it carries, and costs no write of its own. A resent update gets the same fields again,
 * so retries stay identical. It wraps any {@link ProgressSink}: the store in this process, or an
 * HTTP sink posting to a Headway endpoint in another ({@code crawl --endpoint}). Thread-safe
 * (stateless besides the immutable source and the thread-safe sink it wraps).
 */
final class CrawlSink implements ProgressSink {
  /** The cursor's keys: the number of items done in crawl order, and the last one's id. */
  static final String POSITION = "position";
  static final String LAST_PROCESSED_ID = "lastProcessedId";

  private final ProgressSink sink;
  private final SimulatedGitLab source;

  CrawlSink(ProgressStore store, SimulatedGitLab source) {
    this(ProgressSink.of(store), source);
  }

  CrawlSink(ProgressSink sink, SimulatedGitLab source) {
    this.sink = requireNonNull(sink, "sink");
    this.source = requireNonNull(source, "source");
  }

  /** The cursor of a crawl that has done the items before {@code position}. */
  static Map<String, Object> cursor(int position, String lastProcessedId) {
    return Map.of(POSITION, position, LAST_PROCESSED_ID, lastProcessedId);
  }

  @Override
  public Outcome send(ProgressUpdate update) {
    return sink.send(decorate(update));
  }

  @Override
  public Lease renew(String jobId, String owner, Duration ttl) {
    return sink.renew(jobId, owner, ttl);
  }

  private ProgressUpdate decorate(ProgressUpdate u) {
    Map<String, Object> fields = new LinkedHashMap<>(u.fields());
    boolean changed = false;
    if (u.checkpoint() instanceof Map<?, ?> cursor && cursor.get(POSITION) instanceof Number p && p.intValue() > 0
        && p.intValue() <= source.size()) {
      SimulatedGitLab.Item last = source.item(p.intValue() - 1);
      fields.put("lastProcessedId", last.id());
      fields.put("currentDataType", last.type());
      changed = true;
    }
    if (fields.get("stage") instanceof String stage) {
      fields.put("operationType", stage);
      changed = true;
    }
    if (!changed) {
      return u;
    }
    return new ProgressUpdate(u.jobId(), u.updateId(), u.reporter(), u.seq(), u.type(), u.parentId(), u.status(),
        fields, u.events(), u.error(), u.attempt(), u.checkpoint());
  }

  @Override
  public String toString() {
    return "CrawlSink(" + sink + ")";
  }
}
