package io.mesokube.agent.sandbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Builds the sandbox beans from configuration. They are plain classes, produced {@code @Singleton}
 * so that no client proxy is needed around them.
 */
@ApplicationScoped
public class SandboxProducers {
  /** The sandboxes live in {@code <state-dir>/sandboxes}. */
  @Produces
  @Singleton
  Sandboxes sandboxes(
      @ConfigProperty(name = "mesokube.agent.state-dir", defaultValue = "/var/lib/mesokube/agent")
          String stateDir) {
    return new Sandboxes(Path.of(stateDir, "sandboxes"));
  }

  @Produces
  @Singleton
  SandboxFiles sandboxFiles(Sandboxes sandboxes) {
    return new SandboxFiles(sandboxes.root());
  }

  /** Mesos' logrotate module defaults to 10 MB per log; five copies bound a log to 60 MB. */
  @Produces
  @Singleton
  LogRotation logRotation(
      Sandboxes sandboxes,
      @ConfigProperty(name = "mesokube.agent.sandbox.log-max-size", defaultValue = "10M")
          MemorySize maxSize,
      @ConfigProperty(name = "mesokube.agent.sandbox.log-max-files", defaultValue = "5")
          int maxFiles,
      MeterRegistry meters) {
    return new LogRotation(sandboxes, maxSize.asLongValue(), maxFiles, meters);
  }

  /** Mesos' defaults: {@code --gc_delay=1weeks}, {@code --gc_disk_headroom=0.1}. */
  @Produces
  @Singleton
  SandboxGc sandboxGc(
      Sandboxes sandboxes,
      @ConfigProperty(name = "mesokube.agent.sandbox.gc-delay", defaultValue = "7d")
          Duration gcDelay,
      @ConfigProperty(name = "mesokube.agent.sandbox.gc-disk-headroom", defaultValue = "0.1")
          double diskHeadroom,
      MeterRegistry meters) {
    return new SandboxGc(
        sandboxes, gcDelay, diskHeadroom, DiskUsage.fileStore(), Clock.systemUTC(), meters);
  }
}
