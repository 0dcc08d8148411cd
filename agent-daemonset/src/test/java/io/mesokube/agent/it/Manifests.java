package io.mesokube.agent.it;

/** YAML of the objects the agent's tests apply. */
final class Manifests {
  private Manifests() {}

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
