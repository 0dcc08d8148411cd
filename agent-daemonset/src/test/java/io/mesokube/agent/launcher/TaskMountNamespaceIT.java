package io.mesokube.agent.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * Command tasks in another mount namespace than the agent's, for real: a private namespace stands
 * for the host's, the test's own for the agent's pod. One directory, {@code view}, shows a file
 * only the agent sees (think of the pod's ServiceAccount token, 0644) and a program of the agent's
 * in the test's namespace, and a tmpfs with other files in the private one. Tasks run as nobody.
 */
class TaskMountNamespaceIT {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path tempDir;
  private LaunchFixture fixture;
  private PrivateMountNamespace host;
  private Path view;

  @BeforeEach
  void setUp() throws Exception {
    fixture = new LaunchFixture(tempDir);
    view = Files.createDirectory(tempDir.resolve("view"));
    Files.writeString(view.resolve("agent-only"), "the agent's token\n");
    Files.writeString(view.resolve("agent-tool"), "#!/bin/sh\necho \"the agent's tool\"\n");
    Files.setPosixFilePermissions(
        view.resolve("agent-tool"), PosixFilePermissions.fromString("rwxr-xr-x"));
    host = PrivateMountNamespace.create();
    host.run(
        """
        mount -t tmpfs -o mode=0755 none "$1"
        echo "the host's file" > "$1/host-only"
        printf '#!/bin/sh\\necho "the host'"'"'s tool"\\n' > "$1/host-tool"
        chmod 0755 "$1/host-tool"
        """,
        view.toString());
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      fixture.close();
    } finally {
      host.close();
    }
  }

  @Test
  void aTaskRunsInTheConfiguredNamespaceAndSeesNothingOnlyTheAgentSees() throws Exception {
    TaskLauncher launcher = fixture.newLauncher(host.namespace());
    LaunchSpec spec = sees("in-host", host.namespace());

    TaskProcess task = fixture.track(launcher.launch(spec));

    assertThat(task.exit()).succeedsWithin(WAIT).isEqualTo(ExitStatus.exited(1));
    assertThat(fixture.stdout(spec))
        .isEqualTo(Files.readSymbolicLink(host.file()) + "\nthe host's file\n");
    assertThat(spec.sandboxDir().resolve("stderr"))
        .content()
        .contains(view.resolve("agent-only") + ": No such file or directory");
  }

  @Test
  void withoutTheSettingATaskSeesWhatTheAgentSees() throws Exception {
    LaunchSpec spec = sees("in-agent", TaskMountNamespace.agents());

    TaskProcess task = fixture.launch(spec);

    // What the setting is for: a task of any user reads the agent's world-readable files.
    assertThat(task.exit()).succeedsWithin(WAIT).isEqualTo(ExitStatus.exited(1));
    assertThat(fixture.stdout(spec))
        .isEqualTo(Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")) + "\nthe agent's token\n");
  }

  @Test
  void aProgramOfTheAgentsRunsInTheAgentsNamespace() throws Exception {
    TaskLauncher launcher = fixture.newLauncher(host.namespace());
    // As a container task's OCI runtime does: it exists in the agent's image only.
    LaunchSpec spec = sees("agents-program", host.namespace()).inAgentMountNamespace();

    TaskProcess task = fixture.track(launcher.launch(spec));

    assertThat(task.exit()).succeedsWithin(WAIT).isEqualTo(ExitStatus.exited(1));
    assertThat(fixture.stdout(spec))
        .isEqualTo(Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")) + "\nthe agent's token\n");
  }

  @Test
  void aTaskCannotReadTheAgentsStateDir() throws Exception {
    TaskLauncher launcher = fixture.newLauncher(host.namespace());
    LaunchSpec probe = fixture.spec("state", "/bin/true");
    LaunchSpec spec =
        fixture
            .spec("reads-state", "/bin/cat", probe.runDir().resolve(RunDir.SUPERVISOR).toString())
            .withUser(TaskUser.resolve("nobody", host.namespace()));
    assertThat(fixture.track(launcher.launch(probe)).exit()).succeedsWithin(WAIT);

    TaskProcess task = fixture.track(launcher.launch(spec));

    assertThat(task.exit()).succeedsWithin(WAIT).isEqualTo(ExitStatus.exited(1));
    assertThat(spec.sandboxDir().resolve("stderr")).content().contains("Permission denied");
    assertThat(fixture.stdout(spec)).isEmpty();
  }

  @Test
  void theProgramIsLookedUpWhereTheTaskRuns() throws Exception {
    TaskLauncher launcher = fixture.newLauncher(host.namespace());
    Map<String, String> path = Map.of("PATH", view + ":/usr/bin:/bin");
    LaunchSpec absolute = fixture.spec("absolute", view.resolve("agent-tool").toString());
    LaunchSpec bare =
        LaunchSpec.of(
            tempDir.resolve("tasks/bare"),
            tempDir.resolve("sandboxes/bare"),
            List.of("agent-tool"),
            path);
    LaunchSpec hostTool =
        LaunchSpec.of(
            tempDir.resolve("tasks/host-tool"),
            tempDir.resolve("sandboxes/host-tool"),
            List.of("host-tool"),
            path);

    assertThatThrownBy(() -> launcher.launch(absolute))
        .isInstanceOf(LaunchException.class)
        .hasMessage(
            "program '%s' not found or not executable (relative to %s)",
            view.resolve("agent-tool"), absolute.sandboxDir());
    assertThatThrownBy(() -> launcher.launch(bare))
        .isInstanceOf(LaunchException.class)
        .hasMessage(
            "program 'agent-tool' not found or not executable on PATH %s:/usr/bin:/bin", view);
    TaskProcess task = fixture.track(launcher.launch(hostTool));
    assertThat(task.exit()).succeedsWithin(WAIT).isEqualTo(ExitStatus.exited(0));
    assertThat(fixture.stdout(hostTool)).isEqualTo("the host's tool\n");
  }

  @Test
  void usersAreThoseOfTheTasksNamespace() throws Exception {
    host.run(
        """
        cp /etc/passwd "$1/passwd"
        echo 'mkns-only:x:4242:4242::/nonexistent:/usr/sbin/nologin' >> "$1/passwd"
        mount --bind "$1/passwd" /etc/passwd
        """,
        view.toString());
    TaskLauncher launcher = fixture.newLauncher(host.namespace());

    assertThatThrownBy(() -> TaskUser.resolve("mkns-only"))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("unknown user 'mkns-only'");
    TaskUser user = TaskUser.resolve("mkns-only", host.namespace());
    assertThat(user).isEqualTo(new TaskUser("mkns-only", 4242, 4242));
    LaunchSpec spec = fixture.spec("as-host-user", "/bin/sh", "-c", "id -un; id -u").withUser(user);

    assertThat(fixture.track(launcher.launch(spec)).exit())
        .succeedsWithin(WAIT)
        .isEqualTo(ExitStatus.exited(0));
    assertThat(fixture.stdout(spec)).isEqualTo("mkns-only\n4242\n");
  }

  @Test
  void aToolMissingWhereTasksRunFailsTheLaunchAtOnceWithItsName() throws Exception {
    TaskLauncher launcher = fixture.newLauncher(host.namespace());
    // The tools were there when the launcher checked; a device is not an executable.
    host.run("mount --bind /dev/null /usr/bin/setsid");
    LaunchSpec spec = fixture.spec("no-setsid", "/bin/true");

    long start = System.nanoTime();
    assertThatThrownBy(() -> launcher.launch(spec))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("supervisor failed before starting the task")
        .hasMessageContaining("failed to execute setsid");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aNamespaceWithoutTheSupervisorsToolsIsRefused() throws Exception {
    host.run("mount --bind /dev/null /usr/bin/setpriv");

    assertThatThrownBy(() -> fixture.newLauncher(host.namespace()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "tasks cannot run in mount namespace %s"
                + " (mesokube.agent.isolation.task-mount-namespace): missing: setpriv"
                + " (tasks need util-linux and coreutils there)",
            host.file());
  }

  @Test
  void aNamespaceWithoutTheStateDirIsRefused() throws Exception {
    // Another directory at the same path: a state dir that is not the same host directory.
    host.run("mount -t tmpfs none \"$1\"", tempDir.toString());

    assertThatThrownBy(() -> fixture.newLauncher(host.namespace()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(
            tempDir.resolve(SupervisorCommand.SCRIPT)
                + " is missing there or another file: the state dir must be the same directory at"
                + " the same path in both namespaces");
  }

  // A task of nobody that prints its mount namespace, then the host's file, then the agent's.
  private LaunchSpec sees(String name, TaskMountNamespace namespace) throws LaunchException {
    return fixture
        .spec(
            name,
            "/bin/sh",
            "-c",
            "readlink /proc/self/ns/mnt; cat \"$0/host-only\" \"$0/agent-only\"",
            view.toString())
        .withUser(TaskUser.resolve("nobody", namespace));
  }
}
