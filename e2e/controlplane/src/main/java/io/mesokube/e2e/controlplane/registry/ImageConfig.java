package io.mesokube.e2e.controlplane.registry;

import java.util.ArrayList;
import java.util.List;

/**
 * The runtime part of an image's configuration; empty lists and null strings are left unset.
 *
 * @param entrypoint {@code Entrypoint}
 * @param cmd {@code Cmd}
 * @param env {@code Env}, as {@code NAME=value}
 * @param workingDir {@code WorkingDir}, or null
 * @param user {@code User} ({@code uid[:gid]} or a name), or null
 */
public record ImageConfig(
    List<String> entrypoint, List<String> cmd, List<String> env, String workingDir, String user) {

  /** An image configuration with nothing set. */
  public static final ImageConfig NONE =
      new ImageConfig(List.of(), List.of(), List.of(), null, null);

  public ImageConfig {
    entrypoint = List.copyOf(entrypoint);
    cmd = List.copyOf(cmd);
    env = List.copyOf(env);
  }

  /** This configuration with {@code Entrypoint} set to {@code entrypoint}. */
  public ImageConfig withEntrypoint(String... entrypoint) {
    return new ImageConfig(List.of(entrypoint), cmd, env, workingDir, user);
  }

  /** This configuration with {@code Cmd} set to {@code cmd}. */
  public ImageConfig withCmd(String... cmd) {
    return new ImageConfig(entrypoint, List.of(cmd), env, workingDir, user);
  }

  /** This configuration with {@code Env} set to {@code env} ({@code NAME=value} each). */
  public ImageConfig withEnv(String... env) {
    return new ImageConfig(entrypoint, cmd, List.of(env), workingDir, user);
  }

  /** This configuration with {@code WorkingDir} set. */
  public ImageConfig withWorkingDir(String workingDir) {
    return new ImageConfig(entrypoint, cmd, env, workingDir, user);
  }

  /** This configuration with {@code User} set. */
  public ImageConfig withUser(String user) {
    return new ImageConfig(entrypoint, cmd, env, workingDir, user);
  }

  /** The {@code umoci config} options that give an image this configuration. */
  List<String> umociOptions() {
    // --flag=value, so that a value starting with "-" is not taken for a flag.
    List<String> options = new ArrayList<>();
    entrypoint.forEach(arg -> options.add("--config.entrypoint=" + arg));
    cmd.forEach(arg -> options.add("--config.cmd=" + arg));
    env.forEach(variable -> options.add("--config.env=" + variable));
    if (workingDir != null) {
      options.add("--config.workingdir=" + workingDir);
    }
    if (user != null) {
      options.add("--config.user=" + user);
    }
    return options;
  }
}
