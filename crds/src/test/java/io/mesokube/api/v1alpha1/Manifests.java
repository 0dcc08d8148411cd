package io.mesokube.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesokube.e2e.controlplane.KubectlResult;
import io.mesokube.e2e.controlplane.TestCluster;

/** Applies YAML with the built kubectl, as a user would, in the test's namespace. */
final class Manifests {
  private Manifests() {}

  /** {@code kubectl apply -f -} with the given YAML. */
  static KubectlResult apply(TestCluster cluster, String yaml) {
    return cluster
        .controlPlane()
        .kubectlWithInput(yaml, "--namespace=" + cluster.namespace(), "apply", "-f", "-");
  }

  /** Applies YAML that must be accepted. */
  static void applyOk(TestCluster cluster, String yaml) {
    KubectlResult result = apply(cluster, yaml);
    assertThat(result.succeeded()).as("kubectl apply failed: %s", result.stderr()).isTrue();
  }

  /** {@code kubectl patch --subresource=status --type=merge}. */
  static KubectlResult patchStatus(TestCluster cluster, String kindAndName, String mergePatch) {
    return cluster.kubectl(
        "patch", kindAndName, "--subresource=status", "--type=merge", "-p", mergePatch);
  }
}
