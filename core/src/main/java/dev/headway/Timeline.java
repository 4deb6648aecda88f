package dev.headway;

import dev.headway.internal.AppendLog;
import java.util.AbstractList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A job's timeline, bounded. It keeps the first {@link #headCapacity(int)} events (how the job
 * began) and the newest ones up to the cap; events pushed out in between are counted per event
 * type in {@link #droppedByType()}. Immutable: {@link #append} returns a new timeline that shares
 * storage with this one, so adding an event costs the same however long the timeline is.
 */
public final class Timeline {
  public static final Timeline EMPTY = new Timeline(AppendLog.empty(), AppendLog.empty(), Map.of());

  private final AppendLog<TimelineEvent> head;
  private final AppendLog<TimelineEvent> tail;
  private final Map<String, Long> droppedByType;
  /** The sum of {@link #droppedByType}, kept because stores ask for it on every write. */
  private final long dropped;

  private Timeline(AppendLog<TimelineEvent> head, AppendLog<TimelineEvent> tail, Map<String, Long> droppedByType) {
    this.head = head;
    this.tail = tail;
    this.droppedByType = droppedByType;
    long sum = 0;
    for (long n : droppedByType.values()) {
      sum += n;
    }
    this.dropped = sum;
  }

  /**
   * Rebuilds a stored timeline. {@code events} are in order; the first {@code headCount} of them
   * are the kept head.
   */
  public static Timeline of(List<TimelineEvent> events, int headCount, Map<String, Long> droppedByType) {
    if (headCount < 0 || headCount > events.size()) {
      throw new IllegalArgumentException("headCount " + headCount + " is outside 0.." + events.size());
    }
    for (TimelineEvent e : events) {
      java.util.Objects.requireNonNull(e, "event");
    }
    return new Timeline(AppendLog.of(events.subList(0, headCount)),
        AppendLog.of(events.subList(headCount, events.size())),
        Collections.unmodifiableMap(new TreeMap<>(droppedByType)));
  }

  /** How many of the first events a timeline of this cap always keeps: a tenth of it. */
  public static int headCapacity(int cap) {
    return cap / 10;
  }

  /** Kept events, oldest first; a read-only view. */
  public List<TimelineEvent> events() {
    if (head.isEmpty()) {
      return Collections.unmodifiableList(tail);
    }
    return new AbstractList<>() {
      @Override
      public TimelineEvent get(int index) {
        return index < head.size() ? head.get(index) : tail.get(index - head.size());
      }

      @Override
      public int size() {
        return head.size() + tail.size();
      }
    };
  }

  /** How many of {@link #events()} are the kept first events. */
  public int headCount() {
    return head.size();
  }

  /** Number of events kept. */
  public int size() {
    return head.size() + tail.size();
  }

  /** Events dropped on overflow, per event type. */
  public Map<String, Long> droppedByType() {
    return droppedByType;
  }

  /** Total events dropped on overflow. */
  public long dropped() {
    return dropped;
  }

  /** The newest event, or null when there is none. */
  public TimelineEvent last() {
    return tail.isEmpty() ? head.last() : tail.last();
  }

  /**
   * This timeline with {@code added} appended, holding at most {@code cap} events: the first
   * {@code cap / 10} ever appended and the newest.
   *
   * @throws IllegalArgumentException if cap is less than 1
   */
  public Timeline append(List<TimelineEvent> added, int cap) {
    if (cap < 1) {
      throw new IllegalArgumentException("cap (" + cap + ") must be at least 1");
    }
    if (added.isEmpty() && size() <= cap) {
      return this;
    }
    int headCap = headCapacity(cap);
    AppendLog<TimelineEvent> h = head;
    AppendLog<TimelineEvent> t = tail;
    Map<String, Long> dropped = null;
    // Only after the cap was lowered can the head hold more than it may keep.
    while (h.size() > headCap) {
      dropped = count(dropped, h.last());
      h = AppendLog.of(h.subList(0, h.size() - 1));
    }
    for (TimelineEvent e : added) {
      if (t.isEmpty() && h.size() < headCap) {
        h = h.append(e);
      } else {
        t = t.append(e);
      }
    }
    while (h.size() + t.size() > cap) {
      dropped = count(dropped, t.get(0));
      t = t.dropFirst();
    }
    return new Timeline(h, t, dropped == null ? droppedByType : Collections.unmodifiableMap(dropped));
  }

  private Map<String, Long> count(Map<String, Long> dropped, TimelineEvent e) {
    Map<String, Long> out = dropped != null ? dropped : new TreeMap<>(droppedByType);
    out.merge(e.type(), 1L, Long::sum);
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Timeline t && head.equals(t.head) && tail.equals(t.tail)
        && droppedByType.equals(t.droppedByType);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * head.hashCode() + tail.hashCode()) + droppedByType.hashCode();
  }

  @Override
  public String toString() {
    return "Timeline[" + size() + " events, " + dropped() + " dropped]";
  }
}
