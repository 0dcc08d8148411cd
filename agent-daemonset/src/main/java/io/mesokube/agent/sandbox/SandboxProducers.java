package io.mesokube.agent.sandbox;

import io.mesokube.agent.config.AgentConfig;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * Builds the sandbox beans from configuration. They are plain classes, produced {@code @Singleton}
 * so that no client proxy is needed around them.
 */
@ApplicationScoped
public class SandboxProducers {
  /** The sandboxes live in {@code <state-dir>/sandboxes}. */
  @Produces
  @Singleton
  Sandboxes sandboxes(AgentConfig config) {
    return new Sandboxes(config.stateDir().resolve("sandboxes"));
  }

  @Produces
  @Singleton
  SandboxFiles sandboxFiles(Sandboxes sandboxes) {
    return new SandboxFiles(sandboxes.root());
  }

  @Produces
  @Singleton
  LogRotation logRotation(Sandboxes sandboxes, AgentConfig config, MeterRegistry meters) {
    return new LogRotation(
        sandboxes,
        config.sandbox().logMaxSize().asLongValue(),
        config.sandbox().logMaxFiles(),
        meters);
  }

  @Produces
  @Singleton
  SandboxGc sandboxGc(Sandboxes sandboxes, AgentConfig config, MeterRegistry meters) {
    return new SandboxGc(
        sandboxes,
        config.sandbox().gcDelay(),
        config.sandbox().gcDiskHeadroom(),
        DiskUsage.fileStore(),
        Clock.systemUTC(),
        meters);
  }
}
