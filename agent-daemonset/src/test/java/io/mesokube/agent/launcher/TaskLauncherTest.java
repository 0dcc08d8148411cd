package io.mesokube.agent.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Launches real tasks under real supervisors. */
class TaskLauncherTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path tempDir;
  private LaunchFixture fixture;

  @BeforeEach
  void setUp() throws Exception {
    fixture = new LaunchFixture(tempDir);
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.close();
  }

  @Test
  void exitStatusIsRecorded() throws Exception {
    TaskProcess task = fixture.launch(fixture.spec("three", "/bin/sh", "-c", "exit 3"));

    assertThat(task.exit()).succeedsWithin(WAIT).isEqualTo(ExitStatus.exited(3));
    assertThat(Files.readString(task.runDir().resolve(RunDir.EXIT))).isEqualTo("exited 3\n");
  }

  @Test
  void exitStatus137IsNoSignal() throws Exception {
    TaskProcess task = fixture.launch(fixture.spec("exit137", "/bin/sh", "-c", "exit 137"));

    assertThat(task.exit()).succeedsWithin(WAIT).isEqualTo(ExitStatus.exited(137));
  }

  @Test
  void sigkillIsRecordedAsSignal9() throws Exception {
    LaunchSpec spec = fixture.blocked("killed", 7);
    TaskProcess task = fixture.launch(spec);

    assertThat(task.signalTask(TaskProcess.SIGKILL)).isTrue();

    assertThat(task.exit())
        .succeedsWithin(WAIT)
        .satisfies(
            status -> {
              assertThat(status).isEqualTo(ExitStatus.signaled(9));
              assertThat(status.shellStatus()).isEqualTo(137);
              assertThat(status.message()).isEqualTo("Command terminated with signal 9");
            });
    assertThat(task.signalTask(TaskProcess.SIGKILL)).as("nothing left to signal").isFalse();
  }

  @Test
  void sigtermReachesTheTaskWithItsDefaultDisposition() throws Exception {
    TaskProcess task = fixture.launch(fixture.blocked("terminated", 7));

    assertThat(task.signalTask(TaskProcess.SIGTERM)).isTrue();

    assertThat(task.exit()).succeedsWithin(WAIT).isEqualTo(ExitStatus.signaled(15));
  }

  @Test
  void onlySigtermAndSigkillAreSent() throws Exception {
    TaskProcess task = fixture.launch(fixture.blocked("sighup", 7));

    assertThatThrownBy(() -> task.signalTask(1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void taskStartsWithNoSignalIgnoredOrBlocked() throws Exception {
    LaunchSpec spec =
        fixture.spec("signals", "/bin/grep", "-E", "^Sig(Ign|Blk)", "/proc/self/status");
    TaskProcess task = fixture.launch(spec);

    assertThat(task.exit()).succeedsWithin(WAIT);
    // Signals 1-31; 32 and 33 belong to glibc, which installs its own handlers for them.
    assertThat(fixture.stdout(spec).lines())
        .map(line -> Long.parseLong(line.substring(line.indexOf('\t') + 1), 16) & 0x7fffffffL)
        .containsExactly(0L, 0L);
  }

  @Test
  void outputIsAppendedToTheSandbox() throws Exception {
    LaunchSpec spec = fixture.spec("output", "/bin/sh", "-c", "echo out; echo err >&2");
    Files.createDirectories(spec.sandboxDir());
    Files.writeString(spec.sandboxDir().resolve("stdout"), "earlier\n");

    assertThat(fixture.launch(spec).exit()).succeedsWithin(WAIT);

    assertThat(fixture.stdout(spec)).isEqualTo("earlier\nout\n");
    assertThat(spec.sandboxDir().resolve("stderr")).hasContent("err");
  }

  @Test
  void environmentIsExactlyTheGivenOne() throws Exception {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PLAIN", "1");
    env.put("dotted.name", "not a shell name");
    env.put("QUOTES", "it's \"quoted\" $HOME `id` \\");
    env.put("MULTI", "line one\nline two");
    env.put("EMPTY", "");
    LaunchSpec spec =
        LaunchSpec.of(
            tempDir.resolve("tasks/env"),
            tempDir.resolve("sandboxes/env"),
            List.of("/usr/bin/env", "-0"),
            env);

    assertThat(fixture.launch(spec).exit()).succeedsWithin(WAIT);

    List<String> printed = List.of(fixture.stdout(spec).split("\0"));
    assertThat(printed)
        .containsExactlyInAnyOrderElementsOf(
            env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    assertThat(spec.runDir().resolve(RunDir.TASK_ENV)).as("secrets leave the disk").doesNotExist();
  }

  @Test
  void workingDirectoryIsTheSandbox() throws Exception {
    LaunchSpec spec = fixture.spec("cwd", "/bin/pwd");

    assertThat(fixture.launch(spec).exit()).succeedsWithin(WAIT);

    assertThat(fixture.stdout(spec)).isEqualTo(spec.sandboxDir().toRealPath() + "\n");
  }

  @Test
  void missingProgramIsRefusedAtOnce() {
    assertThatThrownBy(() -> fixture.launch(fixture.spec("missing", "/nonexistent/program")))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("'/nonexistent/program' not found");
    assertThatThrownBy(() -> fixture.launch(fixture.spec("missing-on-path", "no-such-program")))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining(
            "'no-such-program' not found or not executable on PATH /usr/bin:/bin");
  }

  @Test
  void programIsLookedUpAsExecvpWillInTheTask() throws Exception {
    LaunchSpec inSandbox =
        LaunchSpec.of(
            tempDir.resolve("tasks/empty-entry"),
            tempDir.resolve("sandboxes/empty-entry"),
            List.of("here"),
            Map.of("PATH", "/usr/bin:"));
    Files.createDirectories(inSandbox.sandboxDir());
    Path here = Files.writeString(inSandbox.sandboxDir().resolve("here"), "#!/bin/sh\necho here\n");
    Files.setPosixFilePermissions(here, PosixFilePermissions.fromString("rwxr-xr-x"));
    LaunchSpec directory = fixture.spec("directory", "./dir");
    Files.createDirectories(directory.sandboxDir().resolve("dir"));

    // An empty PATH entry is the cwd, the sandbox.
    assertThat(fixture.launch(inSandbox).exit()).succeedsWithin(WAIT);
    assertThat(fixture.stdout(inSandbox)).isEqualTo("here\n");
    assertThatThrownBy(() -> fixture.launch(directory))
        .isInstanceOf(LaunchException.class)
        .hasMessage(
            "program './dir' not found or not executable (relative to %s)", directory.sandboxDir());
    // The supervisor still records the failed launch; the temp dir goes only once it is done.
    org.awaitility.Awaitility.await()
        .atMost(WAIT)
        .until(
            () ->
                RunDir.supervisor(directory.runDir()).map(id -> !id.isAlive()).orElse(true)
                    && Files.exists(directory.runDir().resolve("exit")));
  }

  @Test
  void runDirServesOneLaunch() throws Exception {
    LaunchSpec spec = fixture.spec("once", "/bin/true");
    assertThat(fixture.launch(spec).exit()).succeedsWithin(WAIT);

    assertThatThrownBy(() -> fixture.launch(spec))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("launched in this run dir before");
  }
}
