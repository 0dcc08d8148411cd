package io.mesokube.agent.registration;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mesokube.agent.checkpoint.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Who this agent is across restarts: its Mesos agent id, checkpointed under the state directory
 * (Mesos' {@code meta/slaves/latest}). A restart that finds it keeps the id and recovers its tasks;
 * a fresh start or a refused agent gets a new one.
 *
 * @param agentId the Mesos agent id, e.g. {@code 6f1c...-S0}
 * @param name the Agent object's name it was registered under
 * @param registeredTime when that id was first registered
 */
public record AgentIdentity(String agentId, String name, Instant registeredTime) {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .findAndRegisterModules()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** A new identity for {@code name}. */
  public static AgentIdentity fresh(String name, Instant now) {
    return new AgentIdentity(UUID.randomUUID() + "-S0", name, now);
  }

  /** The checkpointed identity, if the state directory has one. */
  public static Optional<AgentIdentity> load(Path stateDir) throws IOException {
    Optional<byte[]> bytes = AtomicFiles.readIfExists(file(stateDir));
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(JSON.readValue(bytes.get(), AgentIdentity.class));
  }

  /** Checkpoints this identity atomically. */
  public void save(Path stateDir) throws IOException {
    java.nio.file.Files.createDirectories(
        file(stateDir).getParent(),
        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
            java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
    AtomicFiles.write(
        file(stateDir), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
  }

  private static Path file(Path stateDir) {
    return stateDir.resolve("meta").resolve("agent.json");
  }
}
