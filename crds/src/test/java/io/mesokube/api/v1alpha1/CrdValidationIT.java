package io.mesokube.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesokube.e2e.controlplane.ControlPlaneExtension;
import io.mesokube.e2e.controlplane.KubectlResult;
import io.mesokube.e2e.controlplane.TestCluster;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad objects are refused by the real API server at {@code kubectl apply}, with the message a user
 * needs, and nothing is stored.
 */
@ExtendWith(ControlPlaneExtension.class)
class CrdValidationIT {

  private static final String FRAMEWORK =
      """
      apiVersion: mesokube.io/v1alpha1
      kind: Framework
      metadata: {name: bad}
      spec:
      """;
  private static final String TASK =
      """
      apiVersion: mesokube.io/v1alpha1
      kind: Task
      metadata: {name: bad}
      spec:
        framework: fw
      """;
  private static final String OFFER =
      """
      apiVersion: mesokube.io/v1alpha1
      kind: Offer
      metadata: {name: bad}
      spec:
        role: batch
        epoch: 1
        expiryTime: "2030-01-01T00:00:00Z"
        resources: {cpus: 1, mem: 128}
      """;
  private static final String ROLE_POLICY =
      """
      apiVersion: mesokube.io/v1alpha1
      kind: RolePolicy
      metadata: {name: bad}
      spec:
      """;
  private static final String AGENT =
      """
      apiVersion: mesokube.io/v1alpha1
      kind: Agent
      metadata: {name: bad}
      spec:
      """;

