package dev.headway.jdbc;

import dev.headway.merge.JobState;
import java.util.LinkedHashMap;

/**
 * Recently written job states by id, so that the next update of a busy job does not read and
 * parse its JSON and timeline again. An entry is used only when its version equals the version of
 * the locked row, so another process's writes are never hidden: a stale entry is just a miss.
 * Thread-safe; bounded, least recently used first out.
 */
final class StateCache {
  private final int capacity;
  private final LinkedHashMap<String, JobState> map;

  StateCache(int capacity) {
    this.capacity = capacity;
    this.map = new LinkedHashMap<>(16, 0.75f, true);
  }

  /**
   * The cached state of the job at exactly this version and creation time, or null. The creation
   * time tells a job apart from a purged one that had the same id and reached the same version.
   */
  synchronized JobState get(String jobId, long version, long createdMicros) {
    if (capacity == 0) {
      return null;
    }
    JobState s = map.get(jobId);
    return s != null && s.snapshot().version() == version
        && JobTable.micros(s.snapshot().createdAt()) == createdMicros ? s : null;
  }

  /** The newest committed state this process knows of the job, or null; it may be stale. */
  synchronized JobState peek(String jobId) {
    return capacity == 0 ? null : map.get(jobId);
  }

  /** Remembers a committed state, unless a newer one is already here. */
  synchronized void put(JobState state) {
    if (capacity == 0) {
      return;
    }
    JobState old = map.get(state.jobId());
    if (old == null || old.snapshot().version() <= state.snapshot().version()) {
      map.put(state.jobId(), state);
      if (map.size() > capacity) {
        var it = map.entrySet().iterator();
        it.next();
        it.remove();
      }
    }
  }

  synchronized void remove(String jobId) {
    map.remove(jobId);
  }

  synchronized void clear() {
    map.clear();
  }
}
