package io.mesokube.agent.images;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one command of an image tool (skopeo, umoci) to its end, with a timeout, keeping what it
 * printed. The tools' output is short; stderr is merged into stdout.
 *
 * @param exitCode the exit status, or -1 if the command was killed at its timeout
 * @param output what it printed
 */
record ToolRun(int exitCode, String output) {

  /** The longest output kept: the end of it, where the tools put their error. */
  private static final int KEPT = 8192;

  boolean ok() {
    return exitCode == 0;
  }

  /** The last line of the output, where skopeo and umoci put their error. */
  String lastLine() {
    String trimmed = output.strip();
    int newline = trimmed.lastIndexOf('\n');
    return newline < 0 ? trimmed : trimmed.substring(newline + 1);
  }

  /** Runs {@code command} in {@code dir}; kills it after {@code timeout}. */
  static ToolRun run(List<String> command, Path dir, Duration timeout)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (dir != null) {
      builder.directory(dir.toFile());
    }
    builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    // Output goes to a file, not a pipe: a chatty tool can never block on a full pipe.
    Path out = Files.createTempFile("mesokube-tool-", ".out");
    try {
      builder.redirectOutput(out.toFile());
      Process process = builder.start();
      boolean exited;
      try {
        exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        // Nobody waits for its result any more (a pull for killed tasks): it must not run on.
        destroy(process);
        throw e;
      }
      if (!exited) {
        destroy(process);
        return new ToolRun(-1, tail(out));
      }
      return new ToolRun(process.exitValue(), tail(out));
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** Kills the tool and its children, and reaps it (uninterruptibly: it dies at once). */
  private static void destroy(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    boolean interrupted = false;
    while (true) {
      try {
        process.waitFor();
        break;
      } catch (InterruptedException again) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static String tail(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      long size = Files.size(file);
      if (size > KEPT) {
        in.skipNBytes(size - KEPT);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
