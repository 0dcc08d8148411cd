package io.mesokube.operator.it;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.mesokube.api.Mesokube;
import io.mesokube.api.v1alpha1.agent.Agent;
import io.mesokube.api.v1alpha1.agent.AgentSpec;
import io.mesokube.api.v1alpha1.common.Resources;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskState;
import io.mesokube.api.v1alpha1.task.TaskStatusEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Simulated agents for operator tests: the agent side of Mesokube (a later issue) played by a test.
 *
 * <p>Creates N Agent objects with unique names and watches the Tasks bound to them (by the {@code
 * mesokube.io/agent} label, in one namespace). A bound task goes to TASK_RUNNING at once and to
 * TASK_FINISHED after {@code runFor}; one with {@code spec.kill} goes to TASK_KILLED. Each step is
 * one merge patch of the status subresource, guarded by the observed resourceVersion: a conflict
 * means the task changed meanwhile, and its next watch event decides again. Nothing is executed.
 *
 * <p>It is also the run's checker: it records every launch it sees (task uid, name, agent), and at
 * every observation sums what the non-terminal tasks bound to each agent hold; a sum above the
 * agent's resources is recorded as an over-commit.
 */
final class SimulatedAgents implements AutoCloseable {
  /** A task seen bound to an agent for the first time. */
  record Launch(String uid, String name, String agent, Instant seen) {}

  private record Held(String agent, long cpuMillis, long mem) {}

  private final KubernetesClient client;
  private final String namespace;
  private final Map<String, Resources> agents = new LinkedHashMap<>();
  private final Duration runFor;
  private final ScheduledExecutorService workers = Executors.newScheduledThreadPool(4);
  private final Map<String, Launch> launches = new ConcurrentHashMap<>();
  private final List<String> violations = new ArrayList<>();
  private final Map<String, Held> held = new HashMap<>();
  private final Map<String, Boolean> finishing = new ConcurrentHashMap<>();
  private final Map<String, TaskState> lastState = new HashMap<>();
  private final AtomicInteger finished = new AtomicInteger();
  private SharedIndexInformer<Task> informer;

  private SimulatedAgents(KubernetesClient client, String namespace, Duration runFor) {
    this.client = client;
    this.namespace = namespace;
    this.runFor = runFor;
  }

  /**
   * Creates {@code count} agents named {@code <prefix>-<i>} with {@code resources} each and starts
   * running their tasks in {@code namespace}. {@code client} makes every write (count it there).
   */
  static SimulatedAgents start(
      KubernetesClient client,
      String namespace,
      String prefix,
      int count,
      Resources resources,
      Duration runFor) {
    SimulatedAgents sim = new SimulatedAgents(client, namespace, runFor);
    IntStream.range(0, count).forEach(i -> sim.agents.put(prefix + "-" + i, resources));
    sim.agents.forEach(
        (name, r) -> {
          Agent agent = new Agent();
          agent.setMetadata(new ObjectMetaBuilder().withName(name).build());
          agent.setSpec(new AgentSpec(null, name + ".local", r, null, null, null));
          client.resource(agent).create();
        });
    sim.informer =
        client
            .resources(Task.class)
            .inNamespace(namespace)
            .withLabelIn(Mesokube.LABEL_AGENT, sim.agents.keySet().toArray(String[]::new))
            .inform(sim.handler());
    return sim;
  }

  /** The agents' names. */
  List<String> agentNames() {
    return List.copyOf(agents.keySet());
  }

  /** Every launch seen, by task uid. */
  Map<String, Launch> launches() {
    return Map.copyOf(launches);
  }

  /** How many tasks this simulation finished. */
  int finished() {
    return finished.get();
  }

  /** Over-commits and statuses that went backwards, seen so far (empty is good). */
  synchronized List<String> violations() {
    return List.copyOf(violations);
  }

  /**
   * Task names launched under more than one uid, or uids launched on more than one agent (empty is
   * good; the latter cannot be recorded, as the first agent wins, so a rebinding shows in {@link
   * #violations()}).
   */
  List<String> duplicateLaunches() {
    Map<String, List<String>> uidsByName = new HashMap<>();
    launches
        .values()
        .forEach(l -> uidsByName.computeIfAbsent(l.name, n -> new ArrayList<>()).add(l.uid));
    return uidsByName.entrySet().stream()
        .filter(e -> e.getValue().size() > 1)
        .map(e -> e.getKey() + " launched as " + e.getValue())
        .toList();
  }

