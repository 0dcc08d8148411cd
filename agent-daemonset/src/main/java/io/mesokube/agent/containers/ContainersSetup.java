package io.mesokube.agent.containers;

import io.mesokube.agent.config.AgentConfig;
import io.mesokube.agent.images.ImageStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the agent's container support from its settings, or says why there is none. */
public final class ContainersSetup {
  private static final Logger LOG = LoggerFactory.getLogger(ContainersSetup.class);

  private ContainersSetup() {}

  /**
   * Container support with images under {@code stateDir/images}; if a tool is missing, support that
   * refuses container tasks with the reason (plain tasks run regardless).
   */
  public static Containers create(
      AgentConfig.Containers config,
      Path stateDir,
      MeterRegistry meters,
      Clock clock,
      Containers.PullSecrets secrets)
      throws IOException {
    String skopeo;
    String umoci;
    OciRuntime runtime;
    try {
      skopeo = Programs.find(config.skopeo());
      umoci = Programs.find(config.umoci());
      runtime = OciRuntime.install(stateDir, config.runtime());
    } catch (IllegalStateException e) {
      LOG.warn("Container images cannot run on this agent: {}", e.getMessage());
      return Containers.unavailable(e.getMessage());
    }
    ImageStore images =
        new ImageStore(
            stateDir.resolve("images"),
            new ImageStore.Settings(
                config.defaultRegistry(),
                config.insecureRegistries(),
                config.pullTimeout(),
                config.cacheSize().asLongValue(),
                skopeo,
                umoci,
                config.pullProgressInterval(),
                config.deniedRegistryNetworks()),
            meters,
            clock);
    LOG.info("Container images run through {}", runtime.runtime());
    // Pulls wait on skopeo and umoci: virtual threads, as many as tasks wait for images.
    return Containers.of(images, runtime, Executors.newVirtualThreadPerTaskExecutor(), secrets);
  }

  /** The runtime's name for the Agent's capabilities, or null if the agent has none. */
  public static String runtimeName(AgentConfig.Containers config) {
    try {
      return Path.of(Programs.find(config.runtime())).getFileName().toString();
    } catch (IllegalStateException e) {
      return null;
    }
  }
}
