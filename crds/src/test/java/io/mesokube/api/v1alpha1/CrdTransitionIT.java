package io.mesokube.api.v1alpha1;

import static io.mesokube.api.v1alpha1.Manifests.apply;
import static io.mesokube.api.v1alpha1.Manifests.applyOk;
import static io.mesokube.api.v1alpha1.Manifests.patchStatus;
import static org.assertj.core.api.Assertions.assertThat;

import io.mesokube.api.v1alpha1.offer.Offer;
import io.mesokube.api.v1alpha1.role.RolePolicy;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskState;
import io.mesokube.e2e.controlplane.ControlPlaneExtension;
import io.mesokube.e2e.controlplane.KubectlResult;
import io.mesokube.e2e.controlplane.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Transition rules: what cannot change once set is refused on update, and nothing changes. */
@ExtendWith(ControlPlaneExtension.class)
class CrdTransitionIT {

  private static String task(String agent, double cpus, boolean kill) {
    return """
        apiVersion: mesokube.io/v1alpha1
        kind: Task
        metadata: {name: t}
        spec:
          framework: fw
          resources: {cpus: %s, mem: 64}
          command: {shell: sleep 60}
          agent: %s
          kill: %s
        """
        .formatted(cpus, agent, kill);
  }

  private static void assertRefused(KubectlResult result, String message) {
    assertThat(result.succeeded()).as("update was accepted").isFalse();
    assertThat(result.stderr()).contains(message);
  }

  private static Task storedTask(TestCluster cluster) {
    return cluster.client().resources(Task.class).withName("t").get();
  }

  @Test
  void boundTaskKeepsItsWholeSpecButKill(TestCluster cluster) {
    applyOk(cluster, task("node-1", 1, false));
    String frozen =
        "a bound task's agent, offer, role, resources, user and kill policy cannot change";

    assertRefused(apply(cluster, task("node-2", 1, false)), frozen);
    assertRefused(apply(cluster, task("node-1", 2, false)), frozen);
    // The attack of issue 16: once bound, a role or a user the allocator and the role checks never
    // saw. (The command, image and health check are frozen by the task-binding admission policy:
    // RbacIT.)
    assertRefused(
        apply(cluster, task("node-1", 1, false).replace("  agent:", "  role: ops\n  agent:")),
        frozen);
    assertRefused(
        apply(
            cluster,
            task("node-1", 1, false).replace("{shell: sleep 60}", "{shell: sleep 60, user: root}")),
        frozen);
    assertRefused(
        apply(cluster, task("node-1", 1, false) + "  killPolicy: {gracePeriodSeconds: 99}\n"),
        frozen);
    assertRefused(apply(cluster, task("node-1", 1, false) + "  offer: other-offer\n"), frozen);

    Task stored = storedTask(cluster);
    assertThat(stored.getSpec().agent()).isEqualTo("node-1");
    assertThat(stored.getSpec().resources().cpus()).isEqualTo(1.0);
    assertThat(stored.getSpec().role()).isNull();
    assertThat(stored.getSpec().command().user()).isNull();
    applyOk(cluster, task("node-1", 1, true));
    assertThat(storedTask(cluster).getSpec().kill()).isTrue();
  }

  @Test
  void anUnboundTaskMayStillChange(TestCluster cluster) {
    applyOk(cluster, task("node-1", 1, false).replace("  agent: node-1\n", ""));
    applyOk(cluster, task("node-1", 2, false).replace("  agent: node-1\n", "  role: batch\n"));
    assertThat(storedTask(cluster).getSpec().role()).isEqualTo("batch");
  }

  @Test
  void killCannotBeUndoneButCanBeRequested(TestCluster cluster) {
    applyOk(cluster, task("node-1", 1, false));
    applyOk(cluster, task("node-1", 1, true));

    assertRefused(apply(cluster, task("node-1", 1, false)), "a kill cannot be undone");
    assertThat(storedTask(cluster).getSpec().kill()).isTrue();
  }

  @Test
  void taskFrameworkIsImmutable(TestCluster cluster) {
    applyOk(cluster, task("node-1", 1, false));

    assertRefused(
        apply(cluster, task("node-1", 1, false).replace("framework: fw", "framework: other")),
        "spec.framework is immutable");
  }

  @Test
  void terminalTaskStateIsFinal(TestCluster cluster) {
    applyOk(cluster, task("node-1", 1, false));
    assertThat(
            patchStatus(cluster, "task/t", "{\"status\":{\"state\":\"TASK_RUNNING\"}}").succeeded())
        .isTrue();
    assertThat(
            patchStatus(cluster, "task/t", "{\"status\":{\"state\":\"TASK_FINISHED\"}}")
                .succeeded())
        .isTrue();

    assertRefused(
        patchStatus(cluster, "task/t", "{\"status\":{\"state\":\"TASK_RUNNING\"}}"),
        "task is already in terminal state TASK_FINISHED");
    assertThat(storedTask(cluster).getStatus().state()).isEqualTo(TaskState.TASK_FINISHED);
  }

  private static final String OFFER =
      """
      apiVersion: mesokube.io/v1alpha1
      kind: Offer
      metadata: {name: o}
      spec:
        framework: fw
        agent: node-1
        role: batch
        epoch: 3
        expiryTime: "2030-01-01T00:00:00Z"
        resources: {cpus: %s, mem: 128}
      """;

  @Test
  void offerIsAnsweredOnceAndOtherwiseImmutable(TestCluster cluster) {
    applyOk(cluster, OFFER.formatted(2));

    assertRefused(
        apply(cluster, OFFER.formatted(4)),
        "an offer's framework, agent, role, resources and epoch are immutable");

    String declined = OFFER.formatted(2) + "  answer: {type: Decline, refuseSeconds: 30}\n";
    applyOk(cluster, declined);
    assertRefused(
        apply(cluster, OFFER.formatted(2) + "  answer: {type: Accept}\n"),
        "an offer is answered once");
    assertRefused(apply(cluster, OFFER.formatted(2)), "an offer is answered once");

    Offer stored = cluster.client().resources(Offer.class).withName("o").get();
    assertThat(stored.getSpec().answer().refuseSeconds()).isEqualTo(30.0);
  }

  @Test
  void rolePolicyRoleIsImmutable(TestCluster cluster) {
    String policy =
        """
        apiVersion: mesokube.io/v1alpha1
        kind: RolePolicy
        metadata: {name: %s}
        spec: {role: %s, weight: 2}
        """;
    String name = cluster.namespace();
    applyOk(cluster, policy.formatted(name, "eng/web"));
    try {
      assertRefused(apply(cluster, policy.formatted(name, "eng/api")), "spec.role is immutable");
      RolePolicy stored = cluster.client().resources(RolePolicy.class).withName(name).get();
      assertThat(stored.getSpec().role()).isEqualTo("eng/web");
    } finally {
      cluster.client().resources(RolePolicy.class).withName(name).delete();
    }
  }
}
