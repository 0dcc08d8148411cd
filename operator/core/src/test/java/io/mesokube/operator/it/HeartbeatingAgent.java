package io.mesokube.operator.it;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.mesokube.api.Mesokube;
import io.mesokube.api.v1alpha1.agent.Agent;
import io.mesokube.api.v1alpha1.agent.AgentSpec;
import io.mesokube.api.v1alpha1.common.Resources;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskState;
import io.mesokube.api.v1alpha1.task.TaskStatusEntry;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One agent's side of liveness, played by a test as the agent DaemonSet does it: the Agent object,
 * registration (status phase Active with an agent id), heartbeat Lease renewals every third of the
 * Lease's duration, and task status reports. Nothing runs.
 */
final class HeartbeatingAgent implements AutoCloseable {
  /** Duration of the heartbeat Lease; it is renewed every third of it. */
  static final int LEASE_SECONDS = 3;

  private final KubernetesClient client;
  private final String name;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor();
  private final AtomicInteger renewals = new AtomicInteger();
  private volatile String agentId;
  private ScheduledFuture<?> heartbeat;

  private HeartbeatingAgent(KubernetesClient client, String name) {
    this.client = client;
    this.name = name;
  }

  /** Creates the Agent object (no status yet), offering {@code resources}. */
  static HeartbeatingAgent create(KubernetesClient client, String name, Resources resources) {
    Agent agent = new Agent();
    agent.setMetadata(new ObjectMetaBuilder().withName(name).build());
    agent.setSpec(new AgentSpec(null, name + ".local", resources, null, null, null));
    client.resource(agent).create();
    return new HeartbeatingAgent(client, name);
  }

  String name() {
    return name;
  }

  /**
   * Registers under {@code id}, as the agent does at every fresh start: a merge patch of status.
   */
  void register(String id) {
    agentId = id;
    String now = Instant.now().toString();
    Map<String, Object> registered = new LinkedHashMap<>();
    registered.put("type", "Registered");
    registered.put("status", "True");
    registered.put("lastTransitionTime", now);
    registered.put("reason", "Registered");
    registered.put("message", "registered as " + id);
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("phase", "Active");
    status.put("agentId", id);
    status.put("endpoint", "http://" + name + ".local:5051");
    status.put("registeredTime", now);
    status.put("conditions", List.of(registered));
    client
        .resources(Agent.class)
        .withName(name)
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            client.getKubernetesSerialization().asJson(Map.of("status", status)));
  }

  /** Renews the heartbeat Lease once, as holder of the current agent id. */
  void renew() {
    renew(LEASE_SECONDS);
  }

  /** Renews the heartbeat Lease once with a Lease of {@code leaseSeconds}. */
  void renew(int leaseSeconds) {
    client
        .leases()
        .inNamespace(Mesokube.SYSTEM_NAMESPACE)
        .resource(
            new LeaseBuilder()
                .withNewMetadata()
                .withName(Mesokube.agentLeaseName(name))
                .addToLabels(Mesokube.LABEL_AGENT, name)
                .addToLabels(Mesokube.LABEL_MANAGED_BY, Mesokube.MANAGED_BY)
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity(agentId)
                .withLeaseDurationSeconds(leaseSeconds)
                .withRenewTime(ZonedDateTime.now())
                .endSpec()
                .build())
        .serverSideApply();
  }

  /** Starts renewing every third of the Lease's duration. */
  synchronized void startHeartbeat() {
    stopHeartbeat();
    heartbeat =
        thread.scheduleAtFixedRate(
            this::renewOrSkip, 0, LEASE_SECONDS * 1000L / 3, TimeUnit.MILLISECONDS);
  }

  /** How many renewals of the heartbeat the API server took so far. */
  int renewals() {
    return renewals.get();
  }

  private void renewOrSkip() {
    try {
      renew();
      renewals.incrementAndGet();
    } catch (RuntimeException e) {
      // A renewal the API server refused is a missed heartbeat; the next one is on time, as an
      // agent would do (an exception would cancel the schedule).
    }
  }

  /** Stops renewing, as an agent that died or lost its network. */
  synchronized void stopHeartbeat() {
    if (heartbeat != null) {
      heartbeat.cancel(false);
      heartbeat = null;
    }
  }

  /** Reports a task's state as the agent does: one merge patch, guarded by its resourceVersion. */
  void report(String namespace, String task, TaskState state) {
    Task current = client.resources(Task.class).inNamespace(namespace).withName(task).get();
    List<TaskStatusEntry> history = new ArrayList<>();
    if (current.getStatus() != null && current.getStatus().history() != null) {
      history.addAll(current.getStatus().history());
    }
    String now = Instant.now().toString();
    history.add(new TaskStatusEntry(state, null, "reported by " + agentId, now));
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("state", state);
    status.put("reason", null);
    status.put("message", "reported by " + agentId);
    status.put("history", history);
    if (state == TaskState.TASK_RUNNING) {
      status.put("startTime", now);
    }
    Map<String, Object> patch = new LinkedHashMap<>();
    patch.put("metadata", Map.of("resourceVersion", current.getMetadata().getResourceVersion()));
    patch.put("status", status);
    client
        .resources(Task.class)
        .inNamespace(namespace)
        .withName(task)
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            client.getKubernetesSerialization().asJson(patch));
  }

  /** Stops the heartbeat; deletes the Agent, then its Lease. */
  @Override
  public void close() {
    stopHeartbeat();
    thread.shutdownNow();
    client.resources(Agent.class).withName(name).delete();
    client
        .leases()
        .inNamespace(Mesokube.SYSTEM_NAMESPACE)
        .withName(Mesokube.agentLeaseName(name))
        .delete();
  }
}
