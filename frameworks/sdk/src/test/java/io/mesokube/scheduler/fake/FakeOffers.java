package io.mesokube.scheduler.fake;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.mesokube.api.Mesokube;
import io.mesokube.api.v1alpha1.common.Resources;
import io.mesokube.api.v1alpha1.framework.Framework;
import io.mesokube.api.v1alpha1.framework.SchedulerType;
import io.mesokube.api.v1alpha1.offer.Offer;
import io.mesokube.api.v1alpha1.offer.OfferAnswer;
import io.mesokube.api.v1alpha1.offer.OfferOperation;
import io.mesokube.api.v1alpha1.offer.OfferSpec;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskSpec;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator half of {@link FakeOperator}: registration, offers and answers. Keeps its own record
 * of outstanding offers and launched tasks, because its informers lag behind its writes. Confined
 * to the fake operator's thread.
 */
final class FakeOffers {

  private static final Logger LOG = LoggerFactory.getLogger(FakeOffers.class);

  private final KubernetesClient client;
  private final String namespace;
  private final List<FakeAgent> agents;
  private final Map<String, Framework> frameworks = new HashMap<>();
  private final Map<String, Offer> outstanding = new HashMap<>();
  private final Map<String, Instant> filters = new HashMap<>();
  private final Map<String, Task> launched = new HashMap<>();
  private final Set<String> answered = new HashSet<>();
  private final AtomicInteger made = new AtomicInteger();
  private final List<String> launchedNames = new CopyOnWriteArrayList<>();
  private volatile boolean paused;

  FakeOffers(KubernetesClient client, String namespace, List<FakeAgent> agents) {
    this.client = client;
    this.namespace = namespace;
    this.agents = List.copyOf(agents);
  }

  void paused(boolean paused) {
    this.paused = paused;
  }

  int made() {
    return made.get();
  }

  List<String> launchedNames() {
    return List.copyOf(launchedNames);
  }

