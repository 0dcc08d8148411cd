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

/** Runs the built kubectl against the control plane with a given kubeconfig. */
final class Kubectl {

  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private final Path binary;
  private final Path kubeconfig;
  private final Path scratch;

  Kubectl(Path binary, Path kubeconfig, Path scratch) {
    this.binary = binary;
    this.kubeconfig = kubeconfig;
    this.scratch = scratch;
  }

  /** Runs {@code kubectl --kubeconfig=... args}, feeding {@code stdin} (may be null). */
  KubectlResult run(String stdin, List<String> args) {
    var command = new ArrayList<String>();
    command.add(binary.toString());
    command.add("--kubeconfig=" + kubeconfig);
    command.addAll(args);
    try {
      // Files rather than pipes: no reader threads, and no deadlock on large outputs.
      Files.createDirectories(scratch);
      var out = Files.createTempFile(scratch, "kubectl-", ".out");
      var err = Files.createTempFile(scratch, "kubectl-", ".err");
      var in = Files.createTempFile(scratch, "kubectl-", ".in");
      try {
        Files.writeString(in, stdin == null ? "" : stdin);
        var process =
            new ProcessBuilder(command)
                .redirectInput(in.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor();
          throw new IllegalStateException("kubectl " + args + " did not finish in " + TIMEOUT);
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
      throw new UncheckedIOException("cannot run kubectl " + args, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running kubectl " + args, e);
    }
  }
}
