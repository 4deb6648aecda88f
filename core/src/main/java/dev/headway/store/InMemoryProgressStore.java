package dev.headway.store;

import static java.util.Objects.requireNonNull;

import dev.headway.ApplyResult;
import dev.headway.InvalidUpdateException;
import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.ProgressUpdate;
import dev.headway.internal.Ids;
import dev.headway.merge.JobState;
import dev.headway.merge.JobCommand;
import dev.headway.merge.MergePolicy;
import dev.headway.merge.ProgressEngine;
import dev.headway.merge.Step;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A {@link ProgressStore} in memory, for tests and single-process use.
 *
 * <p>Concurrency: each job lives in a slot with its own lock; an update locks only its job's slot
 * and runs the engine there, so one job's updates are linearizable and different jobs never
 * contend. Reads take no lock: a slot's state is an immutable value behind a volatile field.
 * {@link #applyAll} locks every slot it touches in job-id order (so two batches cannot deadlock),
 * computes all results, and publishes them only when every update was accepted. A purged slot is
 * marked detached under its lock; a writer that finds its slot detached starts again with a fresh
 * one, so no update is written into a slot that has left the map.
 */
final class InMemoryProgressStore implements ProgressStore {
  private final ProgressEngine engine;
  private final Clock clock;
  private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
  private final StoreListeners listeners = new StoreListeners();

  InMemoryProgressStore(MergePolicy policy, Clock clock) {
    this.engine = new ProgressEngine(requireNonNull(policy, "policy"));
    this.clock = requireNonNull(clock, "clock");
  }

  private static final class Slot {
    final ReentrantLock lock = new ReentrantLock();
    volatile JobState state;
    boolean detached; // guarded by lock
  }

  @Override
  public ApplyResult apply(ProgressUpdate update) {
    requireNonNull(update, "update");
    return withSlot(update.jobId(), slot -> {
      Step step = engine.apply(slot.state, update, clock.instant());
      publish(slot, step);
      return step.result();
    });
  }

  @Override
  public List<ApplyResult> applyAll(List<ProgressUpdate> updates) {
    requireNonNull(updates, "updates");
    if (updates.isEmpty()) {
      return List.of();
    }
    TreeMap<String, Slot> locked = lockAll(updates);
    try {
      Map<String, JobState> staged = new HashMap<>();
      List<Step> steps = new ArrayList<>(updates.size());
      Instant now = clock.instant();
      for (int i = 0; i < updates.size(); i++) {
        ProgressUpdate u = updates.get(i);
        JobState current = staged.containsKey(u.jobId()) ? staged.get(u.jobId()) : locked.get(u.jobId()).state;
        Step step;
        try {
          step = engine.apply(current, u, now);
        } catch (InvalidUpdateException e) {
          throw e.under("[" + i + "]");
        }
        staged.put(u.jobId(), step.state());
        steps.add(step);
      }
      // Every update was accepted: publish, then tell listeners in order.
      staged.forEach((id, state) -> locked.get(id).state = state);
      List<ApplyResult> results = new ArrayList<>(steps.size());
      for (Step step : steps) {
        if (step.changed()) {
          notifyChange(step.result());
        }
        results.add(step.result());
      }
      return results;
    } finally {
      unlockAll(locked);
    }
  }

  @Override
  public Optional<JobSnapshot> find(String jobId) {
    Slot slot = slots.get(Ids.check("jobId", jobId));
    JobState state = slot == null ? null : slot.state;
    return state == null ? Optional.empty() : Optional.of(state.snapshot());
  }

  @Override
  public List<JobSnapshot> query(JobQuery q) {
    requireNonNull(q, "query");
    List<JobSnapshot> out = new ArrayList<>();
    for (Slot slot : slots.values()) {
      JobState state = slot.state;
      if (state != null && matches(state.snapshot(), q)) {
        out.add(state.snapshot());
      }
    }
    out.sort(order(q.order()));
    return out.size() > q.limit() ? List.copyOf(out.subList(0, q.limit())) : List.copyOf(out);
  }

  @Override
  public ApplyResult execute(String jobId, JobCommand command) {
    Ids.check("jobId", jobId);
    requireNonNull(command, "command");
    return withSlot(jobId, slot -> {
      Step step = command.run(engine, slot.state, clock.instant());
      publish(slot, step);
      return step.result();
    });
  }

  @Override
  public int purgeFinishedBefore(Instant cutoff) {
    requireNonNull(cutoff, "cutoff");
    Map<String, List<String>> childrenOf = new HashMap<>();
    Deque<String> doomed = new ArrayDeque<>();
    slots.forEach((id, slot) -> {
      JobState state = slot.state;
      if (state == null) {
        return;
      }
      JobSnapshot s = state.snapshot();
      if (s.parentId() != null) {
        childrenOf.computeIfAbsent(s.parentId(), k -> new ArrayList<>()).add(id);
      }
      if (s.status().isTerminal() && s.finishedAt() != null && s.finishedAt().isBefore(cutoff)) {
        doomed.add(id);
      }
    });
    Set<String> seen = new HashSet<>();
    int purged = 0;
    while (!doomed.isEmpty()) {
      String id = doomed.poll();
      if (!seen.add(id)) {
        continue;
      }
      doomed.addAll(childrenOf.getOrDefault(id, List.of()));
      Slot slot = slots.get(id);
      if (slot == null) {
        continue;
      }
      slot.lock.lock();
      try {
        if (!slot.detached && slot.state != null) {
          slot.detached = true;
          slot.state = null;
          slots.remove(id, slot);
          purged++;
          listeners.purged(id);
        }
      } finally {
        slot.lock.unlock();
      }
    }
    return purged;
  }

  @Override
  public AutoCloseable addListener(StoreListener listener) {
    return listeners.add(listener);
  }

  @Override
  public MergePolicy policy() {
    return engine.policy();
  }

  @Override
  public Clock clock() {
    return clock;
  }

  private <T> T withSlot(String jobId, Function<Slot, T> action) {
    while (true) {
      Slot slot = slots.computeIfAbsent(jobId, k -> new Slot());
      slot.lock.lock();
      try {
        if (slot.detached) {
          continue; // purged between lookup and lock: start over with a fresh slot
        }
        try {
          return action.apply(slot);
        } finally {
          forgetIfEmpty(jobId, slot);
        }
      } finally {
        slot.lock.unlock();
      }
    }
  }

  // A rejected first update must not leave an empty slot behind.
  private void forgetIfEmpty(String jobId, Slot slot) {
    if (slot.state == null) {
      slot.detached = true;
      slots.remove(jobId, slot);
    }
  }

  private TreeMap<String, Slot> lockAll(List<ProgressUpdate> updates) {
    Set<String> ids = new HashSet<>();
    for (ProgressUpdate u : updates) {
      ids.add(requireNonNull(u, "update").jobId());
    }
    while (true) {
      TreeMap<String, Slot> locked = new TreeMap<>();
      boolean retry = false;
      for (String id : new java.util.TreeSet<>(ids)) {
        Slot slot = slots.computeIfAbsent(id, k -> new Slot());
        slot.lock.lock();
        locked.put(id, slot);
        if (slot.detached) {
          retry = true;
          break;
        }
      }
      if (!retry) {
        return locked;
      }
      unlockAll(locked);
    }
  }

  private void unlockAll(TreeMap<String, Slot> locked) {
    for (Map.Entry<String, Slot> e : locked.descendingMap().entrySet()) {
      Slot slot = e.getValue();
      if (!slot.detached) {
        forgetIfEmpty(e.getKey(), slot);
      }
      slot.lock.unlock();
    }
  }

  private void publish(Slot slot, Step step) {
    if (step.changed()) {
      slot.state = step.state();
      notifyChange(step.result());
    }
  }

  private void notifyChange(ApplyResult result) {
    listeners.changed(result);
  }

  static boolean matches(JobSnapshot s, JobQuery q) {
    return (q.statuses().isEmpty() || q.statuses().contains(s.status()))
        && (q.type() == null || q.type().equals(s.type()))
        && (q.parentId() == null || q.parentId().equals(s.parentId()))
        && (q.updatedSince() == null || !s.updatedAt().isBefore(q.updatedSince()));
  }

  static Comparator<JobSnapshot> order(JobQuery.Order order) {
    Comparator<JobSnapshot> byId = Comparator.comparing(JobSnapshot::jobId);
    return switch (order) {
      case UPDATED_DESC -> Comparator.comparing(JobSnapshot::updatedAt).thenComparing(byId).reversed();
      case UPDATED_ASC -> Comparator.comparing(JobSnapshot::updatedAt).thenComparing(byId);
      case CREATED_DESC -> Comparator.comparing(JobSnapshot::createdAt).thenComparing(byId).reversed();
      case CREATED_ASC -> Comparator.comparing(JobSnapshot::createdAt).thenComparing(byId);
      case ID_ASC -> byId;
    };
  }
}
