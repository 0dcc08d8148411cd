package io.mesokube.agent.containers;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesokube.agent.images.Image;
import io.mesokube.agent.images.ImageStore;
import io.mesokube.agent.launcher.ExitStatus;
import io.mesokube.agent.launcher.LaunchSpec;
import io.mesokube.agent.launcher.TaskLauncher;
import io.mesokube.agent.launcher.TaskProcess;
import io.mesokube.agent.launcher.TaskUser;
import io.mesokube.api.v1alpha1.task.CommandSpec;
import io.mesokube.e2e.controlplane.registry.ImageConfig;
import io.mesokube.e2e.controlplane.registry.TestImages;
import io.mesokube.e2e.controlplane.registry.TestRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Containers run for real: an image from a real registry, crun, the task supervisor; no agent, no
 * cgroups (the agent's own tests cover those).
 */
class ContainerRunIT {
  private static final TaskUser NOBODY = TaskUser.ofIds(65534, 65534);

  @TempDir static Path shared;
  private static TestRegistry registry;
  private static Image busybox;
  private static Image withDefaults;

  @TempDir Path dir;
  private TaskLauncher launcher;
  private OciRuntime runtime;
  private final List<TaskProcess> started = new ArrayList<>();

  @BeforeAll
  static void images() throws Exception {
    registry = TestRegistry.start(shared.resolve("registry"));
    TestImages.pushBusybox(registry, "tools/busybox", "1", ImageConfig.NONE.withEnv("PATH=/bin"));
    TestImages.pushBusybox(
        registry,
        "tools/defaults",
        "1",
        ImageConfig.NONE
            .withEntrypoint("/bin/sh", "-c")
            .withCmd("echo \"from the image in $(pwd) as $(id -u) with $GREETING\"")
            .withEnv("PATH=/bin", "GREETING=hello")
            .withWorkingDir("/tmp"));
    ImageStore store =
        new ImageStore(
            shared.resolve("images"),
            new ImageStore.Settings(
                "docker.io",
                Set.of("127.0.0.0/8"),
                Duration.ofSeconds(60),
                Long.MAX_VALUE,
                "skopeo",
                "umoci",
                Duration.ofSeconds(10),
                ImageStore.Settings.LINK_LOCAL),
            new SimpleMeterRegistry(),
            Clock.systemUTC());
    busybox = store.provide(registry.host() + "/tools/busybox:1", null, m -> {}).image();
    withDefaults = store.provide(registry.host() + "/tools/defaults:1", null, m -> {}).image();
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  @AfterEach
  void killLeftovers() throws Exception {
    for (TaskProcess p : started) {
      ProcessHandle.of(p.supervisor().pid())
          .ifPresent(h -> h.descendants().forEach(ProcessHandle::destroyForcibly));
    }
    if (launcher != null) {
      launcher.close();
    }
  }

  @Test
  void aShellCommandRunsInTheImageAsTheTaskUserWithTheSandboxMounted() throws Exception {
    String script =
        "echo \"uid $(id -u) gid $(id -g) in $(pwd) sandbox $MESOS_SANDBOX\"; "
            + "echo written > $MESOS_SANDBOX/file.txt; "
            + "echo to-stderr >&2; "
            + "ls /bin/busybox; "
            + "touch /tmp/in-rootfs && echo rootfs-writable; "
            + "echo pid $$";
    Result r = run("shell", busybox, new CommandSpec(script, null, null, null), false, false);
    assertThat(r.exit().code()).as(r.toString()).isZero();
    assertThat(r.stdout())
        .contains("uid 65534 gid 65534 in /mnt/mesos/sandbox sandbox /mnt/mesos/sandbox")
        .contains("/bin/busybox")
        .contains("rootfs-writable")
        .as("its own PID namespace: the shell is pid 1")
        .contains("pid 1");
    assertThat(r.stderr()).isEqualTo("to-stderr\n");
    assertThat(r.sandbox().resolve("file.txt")).hasContent("written");
    assertThat(busybox.rootfs().resolve("tmp/in-rootfs"))
        .as("the image's shared rootfs is never written")
        .doesNotExist();
  }

  @Test
  void theImagesEntrypointCmdEnvAndWorkdirApplyWithoutACommand() throws Exception {
    Result r = run("defaults", withDefaults, null, false, false);
    assertThat(r.exit().code()).as(r.toString()).isZero();
    assertThat(r.stdout()).isEqualTo("from the image in /tmp as 65534 with hello\n");
  }

  @Test
  void aReadOnlyRootfsRefusesWritesButNotTheSandbox() throws Exception {
    Result r =
        run(
            "readonly",
            busybox,
            new CommandSpec(
                "touch /tmp/x 2>/dev/null && echo wrote || echo refused; echo ok > $MESOS_SANDBOX/ok",
                null,
                null,
                null),
            true,
            false);
    assertThat(r.exit().code()).as(r.toString()).isZero();
    assertThat(r.stdout()).isEqualTo("refused\n");
    assertThat(r.sandbox().resolve("ok")).hasContent("ok");
  }

  @Test
  void aPrivateNetworkHasOnlyALoopback() throws Exception {
    Result r =
        run(
            "private-net",
            busybox,
            new CommandSpec(null, List.of("/bin/sh", "-c", "ls /sys/class/net"), null, null),
            false,
            true);
    assertThat(r.exit().code()).as(r.toString()).isZero();
    assertThat(r.stdout().strip()).isEqualTo("lo");
  }

  @Test
  void theExitCodeIsTheContainersAndAMissingProgramFails() throws Exception {
    Result r = run("exit", busybox, new CommandSpec("exit 7", null, null, null), false, false);
    assertThat(r.exit().code()).isEqualTo(7);
    Result missing =
        run(
            "missing",
            busybox,
            new CommandSpec(null, List.of("/no/such/program"), null, null),
            false,
            false);
    assertThat(missing.exit().code()).isNotZero();
    assertThat(missing.stderr()).contains("/no/such/program");
  }

  @Test
  void aLinkPlantedForTheLogsIsRefused() throws Exception {
    Path sandbox = dir.resolve("sandboxes/planted");
    Files.createDirectories(sandbox);
    Path target = dir.resolve("root-only.txt");
    Files.writeString(target, "root's\n");
    // Writable by the task's user, so that only the supervisor's check stands in the way.
    Files.setAttribute(target, "unix:uid", NOBODY.uid());
    Files.createSymbolicLink(sandbox.resolve("stdout"), target);
    Result r =
        run("planted", busybox, new CommandSpec("echo leaked", null, null, null), false, false);
    assertThat(r.exit().kind()).isEqualTo(ExitStatus.Kind.LAUNCH_FAILED);
    assertThat(target).hasContent("root's");
  }

  private record Result(ExitStatus exit, String stdout, String stderr, Path sandbox) {}

  private Result run(
      String name, Image image, CommandSpec command, boolean readOnly, boolean privateNetwork)
      throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    if (launcher == null) {
      launcher = new TaskLauncher(dir.resolve("state"), Duration.ofMillis(100));
      runtime = OciRuntime.install(dir.resolve("state"), "crun");
    }
    Path runDir = dir.resolve("runs").resolve(name);
    Path sandbox = dir.resolve("sandboxes").resolve(name);
    Files.createDirectories(runDir.getParent());
    Files.createDirectories(sandbox.getParent());
    Files.setPosixFilePermissions(
        sandbox.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
    ContainerProcess process =
        ContainerProcess.of(
            image.config(),
            command,
            Map.of("MESOS_SANDBOX", ContainerProcess.SANDBOX, "PATH", "/usr/bin:/bin"),
            Map.of());
    Files.createDirectories(runDir);
    List<String> argv =
        runtime.prepare(
            runDir,
            "test-" + name,
            image,
            process,
            NOBODY,
            sandbox,
            readOnly,
            privateNetwork,
            null);
    LaunchSpec spec =
        LaunchSpec.of(runDir, sandbox, argv, Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"))
            .withUser(NOBODY)
            .withProgramAsRoot();
    TaskProcess task = launcher.launch(spec);
    started.add(task);
    ExitStatus exit = task.exit().get(30, TimeUnit.SECONDS);
    runtime.cleanUp(runDir, "test-" + name);
    return new Result(
        exit,
        Files.isRegularFile(sandbox.resolve("stdout"), java.nio.file.LinkOption.NOFOLLOW_LINKS)
            ? Files.readString(sandbox.resolve("stdout"))
            : "",
        Files.isRegularFile(sandbox.resolve("stderr"), java.nio.file.LinkOption.NOFOLLOW_LINKS)
            ? Files.readString(sandbox.resolve("stderr"))
            : "",
        sandbox);
  }
}
