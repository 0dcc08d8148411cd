package io.mesokube.agent.images;

import java.nio.file.Path;
import java.util.List;

/**
 * An image ready to run: its root filesystem unpacked (shared by every task that uses it, never
 * written to) and the runtime defaults of its config.
 *
 * @param reference what the task asked for
 * @param manifestDigest the digest of the image manifest the agent pulled
 * @param rootfs the unpacked root filesystem
 * @param config the image's runtime defaults
 */
public record Image(
    ImageReference reference, String manifestDigest, Path rootfs, RuntimeConfig config) {

  /**
   * The parts of an OCI image config that decide how a container starts ({@code config} in the
   * image config JSON).
   *
   * @param entrypoint {@code Entrypoint}, empty if absent
   * @param cmd {@code Cmd}, empty if absent
   * @param env {@code Env}, {@code NAME=value} strings
   * @param workingDir {@code WorkingDir}, or null
   * @param user {@code User}, or null
   */
  public record RuntimeConfig(
      List<String> entrypoint, List<String> cmd, List<String> env, String workingDir, String user) {
    public RuntimeConfig {
      entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
      cmd = cmd == null ? List.of() : List.copyOf(cmd);
      env = env == null ? List.of() : List.copyOf(env);
    }
  }
}