  /** Registers a framework that has no framework id yet (Mesos SUBSCRIBED). */
  void frameworkObserved(Framework framework) {
    var name = framework.getMetadata().getName();
    var previous = frameworks.put(name, framework);
    if (previous != null && revived(previous, framework)) {
      // Mesos' REVIVE also removes the framework's offer filters.
      filters.keySet().removeIf(key -> key.startsWith(name + "/"));
    }
    var status = framework.getStatus();
    if (status != null && status.frameworkId() != null) {
      return;
    }
    var registered =
        Map.of(
            "phase",
            "Active",
            "frameworkId",
            "fake-" + framework.getMetadata().getUid(),
            "connected",
            true,
            "registeredTime",
            Instant.now().toString());
    client
        .resources(Framework.class)
        .inNamespace(namespace)
        .withName(framework.getMetadata().getName())
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), json(Map.of("status", registered)));
  }

  /** Notes tasks finishing (their resources return) and handles answers. */
  void offerObserved(Offer offer) {
    var answer = offer.getSpec().answer();
    if (answer == null || !answered.add(offer.getMetadata().getUid())) {
      return;
    }
    var key = key(offer.getSpec().framework(), offer.getSpec().agent());
    if (answer.type() == OfferAnswer.Type.Accept && answer.operations() != null) {
      answer.operations().stream()
          .filter(operation -> operation.launch() != null)
          .flatMap(operation -> operation.launch().tasks().stream())
          .forEach(template -> launch(offer, template));
    } else if (answer.type() == OfferAnswer.Type.Decline) {
      var refuse = answer.refuseSeconds() == null ? 5.0 : answer.refuseSeconds();
      filters.put(key, Instant.now().plusMillis((long) (refuse * 1000)));
    }
    outstanding.remove(key);
    client.resource(offer).delete();
  }

  /** One allocation cycle: an offer of each agent's free resources to each framework. */
  void allocate() {
    if (paused) {
      return;
    }
    for (var framework : frameworks.values()) {
      var role = unsuppressedRole(framework);
      if (role == null) {
        continue;
      }
      for (var agent : agents) {
        var key = key(framework.getMetadata().getName(), agent.name());
        var filter = filters.get(key);
        var free = free(agent);
        if (outstanding.containsKey(key)
            || (filter != null && filter.isAfter(Instant.now()))
            || free.cpus() < 0.01
            || free.mem() < 1) {
          continue;
        }
        outstanding.put(key, offer(framework, agent, role, free));
      }
    }
  }

  /** Marks an offer Rescinded and deletes it. */
  void rescind(String offerName) {
    outstanding.values().removeIf(offer -> offer.getMetadata().getName().equals(offerName));
    var offer = client.resources(Offer.class).inNamespace(namespace).withName(offerName);
    offer
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"phase\":\"Rescinded\"}}");
    offer.delete();
  }

  /** Called with the fake agents' task updates, so finished tasks free their resources. */
  void taskObserved(Task task) {
    if (task.getStatus() != null
        && task.getStatus().state() != null
        && task.getStatus().state().isTerminal()) {
      launched.remove(task.getMetadata().getName());
    }
  }

  private static boolean revived(Framework before, Framework after) {
    var was = before.getSpec().suppressedRoles();
    var is = after.getSpec().suppressedRoles();
    return was != null && !was.isEmpty() && (is == null || !is.containsAll(was));
  }

  /**
   * Whether this fake sees every role of {@code name} suppressed (false if it does not know it).
   */
  boolean suppressedEntirely(String name) {
    var framework = frameworks.get(name);
    return framework != null
        && framework.getSpec().suppressedRoles() != null
        && framework.getSpec().suppressedRoles().containsAll(framework.getSpec().roles());
  }

  private String unsuppressedRole(Framework framework) {
    var status = framework.getStatus();
    if (status == null
        || status.frameworkId() == null
        || framework.getSpec().scheduler() != SchedulerType.Offers) {
      return null;
    }
    var suppressed = framework.getSpec().suppressedRoles();
    return framework.getSpec().roles().stream()
        .filter(role -> suppressed == null || !suppressed.contains(role))
        .findFirst()
        .orElse(null);
  }

  private Resources free(FakeAgent agent) {
    double cpus = agent.resources().cpus();
    double mem = agent.resources().mem();
    for (var task : launched.values()) {
      if (agent.name().equals(task.getSpec().agent())) {
        cpus -= value(task.getSpec().resources().cpus());
        mem -= value(task.getSpec().resources().mem());
      }
    }
    for (var offer : outstanding.values()) {
      if (agent.name().equals(offer.getSpec().agent())) {
        cpus -= value(offer.getSpec().resources().cpus());
        mem -= value(offer.getSpec().resources().mem());
      }
    }
    return Resources.of(cpus, mem);
  }

  private Offer offer(Framework framework, FakeAgent agent, String role, Resources free) {
    var name =
        framework.getMetadata().getName() + "-" + agent.name() + "-" + made.incrementAndGet();
    var offer = new Offer();
    offer.getMetadata().setName(name);
    offer.getMetadata().setNamespace(namespace);
    offer
        .getMetadata()
        .setLabels(
            Map.of(
                Mesokube.LABEL_FRAMEWORK, framework.getMetadata().getName(),
                Mesokube.LABEL_AGENT, agent.name()));
    offer.getMetadata().setOwnerReferences(List.of(FakeOperator.ownerReference(framework)));
    offer.setSpec(
        new OfferSpec(
            framework.getMetadata().getName(),
            agent.name(),
            agent.name(),
            role,
            free,
            Map.of(),
            1L,
            Instant.now().plusSeconds(3600).toString(),
            null));
    LOG.debug("fake operator: offer {}", name);
    return client.resource(offer).create();
  }

  private void launch(Offer offer, OfferOperation.TaskTemplate template) {
    var framework = frameworks.get(offer.getSpec().framework());
    var labels = new HashMap<String, String>();
    if (template.labels() != null) {
      labels.putAll(template.labels());
    }
    labels.put(Mesokube.LABEL_FRAMEWORK, offer.getSpec().framework());
    labels.put(Mesokube.LABEL_AGENT, offer.getSpec().agent());
    var s = template.spec();
    var task = new Task();
    task.getMetadata().setName(template.name());
    task.getMetadata().setNamespace(namespace);
    task.getMetadata().setLabels(labels);
    task.getMetadata().setOwnerReferences(List.of(FakeOperator.ownerReference(framework)));
    task.setSpec(
        new TaskSpec(
            s.framework(),
            s.role() == null ? offer.getSpec().role() : s.role(),
            s.resources(),
            s.command(),
            s.container(),
            s.healthCheck(),
            s.killPolicy(),
            offer.getSpec().agent(),
            offer.getMetadata().getName(),
            s.kill()));
    launched.put(template.name(), client.resource(task).create());
    launchedNames.add(template.name());
  }

  private static double value(Double amount) {
    return amount == null ? 0 : amount;
  }

  private static String key(String framework, String agent) {
    return framework + "/" + agent;
  }

  private String json(Object value) {
    return client.getKubernetesSerialization().asJson(value);
  }
}
