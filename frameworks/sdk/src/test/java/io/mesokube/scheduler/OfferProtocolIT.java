package io.mesokube.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mesokube.api.Mesokube;
import io.mesokube.api.v1alpha1.offer.Offer;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskState;
import io.mesokube.e2e.controlplane.ControlPlaneExtension;
import io.mesokube.e2e.controlplane.TestCluster;
import io.mesokube.scheduler.fake.FakeAgent;
import io.mesokube.scheduler.fake.FakeOperator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Offers, answers, kills and status updates against an API server and a fake operator. */
@ExtendWith(ControlPlaneExtension.class)
class OfferProtocolIT {

  private static final Duration QUIET = Duration.ofMillis(700);

  private TestCluster cluster;
  private Harness harness;

  @BeforeEach
  void setUp(TestCluster cluster) {
    this.cluster = cluster;
    this.harness = new Harness(cluster);
  }

  @AfterEach
  void tearDown() {
    harness.close();
  }

  private List<Task> tasks() {
    return cluster
        .client()
        .resources(Task.class)
        .withLabel(Mesokube.LABEL_FRAMEWORK, "fw")
        .list()
        .getItems();
  }

  private static List<String> names(List<Offer> offers) {
    return offers.stream().map(offer -> offer.getMetadata().getName()).toList();
  }

  @Test
  void offersArriveOnceAndRescindsAreReported() {
    var fake = harness.fake(FakeAgent.of("agent-1", 2, 2048), FakeAgent.of("agent-2", 2, 2048));
    var scheduler = new RecordingScheduler();
    harness.start("fw", scheduler);

    await().untilAsserted(() -> assertThat(scheduler.offers).hasSize(2));
    var first = scheduler.offers.getFirst().getMetadata().getName();
    // A change to an offer that is not an answer does not deliver it again.
    cluster
        .client()
        .resources(Offer.class)
        .withName(first)
        .edit(
            offer -> {
              offer.getMetadata().getLabels().put("touched", "yes");
              return offer;
            });
    await()
        .during(QUIET)
        .untilAsserted(
            () -> assertThat(names(scheduler.offers)).doesNotHaveDuplicates().hasSize(2));

    fake.rescind(first);
    await().untilAsserted(() -> assertThat(scheduler.rescinded).containsExactly(first));
    // The fake offers the agent again; the new offer is a new offer.
    await().untilAsserted(() -> assertThat(scheduler.offers).hasSize(3));
    await().during(QUIET).untilAsserted(() -> assertThat(scheduler.rescinded).hasSize(1));
  }

