package io.mesokube.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesokube.e2e.controlplane.ControlPlane;
import io.mesokube.e2e.controlplane.KubectlResult;
import java.util.ArrayList;
import java.util.List;

/** Applies YAML with the built kubectl, as a user would. */
final class Manifests {
  private Manifests() {}

  /** {@code kubectl apply -f -}, in {@code namespace} unless null; it must succeed. */
  static void applyOk(ControlPlane controlPlane, String namespace, String yaml) {
    List<String> args = new ArrayList<>();
    if (namespace != null) {
      args.add("--namespace=" + namespace);
    }
    args.addAll(List.of("apply", "-f", "-"));
    KubectlResult result = controlPlane.kubectlWithInput(yaml, args.toArray(String[]::new));
    assertThat(result.succeeded()).as("kubectl apply failed: %s", result.stderr()).isTrue();
  }
}
