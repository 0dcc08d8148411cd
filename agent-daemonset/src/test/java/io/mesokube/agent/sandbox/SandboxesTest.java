package io.mesokube.agent.sandbox;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxesTest {
  @TempDir Path state;

  private Sandboxes sandboxes() {
    return new Sandboxes(state.resolve("sandboxes"));
  }

  static String uid() {
    return UUID.randomUUID().toString();
  }

  @Test
  void createsTheSandboxWithEmptyLogs() throws IOException {
    String uid = uid();
    Sandbox sandbox = sandboxes().create("team-a", "web.1", uid, -1, -1);

    assertThat(sandbox.dir()).isEqualTo(state.resolve("sandboxes/team-a/web.1/" + uid));
    assertThat(mode(sandbox.dir())).isEqualTo("rwxr-x---");
    assertThat(mode(sandbox.dir().getParent())).isEqualTo("rwxr-xr-x");
    for (String log : new String[] {"stdout", "stderr"}) {
      assertThat(sandbox.dir().resolve(log)).isRegularFile().isEmptyFile();
      assertThat(mode(sandbox.dir().resolve(log))).isEqualTo("rw-r-----");
    }
  }

  @Test
  void givesTheSandboxButNotItsParentsToTheTasksUser() throws IOException {
    assumeTrue("root".equals(System.getProperty("user.name")), "chown needs root");
    Sandbox sandbox = sandboxes().create("team-a", "web", uid(), 65534, 65534);

    for (Path owned : new Path[] {sandbox.dir(), sandbox.dir().resolve("stdout")}) {
      assertThat(Files.getAttribute(owned, "unix:uid")).isEqualTo(65534);
      assertThat(Files.getAttribute(owned, "unix:gid")).isEqualTo(65534);
    }
    assertThat(Files.getAttribute(sandbox.dir().getParent(), "unix:uid")).isEqualTo(0);
  }

  @Test
  void createAgainKeepsWhatTheTaskWrote() throws IOException {
    String uid = uid();
    Sandbox sandbox = sandboxes().create("ns", "task", uid, -1, -1);
    Files.writeString(sandbox.dir().resolve("stdout"), "kept");

    sandboxes().create("ns", "task", uid, -1, -1);

    assertThat(sandbox.dir().resolve("stdout")).hasContent("kept");
  }

  @Test
  void refusesNamesThatAreNotKubernetesNames() {
    String uid = uid();
    assertRefused("..", "task", uid, "namespace");
    assertRefused("Team", "task", uid, "namespace");
    assertRefused("a".repeat(64), "task", uid, "namespace");
    assertRefused("ns", "../etc", uid, "task name");
    assertRefused("ns", "a/b", uid, "task name");
    assertRefused("ns", ".", uid, "task name");
    assertRefused("ns", "", uid, "task name");
    assertRefused("ns", "task", "../../etc", "task UID");
    assertRefused("ns", "task", uid.toUpperCase(), "task UID");
    assertRefused("ns", "task", null, "task UID");
  }

  @Test
  void listsSandboxesAndSkipsAnythingElse() throws IOException {
    Sandboxes sandboxes = sandboxes();
    Sandbox first = sandboxes.create("ns", "a", uid(), -1, -1);
    Sandbox second = sandboxes.create("other", "b.c", uid(), -1, -1);
    Files.writeString(sandboxes.root().resolve("ns/a/stray-file"), "x");
    Files.createDirectory(sandboxes.root().resolve("ns/a/not-a-uid"));
    Files.createSymbolicLink(sandboxes.root().resolve("ns/a/" + uid()), first.dir());

    assertThat(sandboxes.list()).containsExactlyInAnyOrder(first, second);
  }

  @Test
  void removeDeletesTheTreeWithoutFollowingLinks() throws IOException {
    Sandboxes sandboxes = sandboxes();
    Sandbox doomed = sandboxes.create("ns", "task", uid(), -1, -1);
    Sandbox sibling = sandboxes.create("ns", "other", uid(), -1, -1);
    Path outside = Files.createDirectory(state.resolve("outside"));
    Files.writeString(outside.resolve("precious"), "keep me");
    Files.createSymbolicLink(doomed.dir().resolve("link-to-dir"), outside);
    Files.createSymbolicLink(doomed.dir().resolve("link-to-file"), outside.resolve("precious"));
    Path deep = doomed.dir();
    for (int i = 0; i < SecureDirs.MAX_DEPTH * 2 + 3; i++) {
      deep = Files.createDirectory(deep.resolve("d"));
    }
    Files.writeString(deep.resolve("bottom"), "12345");

    long freed = sandboxes.remove(doomed);

    assertThat(doomed.dir()).doesNotExist();
    assertThat(doomed.dir().getParent()).doesNotExist();
    assertThat(sibling.dir()).isDirectory();
    assertThat(outside.resolve("precious")).hasContent("keep me");
    assertThat(freed).isEqualTo(5);
  }

  private void assertRefused(String namespace, String name, String uid, String part) {
    assertThatThrownBy(() -> sandboxes().sandbox(namespace, name, uid))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid " + part);
  }

  static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, NOFOLLOW_LINKS));
  }
}
