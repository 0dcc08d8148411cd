package io.mesokube.agent.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A mount namespace of its own, a private copy of the test's, held open by a sleeping process: what
 * a test mounts in it ({@link #run}) is seen there only, as the host's file system is seen by a
 * task and not by an agent in its pod. Closing kills the process; the namespace and its mounts go
 * with the last process in it.
 */
public final class PrivateMountNamespace implements AutoCloseable {
  private final Process holder;

  private PrivateMountNamespace(Process holder) {
    this.holder = holder;
  }

  /** Creates the namespace; returns once it exists. */
  public static PrivateMountNamespace create() throws Exception {
    // Private propagation: nothing mounted in it reaches the test's namespace, nor the reverse.
    Process holder =
        new ProcessBuilder(
                "unshare",
                "--mount",
                "--propagation",
                "private",
                "/bin/sh",
                "-c",
                "echo ready && exec sleep 3600")
            .redirectErrorStream(true)
            .start();
    CompletableFuture<String> ready =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new BufferedReader(
                        new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    PrivateMountNamespace namespace = new PrivateMountNamespace(holder);
    try {
      assertThat(ready.get(10, TimeUnit.SECONDS)).as("unshare --mount").isEqualTo("ready");
    } catch (Exception | AssertionError e) {
      namespace.close();
      throw e;
    }
    return namespace;
  }

  /** The namespace file, {@code /proc/PID/ns/mnt} of the holding process. */
  public Path file() {
    return Path.of("/proc", Long.toString(holder.pid()), "ns", "mnt");
  }

  /** The agent's view of it, as the setting names it. */
  public TaskMountNamespace namespace() {
    return TaskMountNamespace.of(Optional.of(file()));
  }

  /**
   * Runs {@code script} (sh, with {@code args} as $1...) in the namespace as root; must succeed.
   */
  public void run(String script, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of("nsenter", "--mount=" + file(), "--", "/bin/sh", "-e", "-c", script, "sh"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("%s finished", script).isTrue();
    assertThat(process.exitValue())
        .as("%s: %s", script, new String(process.getInputStream().readAllBytes()))
        .isZero();
  }

  @Override
  public void close() throws InterruptedException {
    holder.destroyForcibly();
    holder.waitFor(10, TimeUnit.SECONDS);
  }
}
