package io.mesokube.agent.it;

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

  /** A Managed framework whose tasks run as {@code nobody}. */
  static String framework(String name, String extraSpec) {
    return """
        apiVersion: mesokube.io/v1alpha1
        kind: Framework
        metadata: {name: %s}
        spec: {scheduler: Managed, roles: [it], user: nobody%s}
        """
        .formatted(name, extraSpec == null ? "" : ", " + extraSpec);
  }

  /** A Task bound to {@code agent} that runs {@code shell}; {@code extra} is more spec YAML. */
  static String task(
      String name,
      String framework,
      String agent,
      double cpus,
      int mem,
      String shell,
      String extra) {
    return """
        apiVersion: mesokube.io/v1alpha1
        kind: Task
        metadata: {name: %s}
        spec:
          framework: %s
          agent: %s
          resources: {cpus: %s, mem: %d}
          command:
            shell: '%s'
        %s"""
        .formatted(
            name,
            framework,
            agent,
            cpus,
            mem,
            shell.replace("'", "''"),
            extra == null ? "" : extra.indent(2));
  }
}
