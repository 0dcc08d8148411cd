package io.mesokube.operator.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.mesokube.allocator.AgentInfo;
import io.mesokube.allocator.AllocatorOptions;
import io.mesokube.allocator.FrameworkInfo;
import io.mesokube.allocator.HierarchicalAllocator;
import io.mesokube.allocator.resources.Resources;
import io.mesokube.api.v1alpha1.framework.Framework;
import io.mesokube.api.v1alpha1.offer.Offer;
import io.mesokube.api.v1alpha1.offer.OfferSpec;
import io.mesokube.api.v1alpha1.task.Reasons;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskState;
import io.mesokube.e2e.controlplane.ControlPlaneExtension;
import io.mesokube.e2e.controlplane.TestCluster;
import io.mesokube.operator.cluster.ClusterWriter;
import io.mesokube.operator.cluster.Events;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An offer the framework answers while the operator rescinds it, against a real API server. The
 * operator reads offers from its informer, so the copy it settles can be unanswered while the
 * answer has already landed; rescinding that copy must not delete the answer with it, or the
 * framework's tasks are neither created nor reported and its scheduler waits for them forever.
 */
@ExtendWith(ControlPlaneExtension.class)
class OfferSettlementIT {
  private static final String AGENT = "settle-it-a1";
  private static final String ROLE = "settle";
  private static final Instant MADE = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant EXPIRY = MADE.plusSeconds(10);
  private static final Instant AFTER_EXPIRY = EXPIRY.plusSeconds(1);
  private static final String LAUNCH =
      """
      {"spec": {"answer": {"type": "Accept", "operations": [{"type": "LAUNCH", "launch": {"tasks": [
        {"name": "%s", "spec": {"framework": "fw", "resources": {"cpus": 0.5, "mem": 64},
          "command": {"shell": "true"}}}]}}]}}}
      """;

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final HierarchicalAllocator allocator =
      new HierarchicalAllocator(AllocatorOptions.defaults());
  private final OfferBook book = new OfferBook();
  private AllocationState.Counters counters;
  private OfferSettlement settlement;
  private ClusterWriter writer;
  private KubernetesClient client;
  private Framework framework;
  private String frameworkId;

  @BeforeEach
  void setUp(TestCluster cluster) {
    client = cluster.client();
    cluster
        .controlPlane()
        .applyOk(
            cluster.namespace(),
            """
            apiVersion: mesokube.io/v1alpha1
            kind: Framework
            metadata: {name: fw}
            spec: {scheduler: Offers, roles: [%s]}
            """
                .formatted(ROLE));
    framework = client.resources(Framework.class).withName("fw").get();
    frameworkId = Keys.of(framework);
    allocator.addFramework(new FrameworkInfo(frameworkId, Set.of(ROLE), Set.of()));
    allocator.addAgent(new AgentInfo(AGENT, Resources.parse("cpus:2;mem:1024"), Map.of()));
    writer = new ClusterWriter(client, new Events(client));
    counters =
        new AllocationState.Counters(
            counter("made"),
            counter("accepted"),
            counter("declined"),
            counter("rescinded"),
            counter("invalid"),
            counter("launched"));
    settlement = new OfferSettlement(allocator, book, new TaskLedger(), writer, counters);
  }

  @Test
  void anAnswerThatLandsAsTheOfferExpiresIsLaunchedNotDeleted() {
    Offer unanswered = offer("fw-1-1", true);
    answer(unanswered, "t-1");

    // The informer still shows the offer unanswered, and it has expired.
    settle(List.of(unanswered));

    assertThat(client.resources(Offer.class).withName("fw-1-1").get())
        .as("the answered offer is kept")
        .isNotNull();
    assertThat(book.get(Keys.of(unanswered))).as("and still held").isNotNull();
    assertThat(counters.rescinded().count()).isZero();

    // Once the informer shows the answer, it is settled: the launch happens.
    settle(List.of(fresh(unanswered)));

    Task task = client.resources(Task.class).withName("t-1").get();
    assertThat(task).as("the accepted task").isNotNull();
    assertThat(task.getSpec().agent()).isEqualTo(AGENT);
    assertThat(client.resources(Offer.class).withName("fw-1-1").get()).isNull();
    assertThat(counters.accepted().count()).isOne();
  }

