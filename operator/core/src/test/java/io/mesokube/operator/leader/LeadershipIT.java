package io.mesokube.operator.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.mesokube.e2e.controlplane.ControlPlane;
import io.mesokube.e2e.controlplane.ControlPlaneExtension;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a replica does when leader election says it took the Lease, against a real API server. */
@ExtendWith(ControlPlaneExtension.class)
class LeadershipIT {
  private static final String NAMESPACE = "leadership-it";

  @Test
  void leadsWithTheTransitionsItWroteAsItsEpoch(ControlPlane controlPlane) {
    try (KubernetesClient client = controlPlane.newClient()) {
      lease(client, "epoch-mine", "me", 7);
      AtomicInteger exits = new AtomicInteger();
      var leadership =
          new Leadership(client, NAMESPACE, "epoch-mine", "me", exits::incrementAndGet);

      leadership.startedLeading();

      assertThat(leadership.isLeader()).isTrue();
      assertThat(leadership.epoch()).isEqualTo(7);
      assertThat(leadership.leadingSince()).isNotNull();
      assertThat(exits).hasValue(0);
    }
  }

  @Test
  void exitsWhenTheLeaseNamesAnotherReplicaRightAfterItTookIt(ControlPlane controlPlane) {
    try (KubernetesClient client = controlPlane.newClient()) {
      // Another replica took it between this one's write and its read: leading on would share
      // that replica's epoch, and the offers of the two could not be told apart.
      lease(client, "epoch-taken", "other", 8);
      AtomicInteger exits = new AtomicInteger();
      var leadership =
          new Leadership(client, NAMESPACE, "epoch-taken", "me", exits::incrementAndGet);

      // It throws, so that the operator SDK does not start the reconcilers after the callback.
      assertThatThrownBy(leadership::startedLeading)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("names other, not me");

      assertThat(exits).hasValue(1);
      assertThat(leadership.isLeader()).isFalse();
      assertThat(leadership.leadingSince()).isNull();
    }
  }

  @Test
  void exitsWhenItCannotReadTheLeaseItTook(ControlPlane controlPlane) {
    try (KubernetesClient client = controlPlane.newClient()) {
      AtomicInteger exits = new AtomicInteger();
      // Forbidden: a user without rights, as a replica whose API server turned it away.
      try (KubernetesClient nobody = controlPlane.clientFor("nobody")) {
        lease(client, "epoch-unreadable", "me", 3);
        var leadership =
            new Leadership(nobody, NAMESPACE, "epoch-unreadable", "me", exits::incrementAndGet);

        assertThatThrownBy(leadership::startedLeading)
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("cannot read the leader Lease");
        assertThat(exits).hasValue(1);
        assertThat(leadership.isLeader()).isFalse();
      }
    }
  }

  private static void lease(KubernetesClient client, String name, String holder, int transitions) {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .serverSideApply();
    Lease lease =
        new LeaseBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(NAMESPACE)
            .endMetadata()
            .withNewSpec()
            .withHolderIdentity(holder)
            .withLeaseDurationSeconds(15)
            .withLeaseTransitions(transitions)
            .endSpec()
            .build();
    client.resource(lease).serverSideApply();
  }
}
