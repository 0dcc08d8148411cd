package io.mesokube.e2e.controlplane;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code e2e/controlplane/build.sh SET}, which builds a set of binaries once (cached) and
 * prints their directory; its progress on stderr goes to the log line by line.
 */
final class BuildScript {

  private static final Logger LOG = LoggerFactory.getLogger(BuildScript.class);
  private static final String SCRIPT = "e2e/controlplane/build.sh";

  private BuildScript() {}

  /** Runs the script for the control plane and returns the bin directory it printed. */
  static Path run() {
    return run("controlplane");
  }

  /**
   * Runs the script for {@code set} (controlplane, containerd, helm); returns its bin directory.
   */
  static Path run(String set) {
    var root = repositoryRoot(Path.of("").toAbsolutePath());
    var script = root.resolve(SCRIPT);
    LOG.info("locating the {} binaries with {}", set, script);
    try {
      var process =
          new ProcessBuilder("bash", script.toString(), set)
              .directory(root.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
      var progress = Thread.ofVirtual().start(() -> logLines(process));
      var stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int exit = process.waitFor();
      progress.join();
      var lines = stdout.strip().lines().toList();
      if (exit != 0 || lines.isEmpty()) {
        throw new IllegalStateException(
            "%s failed with exit code %d; see its output above".formatted(script, exit));
      }
      return Path.of(lines.getLast());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + script, e);
    }
  }

  private static void logLines(Process process) {
    try (var reader =
        new BufferedReader(
            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      reader.lines().forEach(line -> LOG.info("build.sh: {}", line));
    } catch (IOException e) {
      LOG.debug("stopped reading build.sh's progress", e);
    }
  }

  /** The nearest directory at or above {@code start} with mvnw and the build script. */
  static Path repositoryRoot(Path start) {
    return Optional.of(start)
        .flatMap(BuildScript::findUp)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "cannot find the Mesokube repository (a directory with mvnw and %s) at or above %s; set -D%s"
                        .formatted(SCRIPT, start, ControlPlaneConfig.BIN_PROPERTY)));
  }

  private static Optional<Path> findUp(Path dir) {
    for (var current = dir; current != null; current = current.getParent()) {
      if (Files.isRegularFile(current.resolve("mvnw"))
          && Files.isRegularFile(current.resolve(SCRIPT))) {
        return Optional.of(current);
      }
    }
    return Optional.empty();
  }
}