  @Test
  void anAnswerToAnOfferTheInformerNeverShowedIsNotDeletedWhenItExpires() {
    Offer unanswered = offer("fw-1-2", true);
    answer(unanswered, "t-2");

    settle(List.of());

    assertThat(client.resources(Offer.class).withName("fw-1-2").get()).isNotNull();
    assertThat(book.get(Keys.of(unanswered))).isNotNull();

    settle(List.of(fresh(unanswered)));

    assertThat(client.resources(Task.class).withName("t-2").get()).isNotNull();
    assertThat(counters.accepted().count()).isOne();
  }

  @Test
  void anExpiredOfferLeftUnansweredIsRescindedAndWhatItHeldIsOfferedAgain() {
    Offer unanswered = offer("fw-1-3", true);
    Resources held = book.get(Keys.of(unanswered)).offered();

    settle(List.of(unanswered));

    assertThat(client.resources(Offer.class).withName("fw-1-3").get()).isNull();
    assertThat(book.size()).isZero();
    assertThat(counters.rescinded().count()).isOne();
    assertThat(allocator.allocate().offers())
        .as("its resources are offered again")
        .singleElement()
        .satisfies(offer -> assertThat(offer.resources()).isEqualTo(held));
  }

  @Test
  void anAnswerThatLandsAsAnEarlierLeadersOfferIsDeletedIsDroppedNotLost() {
    // Made by an earlier leader: not in this leader's book.
    Offer stale = offer("fw-0-1", false);
    answer(stale, "t-3");

    settle(List.of(stale));

    assertThat(client.resources(Offer.class).withName("fw-0-1").get()).isNotNull();

    settle(List.of(fresh(stale)));

    Task task = client.resources(Task.class).withName("t-3").get();
    assertThat(task).as("the framework hears of the task").isNotNull();
    assertThat(task.getStatus().state()).isEqualTo(TaskState.TASK_DROPPED);
    assertThat(task.getStatus().reason()).isEqualTo(Reasons.INVALID_OFFERS);
    assertThat(client.resources(Offer.class).withName("fw-0-1").get()).isNull();
  }

  /**
   * Creates an offer of everything on the agent, as the leader makes them; entered in its book (and
   * allocated) if {@code ours}.
   */
  private Offer offer(String name, boolean ours) {
    Resources offered;
    if (ours) {
      var allocation = allocator.allocate().offers();
      assertThat(allocation).hasSize(1);
      offered = allocation.get(0).resources();
    } else {
      offered = Resources.parse("cpus:1;mem:256");
    }
    var spec =
        new OfferSpec(
            "fw",
            AGENT,
            AGENT + ".local",
            ROLE,
            ResourceMapping.fromAllocator(offered),
            Map.of(),
            ours ? 1L : 0L,
            EXPIRY.toString(),
            null);
    Offer created = writer.createOffer(framework, name, spec);
    if (ours) {
      book.add(
          new OfferBook.Entry(
              created.getMetadata().getNamespace(),
              name,
              created.getMetadata().getResourceVersion(),
              frameworkId,
              AGENT,
              ROLE,
              offered,
              EXPIRY));
    }
    return created;
  }

  private void answer(Offer offer, String taskName) {
    client
        .resources(Offer.class)
        .withName(offer.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), LAUNCH.formatted(taskName));
  }

  private Offer fresh(Offer offer) {
    return client.resources(Offer.class).withName(offer.getMetadata().getName()).get();
  }

  private void settle(List<Offer> offers) {
    List<Task> tasks = client.resources(Task.class).list().getItems();
    settlement.settle(offers, Map.of(frameworkId, framework), tasks, AFTER_EXPIRY);
  }

  private Counter counter(String name) {
    return Counter.builder("test_" + name).register(meters);
  }
}