  static Stream<Arguments> invalidObjects() {
    return Stream.of(
        // Framework
        bad(
            "framework without roles",
            FRAMEWORK + "  scheduler: Managed",
            "spec.roles: Required value"),
        bad("framework with no role", FRAMEWORK + "  roles: []", "should have at least 1 items"),
        bad(
            "role with an empty segment",
            FRAMEWORK + "  roles: [eng//web]",
            "spec.roles[0] in body should match"),
        bad(
            "role climbing up",
            FRAMEWORK + "  roles: [../etc]",
            "spec.roles[0] in body should match"),
        bad(
            "role with a leading slash",
            FRAMEWORK + "  roles: [/eng]",
            "spec.roles[0] in body should match"),
        bad(
            "two roles without MULTI_ROLE",
            FRAMEWORK + "  roles: [a, b]",
            "a framework with several roles must declare the MULTI_ROLE capability"),
        bad(
            "repeated role",
            FRAMEWORK + "  roles: [a, a]\n  capabilities: [MULTI_ROLE]",
            "roles must not repeat"),
        bad(
            "unknown scheduler",
            FRAMEWORK + "  roles: [a]\n  scheduler: Pods",
            "spec.scheduler: Unsupported value: \"Pods\""),
        bad(
            "unknown capability",
            FRAMEWORK + "  roles: [a]\n  capabilities: [TELEPORT]",
            "Unsupported value: \"TELEPORT\""),
        bad(
            "negative failover timeout",
            FRAMEWORK + "  roles: [a]\n  failoverTimeoutSeconds: -1",
            "spec.failoverTimeoutSeconds in body should be greater than or equal to 0"),
        bad(
            "suppressing a foreign role",
            FRAMEWORK + "  roles: [a]\n  suppressedRoles: [b]",
            "suppressedRoles may only name roles of the framework"),
        bad(
            "user name with a space",
            FRAMEWORK + "  roles: [a]\n  user: Root User",
            "spec.user in body should match"),
        // Task
        bad(
            "task without spec",
            "apiVersion: mesokube.io/v1alpha1\nkind: Task\nmetadata: {name: bad}",
            "a Task needs a spec"),
        bad(
            "task without command or image",
            TASK + "  resources: {cpus: 1}",
            "a task needs a command (shell or argv) or a container image"),
        bad(
            "task with shell and argv",
            TASK + "  resources: {cpus: 1}\n  command: {shell: 'true', argv: ['true']}",
            "shell and argv are mutually exclusive"),
        bad(
            "task without resources",
            TASK + "  command: {shell: 'true'}",
            "spec.resources: Required value"),
        bad(
            "negative cpus",
            TASK + "  resources: {cpus: -0.5, mem: 1}\n  command: {shell: 'true'}",
            "spec.resources.cpus in body should be greater than or equal to 0"),
        bad(
            "task with only disk",
            TASK + "  resources: {disk: 10}\n  command: {shell: 'true'}",
            "a task needs some cpus or mem"),
        bad(
            "port range upside down",
            TASK
                + "  resources: {cpus: 1, ports: [{begin: 31010, end: 31000}]}\n  command: {shell: 'true'}",
            "a port range must have begin <= end"),
        bad(
            "overlapping port ranges",
            TASK
                + "  resources: {cpus: 1, ports: [{begin: 31000, end: 31010}, {begin: 31005, end: 31020}]}\n  command: {shell: 'true'}",
            "port ranges must not overlap"),
        bad(
            "unordered port ranges",
            TASK
                + "  resources: {cpus: 1, ports: [{begin: 32000, end: 32010}, {begin: 31000, end: 31010}]}\n  command: {shell: 'true'}",
            "port ranges must be ordered by begin"),
        bad(
            "port out of range",
            TASK
                + "  resources: {cpus: 1, ports: [{begin: 31000, end: 70000}]}\n  command: {shell: 'true'}",
            "should be less than or equal to 65535"),
        bad(
            "image with upper case repository",
            TASK + "  resources: {cpus: 1}\n  container: {image: 'Busybox:latest'}",
            "spec.container.image in body should match"),
        bad(
            "image with a short digest",
            TASK + "  resources: {cpus: 1}\n  container: {image: 'busybox@sha256:abc'}",
            "spec.container.image in body should match"),
        bad(
            "env name not an identifier",
            TASK + "  resources: {cpus: 1}\n  command: {shell: 'true', env: {1BAD: x}}",
            "env names must be shell identifiers"),
        bad(
            "env overriding MESOS_",
            TASK + "  resources: {cpus: 1}\n  command: {shell: 'true', env: {MESOS_TASK_ID: x}}",
            "must not start with MESOS_"),
        bad(
            "HTTP health check without http",
            TASK
                + "  resources: {cpus: 1}\n  command: {shell: 'true'}\n  healthCheck: {type: HTTP, tcp: {port: 80}}",
            "an HTTP health check needs http"),
        bad(
            "health check on port 0",
            TASK
                + "  resources: {cpus: 1}\n  command: {shell: 'true'}\n  healthCheck: {type: TCP, tcp: {port: 0}}",
            "spec.healthCheck.tcp.port in body should be greater than or equal to 1"),
        bad(
            "negative kill grace period",
            TASK
                + "  resources: {cpus: 1}\n  command: {shell: 'true'}\n  killPolicy: {gracePeriodSeconds: -1}",
            "spec.killPolicy.gracePeriodSeconds in body should be greater than or equal to 0"),
        bad(
            "offer without agent",
            TASK + "  resources: {cpus: 1}\n  command: {shell: 'true'}\n  offer: o-1",
            "a task that names an offer must name its agent"),
        bad(
            "framework name not a DNS name",
            TASK.replace("framework: fw", "framework: My_Framework")
                + "  resources: {cpus: 1}\n  command: {shell: 'true'}",
            "spec.framework in body should match"),
        // Offer
        bad("offer without agent", OFFER + "  framework: fw", "spec.agent: Required value"),
        bad("offer without framework", OFFER + "  agent: node-1", "spec.framework: Required value"),
        bad(
            "decline with operations",
            OFFER
                + "  framework: fw\n  agent: node-1\n  answer: {type: Decline, operations: [{type: RESERVE, reservation: {role: a, resources: {cpus: 1}}}]}",
            "a Decline carries no operations"),
        bad(
            "LAUNCH without tasks",
            OFFER
                + "  framework: fw\n  agent: node-1\n  answer: {type: Accept, operations: [{type: LAUNCH}]}",
            "a LAUNCH operation needs launch"),
        bad(
            "launching a foreign framework's task",
            OFFER
                + "  framework: fw\n  agent: node-1\n  answer:\n    type: Accept\n    operations: [{type: LAUNCH, launch: {tasks: [{name: t, spec: {framework: other, resources: {cpus: 1}, command: {shell: 'true'}}}]}}]",
            "tasks launched from an offer must belong to the offer's framework"),
        bad(
            "negative refuseSeconds",
            OFFER
                + "  framework: fw\n  agent: node-1\n  answer: {type: Decline, refuseSeconds: -5}",
            "spec.answer.refuseSeconds in body should be greater than or equal to 0"),
        // RolePolicy
        bad(
            "zero weight",
            ROLE_POLICY + "  role: batch\n  weight: 0",
            "spec.weight in body should be greater than 0"),
        bad(
            "quota limit below guarantee",
            ROLE_POLICY + "  role: batch\n  quota: {guarantee: {cpus: 8}, limit: {cpus: 4}}",
            "a quota limit must be at least its guarantee"),
        bad(
            "quota on ports",
            ROLE_POLICY + "  role: batch\n  quota: {limit: {ports: [{begin: 1, end: 2}]}}",
            "quota applies to scalar resources"),
        bad(
            "role path with a dot segment",
            ROLE_POLICY + "  role: eng/./web",
            "spec.role in body should match"),
        // Agent
        bad("agent without resources", AGENT + "  hostname: h", "spec.resources: Required value"),
        bad(
            "reservation for the default role",
            AGENT + "  resources: {cpus: 4}\n  reservations: [{role: '*', resources: {cpus: 1}}]",
            "a reservation needs a role other than '*'"),
        bad(
            "two reservations for one role",
            AGENT
                + "  resources: {cpus: 4}\n  reservations: [{role: a, resources: {cpus: 1}}, {role: a, resources: {cpus: 1}}]",
            "at most one reservation per role"),
        bad(
            "unknown maintenance mode",
            AGENT + "  resources: {cpus: 4}\n  maintenance: {mode: Closed}",
            "spec.maintenance.mode: Unsupported value: \"Closed\""),
        // Attacks from the multi-tenant review: inputs the schema used to accept.
        bad(
            "task with mem -0 (failed only at launch)",
            TASK + "  resources: {cpus: 1, mem: -0}\n  command: {shell: 'true'}",
            "a task's mem must be at least 1 (MiB)"),
        bad(
            "task with 0.0004 cpus (accounted as none: thousands fit past every quota)",
            TASK + "  resources: {cpus: 0.0004, mem: 32}\n  command: {shell: 'true'}",
            "a task's cpus must be at least 0.001"),
        bad(
            "HTTP health check path with a space (the check never ran)",
            TASK
                + "  resources: {cpus: 1}\n  command: {shell: 'true'}\n"
                + "  healthCheck: {type: HTTP, http: {port: 80, path: '/health check'}}",
            "spec.healthCheck.http.path in body should match"),
        bad(
            "framework name too long for the label its tasks carry",
            FRAMEWORK.replace("name: bad", "name: " + "f".repeat(64)) + "  roles: [a]",
            "a Framework name must be at most 63 characters"),
        bad(
            "agent name too long for the label its tasks carry",
            AGENT.replace("name: bad", "name: " + "a".repeat(64)) + "  resources: {cpus: 4}",
            "an Agent name must be at most 63 characters"),
        bad(
            "task naming a framework no Framework can have",
            TASK.replace("framework: fw", "framework: " + "f".repeat(64))
                + "  resources: {cpus: 1}\n  command: {shell: 'true'}",
            "spec.framework: Too long"),
        bad(
            "reference that is not DNS-1123",
            TASK.replace("framework: fw", "framework: a..b")
                + "  resources: {cpus: 1}\n  command: {shell: 'true'}",
            "spec.framework in body should match"),
        bad(
            "pull secret that is not DNS-1123",
            TASK + "  resources: {cpus: 1}\n  container: {image: busybox, pullSecret: a.-b}",
            "spec.container.pullSecret in body should match"),
        bad(
            "reservations larger than the agent",
            AGENT
                + "  resources: {cpus: 4, mem: 1024}\n  reservations: [{role: a, resources:"
                + " {cpus: 3}}, {role: b, resources: {cpus: 2}}]",
            "the reservations' cpus add up to more than the agent's cpus"),
        bad(
            "reservation of a resource the agent does not offer",
            AGENT + "  resources: {cpus: 4}\n  reservations: [{role: a, resources: {mem: 1}}]",
            "the reservations' mem add up to more than the agent's mem"));
  }

  private static Arguments bad(String what, String yaml, String expectedMessage) {
    return Arguments.of(what, yaml, expectedMessage);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidObjects")
  void refusedWithAClearMessage(
      String what, String yaml, String expectedMessage, TestCluster cluster) {
    KubectlResult result = Manifests.apply(cluster, yaml);

    assertThat(result.succeeded()).as("%s was accepted", what).isFalse();
    assertThat(result.stderr()).contains("is invalid").contains(expectedMessage);
    String kind = yaml.lines().filter(l -> l.startsWith("kind: ")).findFirst().orElseThrow();
    assertThat(
            cluster
                .kubectl("get", kind.substring(6).toLowerCase(java.util.Locale.ROOT), "bad")
                .stderr())
        .as("nothing is stored")
        .contains("NotFound");
  }
}
