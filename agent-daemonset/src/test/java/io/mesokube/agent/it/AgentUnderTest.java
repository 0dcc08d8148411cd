package io.mesokube.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesokube.api.Mesokube;
import io.mesokube.e2e.controlplane.ControlPlane;
import io.mesokube.e2e.controlplane.KubectlResult;
import io.mesokube.e2e.process.AgentProcess;
import io.mesokube.e2e.process.CgroupRoots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

/** Starts the packaged agent for a test class, with nothing but its RBAC from deploy/. */
final class AgentUnderTest {
  private AgentUnderTest() {}

  /**
   * Applies {@code deploy/rbac/agent.yaml} and starts agent {@code name} as its ServiceAccount,
   * with a short heartbeat and status retry (3 s, 2 s) and {@code env} on top.
   */
  static AgentProcess start(
      ControlPlane controlPlane,
      String name,
      Path stateDir,
      String cgroupParent,
      Map<String, String> env)
      throws IOException {
    Path rbac = Path.of("..", "deploy", "rbac", "agent.yaml").toAbsolutePath().normalize();
    KubectlResult applied = controlPlane.kubectl("apply", "-f", rbac.toString());
    assertThat(applied.succeeded()).as("apply %s: %s", rbac, applied.stderr()).isTrue();
    Map<String, String> all = new HashMap<>();
    all.put("MESOKUBE_AGENT_HEARTBEAT_LEASE_DURATION", "3s");
    all.put("MESOKUBE_AGENT_HEARTBEAT_STATUS_RETRY_MAX", "2s");
    all.putAll(env);
    return AgentProcess.start(
        controlPlane.kubeconfigFor(
            "system:serviceaccount:" + Mesokube.SYSTEM_NAMESPACE + ":mesokube-agent",
            "system:serviceaccounts",
            "system:serviceaccounts:" + Mesokube.SYSTEM_NAMESPACE,
            "system:authenticated"),
        name,
        stateDir,
        cgroupParent,
        controlPlane.workDir().resolve("logs"),
        all);
  }

  /**
   * Creates the directories {@code dirs} (parents first) readable and traversable by all: tasks run
   * as {@code nobody} in the agent's state directory, as under /var/lib.
   */
  static Path traversable(Path... dirs) throws IOException {
    Path last = null;
    for (Path dir : dirs) {
      last = Files.createDirectories(dir);
      Files.setPosixFilePermissions(last, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return last;
  }

  /**
   * Stops {@code agent} (if it started), checks that it left no task cgroup and no process under
   * {@code cgroupParent/name} (every task of the test class ended, and the agent removed what each
   * held), removes {@code cgroupParent}, and closes {@code others} (registries, say) whatever
   * happened.
   */
  static void stopAndCheckNothingLeft(
      AgentProcess agent, String name, String cgroupParent, AutoCloseable... others)
      throws Exception {
    String cgroupRoot = cgroupParent + "/" + name;
    try {
      if (agent != null) {
        agent.close();
      }
      assertThat(CgroupRoots.taskCgroups(cgroupRoot)).as("task cgroups left").isEmpty();
      assertThat(CgroupRoots.processes(cgroupRoot)).as("processes left").isEmpty();
    } finally {
      CgroupRoots.remove(cgroupParent);
      for (AutoCloseable other : others) {
        if (other != null) {
          other.close();
        }
      }
    }
  }
}
