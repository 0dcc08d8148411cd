package io.mesokube.e2e.suite;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesokube.e2e.controlplane.ControlPlaneExtension;
import io.mesokube.e2e.controlplane.KubectlResult;
import io.mesokube.e2e.controlplane.TestCluster;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The in-cluster install ({@code deploy/rbac}, then {@code deploy/kubernetes}: the operator's
 * Deployment and the agent's DaemonSet) is accepted by a real API server. The workloads are applied
 * as a server-side dry run: this control plane runs no kubelet, and the images are built only on
 * hosts with Docker (see {@code e2e/kind}).
 */
@ExtendWith(ControlPlaneExtension.class)
class DeployManifestsE2EIT {
  private static final Path DEPLOY = Path.of(System.getProperty("mesokube.deploy.dir"));

  @Test
  void theOperatorAndAgentWorkloadsAreValid(TestCluster cluster) {
    // Cluster-wide and in mesokube-system, as an installer applies them: not in the test namespace.
    KubectlResult rbac =
        cluster.controlPlane().kubectl("apply", "-f", DEPLOY.resolve("rbac").toString());
    assertThat(rbac.succeeded()).as(rbac.stderr()).isTrue();

    KubectlResult workloads =
        cluster
            .controlPlane()
            .kubectl(
                "apply",
                "--dry-run=server",
                "-o",
                "name",
                "-f",
                DEPLOY.resolve("kubernetes").toString());

    assertThat(workloads.succeeded()).as(workloads.stderr()).isTrue();
    assertThat(workloads.stdout().lines())
        .containsExactlyInAnyOrder(
            "deployment.apps/mesokube-operator", "daemonset.apps/mesokube-agent");
  }
}
