package io.mesokube.agent.maintenance;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.mesokube.agent.cgroups.Cgroups;
import io.mesokube.agent.tasks.TaskManager;
import io.mesokube.api.v1alpha1.agent.Agent;
import io.mesokube.api.v1alpha1.common.Condition;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the maintenance mode of this agent's Agent, as a Mesos agent on a machine taken DOWN:
 * when {@code spec.maintenance.mode} is Down, the task manager kills every task and launches none;
 * once the agent holds no task, its own cgroups are removed and the {@code Drained} condition says
 * so (see {@link DrainCondition}). When the Agent object is deleted while Down (the uninstall hook
 * does that after the drain), the agent stays Down and also removes the empty parents of its
 * cgroup, leaving nothing on the host until it is restarted.
 *
 * <p>Level-triggered: every event of the Agent, and a look once a second while it is Down or its
 * condition is not yet written, runs {@link #sync()}, which compares the Agent with what the agent
 * holds. Threads: {@code sync} on the task manager's thread, to which the manager is confined; the
 * status write on the status thread; the cgroup removal, which may wait a few seconds for the last
 * supervisors to leave, on the housekeeping thread.
 */
public final class MaintenanceWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MaintenanceWatch.class);

  private final KubernetesClient client;
  private final String name;
  private final TaskManager manager;
  private final Cgroups cgroups;
  private final ScheduledExecutorService tasksThread;
  private final ScheduledExecutorService statusThread;
  private final ScheduledExecutorService housekeeping;
  private final Clock clock;
  private SharedIndexInformer<Agent> informer;

  // Confined to the task manager's thread.
  private boolean down;
  private boolean removing;
  private boolean deletedWhileDown;
  // The agent's cgroups that stayed after the removal, or null while it was not done since the
  // agent went Down.
  private List<Path> cgroupsLeft;
  private ScheduledFuture<?> poll;

  public MaintenanceWatch(
      KubernetesClient client,
      String name,
      TaskManager manager,
      Cgroups cgroups,
      ScheduledExecutorService tasksThread,
      ScheduledExecutorService statusThread,
      ScheduledExecutorService housekeeping,
      Clock clock) {
    this.client = client;
    this.name = name;
    this.manager = manager;
    this.cgroups = cgroups;
    this.tasksThread = tasksThread;
    this.statusThread = statusThread;
    this.housekeeping = housekeeping;
    this.clock = clock;
  }

  /**
   * Starts watching the Agent (by name: the field selector metadata.name) and returns once its
   * cache is filled; the caller then runs {@link #sync()} on the task manager's thread before the
   * tasks informer starts, so that a restarted agent that is Down launches nothing.
   */
  public void start() {
    informer = client.resources(Agent.class).withName(name).runnableInformer(0);
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Agent agent) {
            tasksThread.execute(MaintenanceWatch.this::syncQuietly);
          }

          @Override
          public void onUpdate(Agent before, Agent after) {
            tasksThread.execute(MaintenanceWatch.this::syncQuietly);
          }

          @Override
          public void onDelete(Agent agent, boolean finalStateUnknown) {
            tasksThread.execute(MaintenanceWatch.this::syncQuietly);
          }
        });
    informer.start().toCompletableFuture().join();
  }

  /**
   * Brings the task manager, the agent's cgroups and the Drained condition in line with the Agent.
   */
  public void sync() {
    if (removing) {
      // Wait for the removal: a launch must not create a cgroup under a parent being removed.
      return;
    }
    Agent agent = informer.getStore().getByKey(name);
    if (agent == null) {
      if (down && !deletedWhileDown) {
        LOG.info(
            "The Agent was deleted while Down: the agent stays Down and leaves the host clean");
        deletedWhileDown = true;
        remove(true);
      }
      return;
    }
    deletedWhileDown = false;
    String reason = DrainCondition.downReason(agent);
    manager.maintenance(reason);
    if ((reason != null) != down) {
      down = reason != null;
      cgroupsLeft = null;
    }
    int held = manager.held();
    if (down && held == 0 && cgroupsLeft == null) {
      remove(false);
      return;
    }
    Condition desired = DrainCondition.desired(agent, held, cgroupsLeft, clock.instant());
    List<Condition> conditions =
        DrainCondition.apply(
            agent.getStatus() == null ? null : agent.getStatus().conditions(), desired);
    if (conditions != null) {
      write(agent.getMetadata().getResourceVersion(), conditions);
    }
    lookAgainEverySecond(down || conditions != null);
  }

  // An exception must neither end the periodic look (a scheduled task that throws is not run
  // again) nor vanish: it is logged, and the next event or look tries again.
  private void syncQuietly() {
    try {
      sync();
    } catch (RuntimeException e) {
      LOG.warn("Applying the agent's maintenance failed; trying again", e);
    }
  }

  private void remove(boolean andEmptyParents) {
    removing = true;
    housekeeping.execute(
        () -> {
          List<Path> left;
          try {
            left = cgroups.removeOwn(andEmptyParents);
          } catch (RuntimeException e) {
            LOG.warn("Removing the agent's cgroups failed", e);
            left = List.of(Path.of(cgroups.root()));
          }
          if (left.isEmpty()) {
            LOG.info("No task is left on this agent; its cgroups are removed");
          } else {
            LOG.warn("No task is left on this agent; cgroups still in use stay: {}", left);
          }
          List<Path> result = left;
          tasksThread.execute(
              () -> {
                removing = false;
                cgroupsLeft = result;
                syncQuietly();
              });
        });
  }

  private void write(String resourceVersion, List<Condition> conditions) {
    // A merge patch replaces the list; the resourceVersion makes it conditional, so that it never
    // overwrites a condition written meanwhile (the operator's Reachable, say). On a conflict the
    // informer brings the newer Agent, and sync() computes the list again.
    Map<String, Object> patch =
        Map.of(
            "metadata", Map.of("resourceVersion", resourceVersion),
            "status", Map.of("conditions", conditions));
    statusThread.execute(
        () -> {
          try {
            client
                .resources(Agent.class)
                .withName(name)
                .subresource("status")
                .patch(
                    PatchContext.of(PatchType.JSON_MERGE),
                    client.getKubernetesSerialization().asJson(patch));
          } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
              LOG.debug("Drained condition not written: the Agent changed meanwhile");
            } else {
              LOG.warn("Cannot write the Drained condition; trying again: {}", e.getMessage());
            }
          }
        });
  }

  private void lookAgainEverySecond(boolean needed) {
    if (needed && poll == null) {
      poll = tasksThread.scheduleWithFixedDelay(this::syncQuietly, 1, 1, TimeUnit.SECONDS);
    } else if (!needed && poll != null) {
      poll.cancel(false);
      poll = null;
    }
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.stop();
    }
  }
}
