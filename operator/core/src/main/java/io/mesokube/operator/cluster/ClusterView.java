package io.mesokube.operator.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.mesokube.api.Mesokube;
import io.mesokube.api.v1alpha1.agent.Agent;
import io.mesokube.api.v1alpha1.framework.Framework;
import io.mesokube.api.v1alpha1.offer.Offer;
import io.mesokube.api.v1alpha1.role.RolePolicy;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.operator.config.MesokubeConfig;
import io.mesokube.operator.leader.Leadership;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster as the allocation loop reads it: informer caches of every Mesokube kind and of the
 * frameworks' Leases, started on every replica so that a new leader has them warm.
 *
 * <p>These informers are separate from Java Operator SDK's, whose caches serve the reconcilers: the
 * allocation loop needs a consistent snapshot of all kinds at once, which the per-controller caches
 * do not offer. It costs one more watch per kind on the API server.
 */
@ApplicationScoped
public class ClusterView {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterView.class);
  private static final long RESYNC_MILLIS = 0;

  /** Index of the task cache by the agent a task is bound to. */
  private static final String BY_AGENT = "agent";

  private final KubernetesClient client;
  private final MesokubeConfig config;
  private final Sightings sightings;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<Task>> taskListeners = new CopyOnWriteArrayList<>();
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private SharedIndexInformer<Agent> agents;
  private SharedIndexInformer<Framework> frameworks;
  private SharedIndexInformer<Offer> offers;
  private SharedIndexInformer<Task> tasks;
  private SharedIndexInformer<RolePolicy> rolePolicies;
  private SharedIndexInformer<Lease> frameworkLeases;
  private SharedIndexInformer<Lease> agentLeases;

  ClusterView(KubernetesClient client, MesokubeConfig config, Leadership leadership) {
    this.client = client;
    this.config = config;
    this.sightings = new Sightings(Clock.systemUTC(), leadership::leadingSince);
  }

  void start(@Observes StartupEvent event) {
    agents = inform(client.resources(Agent.class).runnableInformer(RESYNC_MILLIS));
    rolePolicies = inform(client.resources(RolePolicy.class).runnableInformer(RESYNC_MILLIS));
    frameworks =
        inform(client.resources(Framework.class).inAnyNamespace().runnableInformer(RESYNC_MILLIS));
    offers =
        inform(
            client
                .resources(Offer.class)
                .inAnyNamespace()
                .withLabel(Mesokube.LABEL_MANAGED_BY, Mesokube.MANAGED_BY)
                .runnableInformer(RESYNC_MILLIS));
    tasks = inform(client.resources(Task.class).inAnyNamespace().runnableInformer(RESYNC_MILLIS));
    // Agent reconciles read one agent's tasks per event; a scan of every task would not scale.
    tasks.addIndexers(
        Map.of(
            BY_AGENT,
            t ->
                t.getSpec() == null || t.getSpec().agent() == null
                    ? List.of()
                    : List.of(t.getSpec().agent())));
    tasks.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Task task) {
            taskChanged(task);
          }

          @Override
          public void onUpdate(Task before, Task after) {
            // Both: a task may have moved between agents (bound, or rebound by hand).
            taskChanged(before);
            taskChanged(after);
          }

          @Override
          public void onDelete(Task task, boolean deletedFinalStateUnknown) {
            taskChanged(task);
          }
        });
    frameworkLeases =
        inform(
            client
                .leases()
                .inAnyNamespace()
                .withLabel(Mesokube.LABEL_FRAMEWORK)
                .runnableInformer(RESYNC_MILLIS));
    // The agents' heartbeats, on every replica: a new leader knows which agents it saw renew. Not
    // through inform(): a renewal every few seconds per agent must not run an allocation pass;
    // only an agent seen renewing again does.
    agentLeases =
        client
            .leases()
            .inNamespace(config.agents().leaseNamespace())
            .withLabel(Mesokube.LABEL_AGENT)
            .runnableInformer(RESYNC_MILLIS);
    agentLeases.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Lease lease) {
            if (sightings.observe(lease)) {
              changed();
            }
          }

          @Override
          public void onUpdate(Lease before, Lease after) {
            if (sightings.observe(after)) {
              changed();
            }
          }

          @Override
          public void onDelete(Lease lease, boolean deletedFinalStateUnknown) {}
        });
    informers.add(agentLeases);
    CompletableFuture.allOf(
            informers.stream().map(SharedIndexInformer::start).toArray(CompletableFuture[]::new))
        .orTimeout(2, TimeUnit.MINUTES)
        .join();
    LOG.info(
        "Cluster view synced: {} agents, {} frameworks, {} tasks",
        agents().size(),
        frameworks().size(),
        tasks().size());
  }

  void stop(@Observes ShutdownEvent event) {
    informers.forEach(SharedIndexInformer::close);
  }

  private <T extends HasMetadata> SharedIndexInformer<T> inform(SharedIndexInformer<T> informer) {
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(T obj) {
            changed();
          }

          @Override
          public void onUpdate(T oldObj, T newObj) {
            changed();
          }

          @Override
          public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            changed();
          }
        });
    informers.add(informer);
    return informer;
  }

  private void changed() {
    for (Runnable listener : listeners) {
      listener.run();
    }
  }

  /** Runs {@code listener} on every change of any watched object (on an informer thread). */
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  /**
   * Runs {@code listener} with every Task added, changed (before and after the change) or deleted,
   * on an informer thread.
   */
  public void onTaskChange(Consumer<Task> listener) {
    taskListeners.add(listener);
  }

  private void taskChanged(Task task) {
    for (Consumer<Task> listener : taskListeners) {
      listener.accept(task);
    }
  }

  /** Every Agent. */
  public List<Agent> agents() {
    return agents.getStore().list();
  }

  /** Every Framework. */
  public List<Framework> frameworks() {
    return frameworks.getStore().list();
  }

  /** A Framework by namespace and name, or null. */
  public Framework framework(String namespace, String name) {
    return frameworks.getStore().getByKey(namespace + "/" + name);
  }

  /** Every Offer the operator made. */
  public List<Offer> offers() {
    return offers.getStore().list();
  }

  /** Every Task. */
  public List<Task> tasks() {
    return tasks.getStore().list();
  }

  /** The tasks bound to an agent ({@code spec.agent}), in any state. */
  public List<Task> tasksOn(String agent) {
    return tasks.getIndexer().byIndex(BY_AGENT, agent);
  }

  /** Every RolePolicy. */
  public List<RolePolicy> rolePolicies() {
    return rolePolicies.getStore().list();
  }

  /** What this replica saw of the agents' heartbeats. */
  public Sightings sightings() {
    return sightings;
  }

  /** The scheduler Lease of a framework, if any. */
  public Lease frameworkLease(String namespace, String framework) {
    return frameworkLeases
        .getStore()
        .getByKey(namespace + "/" + Mesokube.frameworkLeaseName(framework));
  }
}