  @Test
  void acceptWithSeveralLaunchesCreatesEveryTask() {
    var fake =
        harness.track(
            new FakeOperator(
                    cluster.client(),
                    cluster.namespace(),
                    List.of(FakeAgent.of("agent-1", 4, 4096)),
                    task -> null)
                .start());
    var scheduler = new RecordingScheduler();
    scheduler.onOffers(
        Harness.launchOnce(Harness.task("t-1"), Harness.task("t-2"), Harness.task("t-3")));
    harness.start("fw", scheduler);

    await().untilAsserted(() -> assertThat(tasks()).hasSize(3));
    var framework =
        cluster
            .client()
            .resources(io.mesokube.api.v1alpha1.framework.Framework.class)
            .withName("fw")
            .get();
    assertThat(tasks())
        .allSatisfy(
            task -> {
              assertThat(task.getSpec().agent()).isEqualTo("agent-1");
              assertThat(task.getSpec().framework()).isEqualTo("fw");
              assertThat(task.getSpec().offer())
                  .isEqualTo(scheduler.offers.getFirst().getMetadata().getName());
              assertThat(task.getMetadata().getOwnerReferences().getFirst().getUid())
                  .isEqualTo(framework.getMetadata().getUid());
            });
    await()
        .untilAsserted(
            () ->
                assertThat(scheduler.updates)
                    .filteredOn(u -> u.state() == TaskState.TASK_RUNNING)
                    .hasSize(3));
    assertThat(fake.offersMade()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void declineDeletesTheOfferAndFiltersTheAgent() {
    var fake = harness.fake(FakeAgent.of("agent-1", 1, 1024));
    var scheduler = new RecordingScheduler();
    scheduler.onOffers(
        (driver, offers) ->
            offers.forEach(o -> driver.declineOffer(o.getMetadata().getName(), 3600)));
    harness.start("fw", scheduler);

    await().untilAsserted(() -> assertThat(scheduler.offers).hasSize(1));
    await()
        .untilAsserted(
            () -> assertThat(cluster.client().resources(Offer.class).list().getItems()).isEmpty());
    await().during(QUIET).untilAsserted(() -> assertThat(fake.offersMade()).isEqualTo(1));
    assertThat(scheduler.rescinded).isEmpty();
  }

  @Test
  void killSetsSpecKillAndTheTaskEndsKilled() {
    harness.track(
        new FakeOperator(
                cluster.client(),
                cluster.namespace(),
                List.of(FakeAgent.of("agent-1", 1, 1024)),
                task -> null)
            .start());
    var scheduler = new RecordingScheduler();
    scheduler.onOffers(Harness.launchOnce(Harness.task("long")));
    var driver = harness.start("fw", scheduler);
    await()
        .untilAsserted(() -> assertThat(scheduler.states("long")).contains(TaskState.TASK_RUNNING));

    driver.killTask("long");

    assertThat(cluster.client().resources(Task.class).withName("long").get().getSpec().kill())
        .isTrue();
    await()
        .untilAsserted(
            () ->
                assertThat(scheduler.states("long"))
                    .containsExactly(
                        TaskState.TASK_STAGING, TaskState.TASK_RUNNING, TaskState.TASK_KILLED));
  }

  @Test
  void killOfAnUnknownTaskReportsTaskUnknown() {
    var scheduler = new RecordingScheduler();
    var driver = harness.start("fw", scheduler);

    driver.killTask("no-such-task");

    await()
        .untilAsserted(
            () ->
                assertThat(scheduler.states("no-such-task"))
                    .containsExactly(TaskState.TASK_UNKNOWN));
  }

  @Test
  void statusUpdatesArriveInOrderAndOnce() {
    harness.fake(FakeAgent.of("agent-1", 2, 2048));
    var scheduler = new RecordingScheduler();
    scheduler.onOffers(Harness.launchOnce(Harness.task("a"), Harness.task("b"), Harness.task("c")));
    harness.start("fw", scheduler);

    var lifecycle =
        List.of(TaskState.TASK_STAGING, TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);
    await()
        .untilAsserted(
            () ->
                assertThat(List.of("a", "b", "c"))
                    .allSatisfy(task -> assertThat(scheduler.states(task)).isEqualTo(lifecycle)));
    await().during(QUIET).untilAsserted(() -> assertThat(scheduler.updates).hasSize(9));
    assertThat(scheduler.updates)
        .filteredOn(u -> u.state() == TaskState.TASK_FINISHED)
        .allSatisfy(u -> assertThat(u.exitCode()).isZero());
  }

  @Test
  void acceptOfAVanishedOfferDropsItsTasks() {
    var fake = harness.fake(FakeAgent.of("agent-1", 1, 1024));
    var scheduler = new RecordingScheduler();
    scheduler.onOffers(
        (driver, offers) -> {
          if (scheduler.offers.size() == offers.size()) {
            var name = offers.getFirst().getMetadata().getName();
            cluster.client().resources(Offer.class).withName(name).delete();
            await()
                .until(() -> cluster.client().resources(Offer.class).withName(name).get() == null);
            driver.launchTasks(List.of(name), List.of(Harness.task("late")), 0);
          }
        });
    harness.start("fw", scheduler);

    await()
        .untilAsserted(
            () ->
                assertThat(scheduler.updates)
                    .singleElement()
                    .satisfies(
                        u -> {
                          assertThat(u.taskName()).isEqualTo("late");
                          assertThat(u.state()).isEqualTo(TaskState.TASK_DROPPED);
                          assertThat(u.reason()).isEqualTo(TaskStatusUpdate.REASON_INVALID_OFFERS);
                        }));
    assertThat(tasks()).isEmpty();
    assertThat(fake.offersMade()).isPositive();
  }
}
