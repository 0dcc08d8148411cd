package io.mesokube.agent.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mesokube.agent.images.Image;
import io.mesokube.api.v1alpha1.task.CommandSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mesos' docker runtime isolator rules for what a container runs. */
class ContainerProcessTest {
  private static final Image.RuntimeConfig IMAGE =
      new Image.RuntimeConfig(
          List.of("/entry"),
          List.of("--default"),
          List.of("PATH=/opt/bin", "A=image"),
          "/srv",
          "app");
  private static final Map<String, String> AGENT =
      Map.of("PATH", "/usr/bin:/bin", "MESOS_SANDBOX", ContainerProcess.SANDBOX, "A", "agent");

  @Test
  void aShellOrArgvReplacesEntrypointAndCmd() {
    assertThat(
            ContainerProcess.of(
                    IMAGE, new CommandSpec("echo hi", null, null, null), AGENT, Map.of())
                .args())
        .containsExactly("/bin/sh", "-c", "echo hi");
    assertThat(
            ContainerProcess.of(
                    IMAGE, new CommandSpec(null, List.of("/x", "y"), null, null), AGENT, Map.of())
                .args())
        .containsExactly("/x", "y");
  }

  @Test
  void withoutACommandTheImagesEntrypointThenCmdRun() {
    assertThat(ContainerProcess.of(IMAGE, null, AGENT, Map.of()).args())
        .containsExactly("/entry", "--default");
    var cmdOnly = new Image.RuntimeConfig(List.of(), List.of("/bin/app"), List.of(), null, null);
    assertThat(ContainerProcess.of(cmdOnly, null, AGENT, Map.of()).args())
        .containsExactly("/bin/app");
    var none = new Image.RuntimeConfig(List.of(), List.of(), List.of(), null, null);
    assertThatThrownBy(() -> ContainerProcess.of(none, null, AGENT, Map.of()))
        .hasMessageContaining("nothing to run");
  }

  @Test
  void environmentIsImageThenAgentThenTaskAndTheImagesPathWins() {
    ContainerProcess p = ContainerProcess.of(IMAGE, null, AGENT, Map.of("B", "task", "A", "task"));
    assertThat(p.env())
        .containsEntry("PATH", "/opt/bin")
        .containsEntry("MESOS_SANDBOX", "/mnt/mesos/sandbox")
        .containsEntry("A", "task")
        .containsEntry("B", "task");
    var noPath = new Image.RuntimeConfig(List.of("/e"), List.of(), List.of(), null, null);
    assertThat(ContainerProcess.of(noPath, null, AGENT, Map.of()).env())
        .containsEntry("PATH", "/usr/bin:/bin");
    assertThat(ContainerProcess.of(noPath, null, AGENT, Map.of("PATH", "/mine")).env())
        .containsEntry("PATH", "/mine");
  }

  @Test
  void theWorkingDirectoryIsTheImagesElseTheSandbox() {
    assertThat(ContainerProcess.of(IMAGE, null, AGENT, Map.of()).cwd()).isEqualTo("/srv");
    var noDir = new Image.RuntimeConfig(List.of("/e"), List.of(), List.of(), null, null);
    assertThat(ContainerProcess.of(noDir, null, AGENT, Map.of()).cwd())
        .isEqualTo("/mnt/mesos/sandbox");
  }
}
