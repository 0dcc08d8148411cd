package io.mesokube.e2e.controlplane;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills the components of one control plane when the JVM that started them is gone, however it went
 * (normal exit without the shutdown hook, crash, {@code kill -9}).
 *
 * <p>Why one reaper process per control plane rather than a wrapper per component: the JVM then
 * starts each component directly, so {@link Process#pid()} and the exit code are the component's
 * own, and stopping one for fault injection is a plain SIGTERM to it. Why a pipe rather than
 * polling the JVM's pid: the reaper blocks reading its stdin, a pipe whose only writer is this JVM
 * (Java closes inherited descriptors in every child it starts), so the kernel delivers EOF the
 * moment the JVM dies, with no polling delay and no pid-reuse race. It then SIGTERMs every pid
 * listed under {@link WorkDir#pids()} and SIGKILLs what is left after the grace period. A pid is
 * only signalled while its command line still names this work dir, so a pid reused by an unrelated
 * process is never touched. The reaper runs in its own session, like the components, so a
 * terminal's Ctrl-C reaches only the JVM, which then stops everything in order.
 */
final class Reaper implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Reaper.class);

  private static final String SCRIPT =
      """
      #!/usr/bin/env bash
      # Written by io.mesokube.e2e.controlplane.Reaper; see its javadoc.
      work_dir="$1"
      grace_seconds="$2"
      shift 2 # the rest: component names in stop order
      while read -r _; do :; done # EOF: the JVM that started the control plane is gone
      owned() { [[ -r "/proc/$1/cmdline" ]] && tr '\\0' '\\n' <"/proc/$1/cmdline" | grep -qF -- "$work_dir"; }
      for component in "$@"; do
        file="$work_dir/pids/$component.pid"
        [[ -f "$file" ]] || continue
        pid="$(<"$file")"
        owned "$pid" || continue
        echo "reaper: the JVM is gone; stopping $component (pid $pid)"
        kill -TERM "$pid" 2>/dev/null
        for ((i = 0; i < grace_seconds * 10; i++)); do
          owned "$pid" || continue 2
          sleep 0.1
        done
        echo "reaper: $component ignored SIGTERM for $grace_seconds s; killing it"
        kill -KILL "$pid" 2>/dev/null
      done
      exit 0
      """;

  private final Process process;
  private final OutputStream lifeline;

  private Reaper(Process process) {
    this.process = process;
    this.lifeline = process.getOutputStream();
  }

  /** Starts the reaper of the control plane in {@code dir}. */
  static Reaper start(WorkDir dir, Duration grace) {
    try {
      Files.createDirectories(dir.pids());
      var script = Files.writeString(dir.root().resolve("reaper.sh"), SCRIPT);
      var command =
          new ArrayList<>(
              List.of(
                  "setsid",
                  "bash",
                  script.toString(),
                  dir.root().toString(),
                  Long.toString(Math.max(1, grace.toSeconds()))));
      // Reverse start order: the API server's clients first, etcd last.
      List.of(Component.values()).reversed().forEach(c -> command.add(c.binary()));
      var process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.root().resolve("reaper.log").toFile())
              .start();
      LOG.debug("reaper started as pid {}", process.pid());
      return new Reaper(process);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the control plane's reaper", e);
    }
  }

  /** The reaper's own pid. */
  long pid() {
    return process.pid();
  }

  /**
   * Ends the reaper after a clean stop: closing the pipe is the same signal as the JVM dying, but
   * no pid file is left by then, so it just exits.
   */
  @Override
  public void close() {
    try {
      lifeline.close();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
