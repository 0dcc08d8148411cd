package io.mesokube.agent.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesokube.agent.health.TaskEnvironment;
import io.mesokube.agent.launcher.PrivateMountNamespace;
import io.mesokube.agent.launcher.TaskMountNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Command health checks of command tasks run where their tasks do: in the tasks' mount namespace,
 * as the task's user (looked up there), in the sandbox. A private namespace stands for the host's.
 */
class TaskCommandRunnerIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @TempDir Path tempDir;
  private PrivateMountNamespace host;
  private Path view;
  private Path sandbox;

  @BeforeEach
  void setUp() throws Exception {
    Files.setPosixFilePermissions(tempDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    view = Files.createDirectory(tempDir.resolve("view"));
    Files.writeString(view.resolve("agent-only"), "the agent's token\n");
    sandbox = Files.createDirectory(tempDir.resolve("sandbox"));
    Files.setPosixFilePermissions(sandbox, PosixFilePermissions.fromString("rwxr-xr-x"));
    host = PrivateMountNamespace.create();
    host.run(
        """
        mount -t tmpfs -o mode=0755 none "$1"
        echo "the host's file" > "$1/host-only"
        cp /etc/passwd "$1/passwd"
        echo 'mkns-only:x:4242:4242::/nonexistent:/usr/sbin/nologin' >> "$1/passwd"
        mount --bind "$1/passwd" /etc/passwd
        """,
        view.toString());
  }

  @AfterEach
  void tearDown() throws Exception {
    host.close();
  }

  @Test
  void aCheckRunsInTheTasksNamespaceAsItsUserInItsSandbox() throws Exception {
    var runner = new TaskCommandRunner(host.namespace());

    assertThat(runner.run(sees(), task("nobody"), TIMEOUT)).isZero();
    assertThat(runner.run(userIs(65534), task("nobody"), TIMEOUT)).isZero();
    assertThat(runner.run(userIs(0), task("root"), TIMEOUT)).isZero();
    assertThat(runner.run(userIs(4242), task("mkns-only"), TIMEOUT)).isZero();
  }

  @Test
  void withoutTheSettingACheckRunsInTheAgentsNamespace() throws Exception {
    var runner = new TaskCommandRunner(TaskMountNamespace.agents());

    assertThat(runner.run(sees(), task("nobody"), TIMEOUT)).isEqualTo(1);
    assertThat(runner.run(userIs(65534), task("nobody"), TIMEOUT)).isZero();
  }

  // Exits 0 when it sees the host's file and not the agent's, in the sandbox.
  private List<String> sees() {
    return List.of(
        "/bin/sh",
        "-c",
        "test -f \"$0/host-only\" && test ! -e \"$0/agent-only\" && test \"$(pwd)\" = \"$1\"",
        view.toString(),
        sandbox.toString());
  }

  private List<String> userIs(int uid) {
    return List.of(
        "/bin/sh",
        "-c",
        "test \"$(id -u)\" = " + uid + " && test \"$(pwd)\" = \"$0\"",
        sandbox.toString());
  }

  private TaskEnvironment task(String user) {
    return new TaskEnvironment(
        "check", Map.of("PATH", MesosEnvironment.DEFAULT_PATH), sandbox, user);
  }
}
