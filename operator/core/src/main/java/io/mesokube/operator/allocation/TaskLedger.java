package io.mesokube.operator.allocation;

import io.mesokube.allocator.HierarchicalAllocator;
import io.mesokube.allocator.resources.Resources;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The allocator's view of running work: the exact resources each bound, non-terminal task holds.
 *
 * <p>Invariant: an entry exists exactly while the allocator counts its resources as allocated to
 * its framework on its agent. Tasks the loop binds itself are entered when bound; others (bound by
 * hand, or found on a leader's rebuild) are entered when first seen, if the agent has room; an
 * entry leaves, and its resources are recovered, when its task is terminal or gone.
 */
final class TaskLedger {
  /** What one task holds. */
  record Entry(String frameworkId, String agent, String role, Resources held) {}

  /**
   * How long an entry the loop made itself waits for the informer cache to show its task bound:
   * until then a task missing from the cache, or shown unbound, is the cache lagging behind the
   * loop's own write, not a task that went away.
   */
  static final Duration UNSEEN_GRACE = Duration.ofSeconds(60);

  private final Map<String, Entry> entries = new HashMap<>();
  private final Map<String, Instant> unseenSince = new HashMap<>();

  /** Enters a task the loop bound itself, by uid, before the cache shows it bound. */
  void enter(String uid, Entry entry, Instant now) {
    entries.put(uid, entry);
    unseenSince.put(uid, now);
  }

  /** Whether any task of the framework is entered. */
  boolean holdsTasks(String frameworkId) {
    for (Entry e : entries.values()) {
      if (e.frameworkId.equals(frameworkId)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a task counts: bound to an agent and not terminal. */
  static boolean active(Task task) {
    TaskState state = task.getStatus() == null ? null : task.getStatus().state();
    return task.getSpec().agent() != null && (state == null || !state.isTerminal());
  }

  /**
   * Brings the ledger in line with the tasks: recovers what terminal and vanished tasks held;
   * enters active tasks not yet entered whose agent has room for them.
   *
   * @param role the role a task's resources count against
   * @return the uids of active tasks that could not be entered (their agent lacks room or is
   *     unknown), to be reported
   */
  Set<String> sync(
      List<Task> tasks,
      HierarchicalAllocator allocator,
      java.util.function.Function<Task, String> role,
      java.util.function.Predicate<String> knownAgent,
      java.util.function.Predicate<String> knownFramework,
      Instant now) {
    Set<String> alive = new HashSet<>();
    Set<String> unplaced = new HashSet<>();
    for (Task task : tasks) {
      String uid = task.getMetadata().getUid();
      if (task.getSpec().agent() != null) {
        unseenSince.remove(uid);
      }
      if (!active(task)) {
        continue;
      }
      alive.add(uid);
      if (entries.containsKey(uid)) {
        continue;
      }
      String agent = task.getSpec().agent();
      String frameworkId = Keys.framework(task);
      String taskRole = role.apply(task);
      Optional<Resources> held =
          knownAgent.test(agent) && knownFramework.test(frameworkId) && taskRole != null
              ? Claims.claim(
                  allocator.available(agent),
                  taskRole,
                  ResourceMapping.toAllocator(task.getSpec().charged()))
              : Optional.empty();
      if (held.isPresent()) {
        allocator.addAllocation(frameworkId, agent, held.get());
        entries.put(uid, new Entry(frameworkId, agent, taskRole, held.get()));
      } else {
        unplaced.add(uid);
      }
    }
    for (String uid : Set.copyOf(entries.keySet())) {
      Instant since = unseenSince.get(uid);
      boolean lagging = since != null && now.isBefore(since.plus(UNSEEN_GRACE));
      if (!alive.contains(uid) && !lagging) {
        unseenSince.remove(uid);
        Entry gone = entries.remove(uid);
        if (knownAgent.test(gone.agent)) {
          allocator.recoverResources(gone.frameworkId, gone.agent, gone.held, null);
        }
      }
    }
    return unplaced;
  }

  /** Everything held by tasks, by role. */
  Map<String, Resources> heldByRole() {
    Map<String, Resources> out = new HashMap<>();
    for (Entry e : entries.values()) {
      out.merge(e.role, e.held, Resources::plus);
    }
    return out;
  }

  /** Forgets the entries on an agent the allocator removed (its allocations went with it). */
  void agentRemoved(String agent) {
    for (String uid : Set.copyOf(entries.keySet())) {
      if (entries.get(uid).agent.equals(agent)) {
        entries.remove(uid);
        unseenSince.remove(uid);
      }
    }
  }

  /** What each framework holds on an agent, for re-adding the agent to the allocator. */
  Map<String, Resources> heldOn(String agent) {
    Map<String, Resources> out = new HashMap<>();
    for (Entry e : entries.values()) {
      if (e.agent.equals(agent)) {
        out.merge(e.frameworkId, e.held, Resources::plus);
      }
    }
    return out;
  }
}
