package io.mesokube.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.mesokube.api.Mesokube;
import io.mesokube.api.v1alpha1.framework.Framework;
import io.mesokube.api.v1alpha1.framework.FrameworkCapability;
import io.mesokube.api.v1alpha1.framework.SchedulerType;
import io.mesokube.api.v1alpha1.task.TaskState;
import io.mesokube.e2e.controlplane.ControlPlaneExtension;
import io.mesokube.e2e.controlplane.TestCluster;
import io.mesokube.scheduler.fake.FakeAgent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Registration, the Lease, failover, SUPPRESS/REVIVE and reconciliation against an API server. */
@ExtendWith(ControlPlaneExtension.class)
class SchedulerDriverIT {

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

  private Framework framework(String name) {
    return cluster.client().resources(Framework.class).withName(name).get();
  }

  private Lease lease(String name) {
    return cluster.client().leases().withName(Mesokube.frameworkLeaseName(name)).get();
  }

  @Test
  void registersAndRenewsItsLease() {
    harness.fake(FakeAgent.of("agent-1", 1, 1024));
    var scheduler = new RecordingScheduler();
    var driver = harness.start("fw", scheduler, config -> config.instanceId("instance-a"));

    assertThat(driver.status()).isEqualTo(DriverStatus.DRIVER_RUNNING);
    await().untilAsserted(() -> assertThat(scheduler.registrations).hasSize(1));
    var framework = framework("fw");
    assertThat(scheduler.registrations).containsExactly(framework.getStatus().frameworkId());
    assertThat(framework.getSpec().scheduler()).isEqualTo(SchedulerType.Offers);
    assertThat(framework.getMetadata().getLabels()).containsEntry(Mesokube.LABEL_FRAMEWORK, "fw");

    var lease = lease("fw");
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("instance-a");
    assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(2);
    assertThat(lease.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(owner -> assertThat(owner.getUid()).isEqualTo(framework.getMetadata().getUid()));
    var firstRenewal = lease.getSpec().getRenewTime();
    await()
        .untilAsserted(
            () -> assertThat(lease("fw").getSpec().getRenewTime()).isAfter(firstRenewal));
    assertThat(scheduler.threads).containsOnly("mesokube-scheduler-fw");
  }

  @Test
  void anotherInstanceTakesOverAndTheFirstLearnsItFailedOver() {
    harness.fake(FakeAgent.of("agent-1", 1, 1024));
    var first = new RecordingScheduler();
    var firstDriver = harness.start("fw", first, config -> config.instanceId("instance-a"));
    await().untilAsserted(() -> assertThat(first.registrations).hasSize(1));

    var second = new RecordingScheduler();
    harness.start("fw", second, config -> config.instanceId("instance-b"));

    await().untilAsserted(() -> assertThat(second.registrations).isEqualTo(first.registrations));
    await()
        .untilAsserted(
            () -> assertThat(first.errors).singleElement().asString().contains("failed over"));
    assertThat(firstDriver.status()).isEqualTo(DriverStatus.DRIVER_ABORTED);
    assertThat(lease("fw").getSpec().getHolderIdentity()).isEqualTo("instance-b");
    assertThat(lease("fw").getSpec().getLeaseTransitions()).isEqualTo(1);
  }

  @Test
  void aNewInstanceSeesExistingTasksAtTheirLatestStateOnly() {
    harness.fake(FakeAgent.of("agent-1", 1, 1024));
    var first = new RecordingScheduler();
    first.onOffers(Harness.launchOnce(Harness.task("done")));
    var firstDriver = harness.start("fw", first);
    await().untilAsserted(() -> assertThat(first.states("done")).contains(TaskState.TASK_FINISHED));
    assertThat(firstDriver.stop(true)).isEqualTo(DriverStatus.DRIVER_STOPPED);
    assertThat(framework("fw")).isNotNull();

    var second = new RecordingScheduler();
    harness.start("fw", second);

    await()
        .during(Duration.ofMillis(700))
        .untilAsserted(
            () -> assertThat(second.states("done")).containsExactly(TaskState.TASK_FINISHED));
    assertThat(second.registrations).isEqualTo(first.registrations);
  }

  @Test
  void suppressAndReviveEditSuppressedRoles() {
    var driver =
        harness.start(
            "fw",
            new RecordingScheduler(),
            config -> config.roles("web", "batch").capabilities(FrameworkCapability.MULTI_ROLE));

    driver.suppressOffers(List.of("batch"));
    assertThat(framework("fw").getSpec().suppressedRoles()).containsExactly("batch");
    driver.suppressOffers(List.of());
    assertThat(framework("fw").getSpec().suppressedRoles())
        .containsExactlyInAnyOrder("web", "batch");
    driver.reviveOffers(List.of("web"));
    assertThat(framework("fw").getSpec().suppressedRoles()).containsExactly("batch");
    driver.reviveOffers(List.of());
    assertThat(framework("fw").getSpec().suppressedRoles()).isEmpty();
  }

  @Test
  void suppressedFrameworkGetsNoOffersUntilRevived() {
    var fake = harness.fake(FakeAgent.of("agent-1", 1, 1024));
    fake.pauseOffers(true);
    var scheduler = new RecordingScheduler();
    var driver = harness.start("fw", scheduler);
    await().untilAsserted(() -> assertThat(scheduler.registrations).hasSize(1));
    driver.suppressOffers(List.of());
    // The fake's informer must see the suppression before it may offer again.
    await().until(() -> fake.seesSuppressed("fw"));
    fake.pauseOffers(false);

    await()
        .during(Duration.ofMillis(700))
        .untilAsserted(() -> assertThat(scheduler.offers).isEmpty());
    driver.reviveOffers(List.of());
    await().untilAsserted(() -> assertThat(scheduler.offers).hasSize(1));
  }

  @Test
  void explicitReconciliationReportsUnknownTasks() {
    harness.fake(FakeAgent.of("agent-1", 1, 1024));
    var scheduler = new RecordingScheduler();
    scheduler.onOffers(Harness.launchOnce(Harness.task("known")));
    var driver = harness.start("fw", scheduler);
    await()
        .untilAsserted(
            () -> assertThat(scheduler.states("known")).contains(TaskState.TASK_FINISHED));
    driver.reconcileTasks(List.of("known", "never-launched"));

    await()
        .untilAsserted(
            () ->
                assertThat(scheduler.updates)
                    .filteredOn(u -> u.source() == TaskStatusUpdate.Source.RECONCILIATION)
                    .extracting(TaskStatusUpdate::taskName, TaskStatusUpdate::state)
                    .containsExactly(
                        tuple("known", TaskState.TASK_FINISHED),
                        tuple("never-launched", TaskState.TASK_UNKNOWN)));
  }

  @Test
  void implicitReconciliationReportsEveryTaskOfTheFramework() {
    harness.fake(FakeAgent.of("agent-1", 1, 1024));
    var scheduler = new RecordingScheduler();
    scheduler.onOffers(Harness.launchOnce(Harness.task("a-1"), Harness.task("b-1")));
    var driver = harness.start("fw", scheduler);
    await()
        .untilAsserted(() -> assertThat(scheduler.states("b-1")).contains(TaskState.TASK_FINISHED));

    driver.reconcileTasks(List.of());

    await()
        .untilAsserted(
            () ->
                assertThat(scheduler.updates)
                    .filteredOn(u -> u.source() == TaskStatusUpdate.Source.RECONCILIATION)
                    .extracting(TaskStatusUpdate::taskName)
                    .contains("a-1", "b-1"));
  }
}
