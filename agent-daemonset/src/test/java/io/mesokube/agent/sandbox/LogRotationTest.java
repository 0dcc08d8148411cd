package io.mesokube.agent.sandbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogRotationTest {
  @TempDir Path state;
  Sandboxes sandboxes;
  Sandbox sandbox;
  Path stdout;
  SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @BeforeEach
  void createSandbox() throws IOException {
    sandboxes = new Sandboxes(state.resolve("sandboxes"));
    sandbox = sandboxes.create("ns", "task", SandboxesTest.uid(), -1, -1);
    stdout = sandbox.dir().resolve("stdout");
  }

  @Test
  void keepsAtMostMaxFilesWithTheNewestInStdout() throws IOException {
    LogRotation rotation = new LogRotation(sandboxes, 10, 2, meters);
    try (OutputStream task = Files.newOutputStream(stdout, WRITE, APPEND)) {
      for (String generation : new String[] {"A", "B", "C"}) {
        task.write(generation.repeat(11).getBytes(UTF_8));
        task.flush();
        assertThat(rotation.rotateAll())
            .containsExactly(new LogRotation.Rotated(sandbox, "stdout", 11));
      }
      task.write("newest".getBytes(UTF_8));
    }

    assertThat(stdout).hasContent("newest");
    assertThat(sandbox.dir().resolve("stdout.1")).hasContent("C".repeat(11));
    assertThat(sandbox.dir().resolve("stdout.2")).hasContent("B".repeat(11));
    assertThat(sandbox.dir().resolve("stdout.3")).doesNotExist();
    assertThat(SandboxesTest.mode(sandbox.dir().resolve("stdout.1"))).isEqualTo("rw-r-----");
    assertThat(meters.counter("mesokube_agent_sandbox_log_rotations", "file", "stdout").count())
        .isEqualTo(3);
    assertThat(meters.counter("mesokube_agent_sandbox_log_rotated_bytes", "file", "stdout").count())
        .isEqualTo(33);
  }

  @Test
  void anAppendAfterTheTruncationStartsTheFileAgain() throws IOException {
    LogRotation rotation = new LogRotation(sandboxes, 10, 1, meters);
    // The task's descriptor stays open across the rotation, as a shell's >> does.
    try (OutputStream task = Files.newOutputStream(stdout, WRITE, APPEND)) {
      task.write("0123456789abcdef".getBytes(UTF_8));
      task.flush();
      rotation.rotate(sandbox, "stdout");
      task.write("after".getBytes(UTF_8));
    }

    assertThat(Files.readAllBytes(stdout)).isEqualTo("after".getBytes(UTF_8));
    assertThat(sandbox.dir().resolve("stdout.1")).hasContent("0123456789abcdef");
  }

  @Test
  void leavesLogsUpToMaxSizeAlone() throws IOException {
    Files.writeString(stdout, "0123456789");
    Files.writeString(sandbox.dir().resolve("stderr"), "short");

    assertThat(new LogRotation(sandboxes, 10, 3, meters).rotateAll()).isEmpty();
    assertThat(stdout).hasContent("0123456789");
    assertThat(sandbox.dir().resolve("stdout.1")).doesNotExist();
  }

  @Test
  void maxFilesZeroTruncatesWithoutACopy() throws IOException {
    Files.writeString(sandbox.dir().resolve("stderr"), "e".repeat(20));

    assertThat(new LogRotation(sandboxes, 10, 0, meters).rotateAll())
        .containsExactly(new LogRotation.Rotated(sandbox, "stderr", 20));
    assertThat(sandbox.dir().resolve("stderr")).isEmptyFile();
    assertThat(sandbox.dir().resolve("stderr.1")).doesNotExist();
  }

  @Test
  void neverTruncatesOrCopiesAFileOutsideTheSandbox() throws IOException {
    Path secret = Files.writeString(state.resolve("secret"), "s".repeat(100));
    Files.delete(stdout);
    Files.createSymbolicLink(stdout, secret);
    Path stderr = sandbox.dir().resolve("stderr");
    Files.delete(stderr);
    Files.createLink(stderr, secret);

    assertThat(new LogRotation(sandboxes, 10, 2, meters).rotateAll()).isEmpty();
    assertThat(secret).hasContent("s".repeat(100));
    assertThat(sandbox.dir().resolve("stdout.1")).doesNotExist();
    assertThat(sandbox.dir().resolve("stderr.1")).doesNotExist();
  }

  @Test
  void aPlantedRotatedNameIsReplacedNotFollowed() throws IOException {
    Path secret = Files.writeString(state.resolve("secret"), "keep");
    Files.createSymbolicLink(sandbox.dir().resolve("stdout.1"), secret);
    Files.createSymbolicLink(sandbox.dir().resolve("stdout.2"), secret);
    Files.writeString(stdout, "x".repeat(20));

    new LogRotation(sandboxes, 10, 2, meters).rotateAll();

    assertThat(secret).hasContent("keep");
    assertThat(sandbox.dir().resolve("stdout.1")).isRegularFile().hasContent("x".repeat(20));
  }
}