  private ResourceEventHandler<Task> handler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Task task) {
        observed(task);
      }

      @Override
      public void onUpdate(Task oldTask, Task task) {
        observed(task);
      }

      @Override
      public void onDelete(Task task, boolean finalStateUnknown) {
        forget(task);
      }
    };
  }

  /** Called on the informer thread, in watch order: check, then act off-thread. */
  private void observed(Task task) {
    String uid = task.getMetadata().getUid();
    String agent = task.getSpec().agent();
    if (agent == null || !agents.containsKey(agent)) {
      return;
    }
    launches.putIfAbsent(uid, new Launch(uid, task.getMetadata().getName(), agent, Instant.now()));
    check(task);
    TaskState state = state(task);
    if (state != null && state.isTerminal()) {
      return;
    }
    workers.execute(() -> step(task));
  }

  private synchronized void check(Task task) {
    String uid = task.getMetadata().getUid();
    Launch first = launches.get(uid);
    if (!first.agent.equals(task.getSpec().agent())) {
      violations.add(uid + " moved from " + first.agent + " to " + task.getSpec().agent());
    }
    TaskState state = state(task);
    TaskState last = lastState.put(uid, state);
    if (last != null && last != TaskState.TASK_STAGING && last != state) {
      // Past TASK_STAGING only the agent writes; a status that changes under it went backwards.
      if (last.isTerminal() || state == null || state == TaskState.TASK_STAGING) {
        violations.add(
            "status of %s went from %s back to %s"
                .formatted(task.getMetadata().getName(), last, state));
      }
    }
    if (state != null && state.isTerminal()) {
      held.remove(uid);
      return;
    }
    Resources r = task.getSpec().resources();
    held.put(
        uid,
        new Held(
            task.getSpec().agent(),
            Math.round((r.cpus() == null ? 0 : r.cpus()) * 1000),
            Math.round(r.mem() == null ? 0 : r.mem())));
    String agent = task.getSpec().agent();
    long cpus = 0;
    long mem = 0;
    for (Held h : held.values()) {
      if (h.agent.equals(agent)) {
        cpus += h.cpuMillis;
        mem += h.mem;
      }
    }
    Resources total = agents.get(agent);
    if (cpus > Math.round(total.cpus() * 1000) || mem > Math.round(total.mem())) {
      violations.add(
          "agent %s over-committed: %d mcpus, %d MiB held by %d tasks, after %s"
              .formatted(agent, cpus, mem, held.size(), task.getMetadata().getName()));
    }
  }

  private synchronized void forget(Task task) {
    held.remove(task.getMetadata().getUid());
    lastState.remove(task.getMetadata().getUid());
  }

  /** Moves {@code task} one step on, if it still is as observed. */
  private void step(Task task) {
    TaskState state = state(task);
    if (Boolean.TRUE.equals(task.getSpec().kill())) {
      write(task, TaskState.TASK_KILLED);
    } else if (state == null || state == TaskState.TASK_STAGING) {
      write(task, TaskState.TASK_RUNNING);
    } else if (state == TaskState.TASK_RUNNING
        && finishing.putIfAbsent(task.getMetadata().getUid(), true) == null) {
      workers.schedule(() -> finish(task), runFor.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void finish(Task task) {
    Task latest = informer.getStore().get(task);
    if (latest == null) {
      return;
    }
    boolean running = state(latest) == TaskState.TASK_RUNNING;
    if (running
        && !Boolean.TRUE.equals(latest.getSpec().kill())
        && write(latest, TaskState.TASK_FINISHED)) {
      finished.incrementAndGet();
      return;
    }
    // Changed meanwhile (killed, or its status rewritten): decide again from what it is now.
    finishing.remove(latest.getMetadata().getUid());
    if (state(latest) == null || !state(latest).isTerminal()) {
      workers.execute(() -> step(latest));
    }
  }

  /** One status write; false if the task changed since observed (or went away). */
  private boolean write(Task task, TaskState next) {
    String now = Instant.now().toString();
    List<TaskStatusEntry> history = new ArrayList<>();
    if (task.getStatus() != null && task.getStatus().history() != null) {
      history.addAll(task.getStatus().history());
    }
    history.add(new TaskStatusEntry(next, null, "simulated agent", now));
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("state", next);
    status.put("message", "simulated agent");
    status.put("history", history.subList(Math.max(0, history.size() - 32), history.size()));
    if (next == TaskState.TASK_RUNNING) {
      status.put("startTime", now);
    }
    if (next.isTerminal()) {
      status.put("finishTime", now);
      if (next == TaskState.TASK_FINISHED) {
        status.put("exitCode", 0);
      }
    }
    Map<String, Object> patch =
        Map.of(
            "metadata",
            Map.of("resourceVersion", task.getMetadata().getResourceVersion()),
            "status",
            status);
    try {
      client
          .resources(Task.class)
          .inNamespace(namespace)
          .withName(task.getMetadata().getName())
          .subresource("status")
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              client.getKubernetesSerialization().asJson(patch));
      return true;
    } catch (KubernetesClientException e) {
      // 409: changed meanwhile, its next event decides; 404: gone; 422: already terminal.
      if (e.getCode() == 409 || e.getCode() == 404 || e.getCode() == 422) {
        return false;
      }
      throw e;
    }
  }

  private static TaskState state(Task task) {
    return task == null || task.getStatus() == null ? null : task.getStatus().state();
  }

  /** Stops the simulation and deletes the agents. */
  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
    workers.shutdownNow();
    for (String name : agents.keySet()) {
      client.resources(Agent.class).withName(name).delete();
    }
  }
}
