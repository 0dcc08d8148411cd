package io.mesokube.e2e.controlplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command that takes {@code --kubeconfig} (the built kubectl or helm) against the control
 * plane.
 */
final class KubeCommand {

  private final Path binary;
  private final Path kubeconfig;
  private final Path scratch;
  private final Duration timeout;

  KubeCommand(Path binary, Path kubeconfig, Path scratch, Duration timeout) {
    this.binary = binary;
    this.kubeconfig = kubeconfig;
    this.scratch = scratch;
    this.timeout = timeout;
  }

  /** Runs {@code binary --kubeconfig=... args}, feeding {@code stdin} (may be null). */
  KubectlResult run(String stdin, List<String> args) {
    var command = new ArrayList<String>();
    command.add(binary.toString());
    command.add("--kubeconfig=" + kubeconfig);
    command.addAll(args);
    String name = binary.getFileName().toString();
    try {
      // Files rather than pipes: no reader threads, and no deadlock on large outputs.
      Files.createDirectories(scratch);
      var out = Files.createTempFile(scratch, name + "-", ".out");
      var err = Files.createTempFile(scratch, name + "-", ".err");
      var in = Files.createTempFile(scratch, name + "-", ".in");
      try {
        Files.writeString(in, stdin == null ? "" : stdin);
        var process =
            new ProcessBuilder(command)
                .redirectInput(in.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor();
          throw new IllegalStateException(name + " " + args + " did not finish in " + timeout);
        }
        return new KubectlResult(
            process.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        Files.deleteIfExists(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + name + " " + args, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + name + " " + args, e);
    }
  }
}
