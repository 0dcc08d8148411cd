package io.mesokube.e2e.controlplane;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running component: its process (started through {@code setsid}, which execs it, so the pid is
 * the component's own and it sits in its own session), its log file and its pid file.
 */
final class ComponentProcess {

  private static final Logger LOG = LoggerFactory.getLogger(ComponentProcess.class);

  private final Component component;
  private final Process process;
  private final WorkDir dir;
  private volatile boolean stopping;

  private ComponentProcess(Component component, Process process, WorkDir dir) {
    this.component = component;
    this.process = process;
    this.dir = dir;
  }

  /** Starts the component, appending its stdout and stderr to its log file. */
  static ComponentProcess start(Component component, Path binary, List<String> args, WorkDir dir) {
    var command = new ArrayList<String>();
    command.add("setsid");
    command.add(binary.toString());
    command.addAll(args);
    var log = dir.log(component);
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(
          log,
          "==== %s starting %s%n".formatted(Instant.now(), String.join(" ", command)),
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      var process =
          new ProcessBuilder(command)
              .directory(dir.root().toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      Files.writeString(dir.pidFile(component), Long.toString(process.pid()));
      var started = new ComponentProcess(component, process, dir);
      process.onExit().thenAccept(p -> started.exited());
      LOG.debug("{} started as pid {}", component, process.pid());
      return started;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + component + " from " + binary, e);
    }
  }

  private void exited() {
    if (!stopping) {
      LOG.warn(
          "{} (pid {}) exited unexpectedly with code {}; log: {}",
          component,
          process.pid(),
          process.exitValue(),
          dir.log(component));
    }
  }

  /** The component's pid. */
  long pid() {
    return process.pid();
  }

  /** Whether the process is still running. */
  boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code once the process has exited. */
  OptionalInt exitCode() {
    return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
  }

  /**
   * Stops the component: SIGTERM, then SIGKILL if it is still running after the grace period; a
   * zero grace period sends SIGKILL at once.
   */
  void stop(Duration grace) {
    stopping = true;
    try {
      if (grace.isZero()) {
        process.destroyForcibly().waitFor();
      } else if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
          LOG.warn("{} ignored SIGTERM for {}; sending SIGKILL", component, grace);
          process.destroyForcibly();
          process.waitFor();
        }
      }
      Files.deleteIfExists(dir.pidFile(component));
      LOG.debug("{} (pid {}) stopped with code {}", component, pid(), process.exitValue());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
