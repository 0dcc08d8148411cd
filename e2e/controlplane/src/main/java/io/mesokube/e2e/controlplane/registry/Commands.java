package io.mesokube.e2e.controlplane.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the external tools (umoci, skopeo, htpasswd) the test images and registries are made with.
 */
final class Commands {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private Commands() {}

  /**
   * Runs {@code command} and returns its standard output; fails, naming the command and showing
   * both outputs, on a non-zero exit or after 60 s.
   */
  static String run(String... command) {
    return run(List.of(command));
  }

  /** As {@link #run(String...)}. */
  static String run(List<String> command) {
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("mesokube-command", ".out");
      err = Files.createTempFile("mesokube-command", ".err");
      Process process =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        throw failure(command, "timed out after " + TIMEOUT.toSeconds() + " s", out, err);
      }
      if (process.exitValue() != 0) {
        throw failure(command, "exited with " + process.exitValue(), out, err);
      }
      return Files.readString(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static IllegalStateException failure(List<String> command, String how, Path out, Path err)
      throws IOException {
    return new IllegalStateException(
        String.join(" ", command)
            + " "
            + how
            + "\n--- stdout ---\n"
            + Files.readString(out)
            + "--- stderr ---\n"
            + Files.readString(err));
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // A leftover temporary file does not change a command's result.
      }
    }
  }
}
