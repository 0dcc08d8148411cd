package io.mesokube.agent.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The setting's check: only a mount namespace file passes, and the message says what is wrong. */
class TaskMountNamespaceTest {
  private static final String HINT =
      ". Set it to a mount namespace file such as /proc/1/ns/mnt (an agent in a pod with hostPID),"
          + " or leave it empty to run tasks in the agent's own mount namespace";

  @Test
  void noFileIsTheAgentsOwnNamespaceAndChangesNoCommand() {
    TaskMountNamespace own = TaskMountNamespace.of(Optional.empty());

    assertThat(own).isSameAs(TaskMountNamespace.agents());
    assertThat(own.file()).isEmpty();
    assertThat(own.command(List.of("getent", "passwd", "nobody")))
        .containsExactly("getent", "passwd", "nobody");
  }

  @Test
  void aMountNamespaceIsEnteredWithNsenter() {
    Path file = Path.of("/proc/self/ns/mnt");
    TaskMountNamespace namespace = TaskMountNamespace.of(Optional.of(file));

    assertThat(namespace.file()).contains(file);
    assertThat(namespace.command(List.of("getent", "passwd", "nobody")))
        .containsExactly(
            SupervisorCommand.tool("nsenter"),
            "--mount=/proc/self/ns/mnt",
            "--",
            "getent",
            "passwd",
            "nobody");
  }

  @Test
  void anotherKindOfNamespaceIsRefused() throws Exception {
    Path net = Path.of("/proc/self/ns/net");

    assertThatThrownBy(() -> TaskMountNamespace.of(Optional.of(net)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "mesokube.agent.isolation.task-mount-namespace=/proc/self/ns/net is not usable: it is "
                + Files.readSymbolicLink(net)
                + ", not a mount namespace (mnt:[...])"
                + HINT);
  }

  @Test
  void aMissingFileIsRefused(@TempDir Path dir) {
    Path missing = dir.resolve("no-such-namespace");

    assertThatThrownBy(() -> TaskMountNamespace.of(Optional.of(missing)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "mesokube.agent.isolation.task-mount-namespace="
                + missing
                + " is not usable: it does not exist"
                + HINT);
  }

  @Test
  void aPlainFileIsRefused(@TempDir Path dir) throws Exception {
    Path plain = Files.writeString(dir.resolve("mnt"), "mnt:[4026531840]");

    assertThatThrownBy(() -> TaskMountNamespace.of(Optional.of(plain)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "mesokube.agent.isolation.task-mount-namespace="
                + plain
                + " is not usable: it is not a namespace file"
                + HINT);
  }
}
