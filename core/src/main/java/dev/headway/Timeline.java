package dev.headway;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A job's timeline, bounded. It keeps the first {@link #headCapacity(int)} events (how the job
 * began) and the newest ones up to the cap; events pushed out in between are counted per event
 * type in {@link #droppedByType()}. Immutable: {@link #append} returns a new timeline.
 */
public final class Timeline {
  /** Default cap on events kept per job. */
  public static final int DEFAULT_CAP = 1000;

  public static final Timeline EMPTY = new Timeline(List.of(), List.of(), Map.of());

  private final List<TimelineEvent> head;
  private final List<TimelineEvent> tail;
  private final Map<String, Long> droppedByType;

  private Timeline(List<TimelineEvent> head, List<TimelineEvent> tail, Map<String, Long> droppedByType) {
    this.head = head;
    this.tail = tail;
    this.droppedByType = droppedByType;
  }

  /**
   * Rebuilds a stored timeline. {@code events} are in order; the first {@code headCount} of them
   * are the kept head.
   */
  public static Timeline of(List<TimelineEvent> events, int headCount, Map<String, Long> droppedByType) {
    if (headCount < 0 || headCount > events.size()) {
      throw new IllegalArgumentException("headCount " + headCount + " is outside 0.." + events.size());
    }
    List<TimelineEvent> copy = List.copyOf(events);
    return new Timeline(copy.subList(0, headCount), copy.subList(headCount, copy.size()),
        Collections.unmodifiableMap(new TreeMap<>(droppedByType)));
  }

  /** How many of the first events a timeline of this cap always keeps: a tenth of it. */
  public static int headCapacity(int cap) {
    return cap / 10;
  }

  /** Kept events, oldest first. */
  public List<TimelineEvent> events() {
    if (head.isEmpty()) {
      return tail;
    }
    List<TimelineEvent> all = new ArrayList<>(head.size() + tail.size());
    all.addAll(head);
    all.addAll(tail);
    return Collections.unmodifiableList(all);
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
    long sum = 0;
    for (long n : droppedByType.values()) {
      sum += n;
    }
    return sum;
  }

  /** The newest event, or null when there is none. */
  public TimelineEvent last() {
    if (!tail.isEmpty()) {
      return tail.get(tail.size() - 1);
    }
    return head.isEmpty() ? null : head.get(head.size() - 1);
  }

  /**
   * This timeline with {@code added} appended, holding at most {@code cap} events.
   *
   * @throws IllegalArgumentException if cap is less than 1
   */
  public Timeline append(List<TimelineEvent> added, int cap) {
    if (cap < 1) {
      throw new IllegalArgumentException("cap (" + cap + ") must be at least 1");
    }
    if (added.isEmpty()) {
      return this;
    }
    int headCap = headCapacity(cap);
    Timeline base = head.size() > headCap ? trimHead(headCap) : this;
    return base.appendWithin(added, cap, headCap);
  }

  // Only after the cap was lowered: the head may hold more than the new cap allows.
  private Timeline trimHead(int headCap) {
    Map<String, Long> dropped = new TreeMap<>(droppedByType);
    for (TimelineEvent e : head.subList(headCap, head.size())) {
      dropped.merge(e.type(), 1L, Long::sum);
    }
    return new Timeline(head.subList(0, headCap), tail, Collections.unmodifiableMap(dropped));
  }

  private Timeline appendWithin(List<TimelineEvent> added, int cap, int headCap) {
    List<TimelineEvent> newHead = head;
    int i = 0;
    if (head.size() < headCap && tail.isEmpty()) {
      newHead = new ArrayList<>(head);
      while (i < added.size() && newHead.size() < headCap) {
        newHead.add(added.get(i++));
      }
      newHead = Collections.unmodifiableList(newHead);
    }
    int tailCap = cap - newHead.size();
    List<TimelineEvent> newTail = new ArrayList<>(Math.min(tailCap, tail.size() + added.size() - i));
    Map<String, Long> dropped = droppedByType;
    int incoming = added.size() - i;
    int keepOld = Math.max(0, Math.min(tail.size(), tailCap - incoming));
    int dropOld = tail.size() - keepOld;
    if (dropOld > 0 || incoming > tailCap) {
      dropped = new TreeMap<>(droppedByType);
      for (int k = 0; k < dropOld; k++) {
        dropped.merge(tail.get(k).type(), 1L, Long::sum);
      }
      for (int k = i; k < added.size() - tailCap; k++) {
        dropped.merge(added.get(k).type(), 1L, Long::sum);
      }
      dropped = Collections.unmodifiableMap(dropped);
    }
    newTail.addAll(tail.subList(dropOld, tail.size()));
    newTail.addAll(added.subList(Math.max(i, added.size() - tailCap), added.size()));
    return new Timeline(newHead, Collections.unmodifiableList(newTail), dropped);
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
