package io.mesokube.agent.containers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mesokube.agent.checkpoint.AtomicFiles;
import io.mesokube.agent.checkpoint.FileTrees;
import io.mesokube.agent.images.Image;
import io.mesokube.agent.launcher.TaskUser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs task containers through an OCI runtime (crun, Debian's package): writes each task's bundle
 * in its run dir and gives the command its supervisor runs, {@code unshare -m ... container.sh ...
 * crun run}, in the foreground: crun's exit status is the container's, the supervisor records it,
 * and crun and the container outlive the agent like any task's process.
 *
 * <p>Per task, in the run dir: {@code bundle/config.json}, {@code bundle/rootfs} (where the overlay
 * of the image's shared root filesystem and the task's {@code upper} layer is mounted, unless the
 * root filesystem is read-only: then the shared one is used as is), {@code upper} and {@code work}
 * (overlayfs), {@code runtime} (crun's state). All of it goes with the run dir.
 */
public final class OciRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(OciRuntime.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String SCRIPT = "container.sh";
  private static final String IMAGE = "image";
  private static final Path UNIFIED_CONTROLLERS =
      Path.of("/sys/fs/cgroup/unified/cgroup.controllers");

  /** The runtimes the agent knows how to drive. */
  public enum Kind {
    /** crun: runs with its cgroup manager disabled, inside the task's cgroup. */
    CRUN,
    /** runc: has no such mode; joins the task's cgroup, given as {@code linux.cgroupsPath}. */
    RUNC
  }

  private final String runtime;
  private final Kind kind;
  private final Path script;
  private final String unshare;
  private final boolean hybrid;

  private OciRuntime(String runtime, Kind kind, Path script, String unshare, boolean hybrid) {
    this.runtime = runtime;
    this.kind = kind;
    this.script = script;
    this.unshare = unshare;
    this.hybrid = hybrid;
  }

  /**
   * Finds {@code runtime} (a path, or a name looked up in the standard directories) and installs
   * container.sh in {@code stateDir}.
   *
   * @throws IllegalStateException when the runtime or util-linux's unshare is missing
   */
  public static OciRuntime install(Path stateDir, String runtime) throws IOException {
    byte[] content;
    try (InputStream in = OciRuntime.class.getResourceAsStream(SCRIPT)) {
      if (in == null) {
        throw new IllegalStateException(SCRIPT + " is missing from the agent's classpath");
      }
      content = in.readAllBytes();
    }
    Path script = stateDir.toAbsolutePath().resolve(SCRIPT);
    // By rename, never in place: sh reads a script while it runs it.
    if (!Files.exists(script) || !Arrays.equals(Files.readAllBytes(script), content)) {
      AtomicFiles.write(script, content);
    }
    String path = Programs.find(runtime);
    String name = Path.of(path).getFileName().toString();
    Kind kind =
        switch (name) {
          case "crun" -> Kind.CRUN;
          case "runc" -> Kind.RUNC;
          default ->
              throw new IllegalStateException(
                  "unknown OCI runtime " + path + ": crun and runc are supported");
        };
    // Only crun refuses hosts whose cgroup2 mount beside v1 holds controllers.
    boolean hybrid = false;
    if (kind == Kind.CRUN && Files.isReadable(UNIFIED_CONTROLLERS)) {
      hybrid = !Files.readString(UNIFIED_CONTROLLERS).isBlank();
    }
    return new OciRuntime(path, kind, script, Programs.find("unshare"), hybrid);
  }

  /** The manifest digest of the image the container in {@code runDir} runs, if it is one. */
  public static java.util.Optional<String> imageOf(Path runDir) {
    try {
      return java.util.Optional.of(
          Files.readString(runDir.resolve("bundle").resolve(IMAGE)).strip());
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
  }

  /** The runtime's path. */
  public String runtime() {
    return runtime;
  }

  /** Which runtime it is. */
  public Kind kind() {
    return kind;
  }

  /**
   * Writes the bundle of a task's container into {@code runDir} and returns the command that runs
   * it, for the task's supervisor (as root: {@code LaunchSpec.withProgramAsRoot}).
   *
   * @param id the container's id, unique on this host
   * @param cgroupsPath the task's cgroup relative to the hierarchies' mount points: runc joins it
   */
  public List<String> prepare(
      Path runDir,
      String id,
      Image image,
      ContainerProcess process,
      TaskUser user,
      Path sandbox,
      boolean readOnlyRootfs,
      boolean privateNetwork,
      String cgroupsPath)
      throws IOException {
    for (Path p : List.of(runDir, image.rootfs())) {
      // overlayfs options are split at ',' and ':'.
      if (p.toString().contains(",") || p.toString().contains(":")) {
        throw new IOException("paths with ',' or ':' cannot be overlay layers: " + p);
      }
    }
    Path bundle = runDir.resolve("bundle");
    Files.createDirectories(bundle);
    // Which image the container runs, for the image cache's collection.
    AtomicFiles.write(
        bundle.resolve(IMAGE),
        image.manifestDigest().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    Path state = runDir.resolve("runtime");
    Files.createDirectories(state);
    List<String> command =
        new ArrayList<>(
            List.of(unshare, "-m", "--propagation", "private", "/bin/sh", script.toString()));
    if (hybrid) {
      command.add("-U");
    }
    Path rootfs;
    if (readOnlyRootfs) {
      rootfs = image.rootfs();
    } else {
      rootfs = bundle.resolve("rootfs");
      Path upper = runDir.resolve("upper");
      Path work = runDir.resolve("work");
      for (Path dir : List.of(rootfs, upper, work)) {
        Files.createDirectories(dir);
      }
      // The image's root directory keeps its mode and owner in the writable layer.
      Files.setPosixFilePermissions(upper, Files.getPosixFilePermissions(image.rootfs()));
      command.addAll(
          List.of(
              "-l", image.rootfs().toString(),
              "-u", upper.toString(),
              "-w", work.toString(),
              "-t", rootfs.toString()));
    }
    List<Path> hostFiles =
        List.of(Path.of("/etc/resolv.conf"), Path.of("/etc/hosts")).stream()
            .filter(Files::isRegularFile)
            .toList();
    ObjectNode config =
        OciConfig.of(
            process,
            user,
            rootfs,
            readOnlyRootfs,
            sandbox,
            privateNetwork,
            hostFiles,
            kind == Kind.RUNC ? cgroupsPath : null);
    AtomicFiles.write(
        bundle.resolve("config.json"),
        JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(config));
    Files.setPosixFilePermissions(
        bundle.resolve("config.json"), PosixFilePermissions.fromString("rw-------"));
    command.add("--");
    command.addAll(List.of(runtime, "--root", state.toString()));
    if (kind == Kind.CRUN) {
      command.add("--cgroup-manager=disabled");
    }
    command.addAll(List.of("run", "--bundle", bundle.toString(), id));
    return command;
  }

  /**
   * The command that runs a program (its argv appended) inside the running container {@code id} as
   * {@code user}, in the container's working directory and environment: for command health checks.
   * Run as root.
   */
  public List<String> execCommand(Path runDir, String id, TaskUser user) {
    List<String> command =
        new ArrayList<>(
            List.of(unshare, "-m", "--propagation", "private", "/bin/sh", script.toString()));
    if (hybrid) {
      command.add("-U");
    }
    command.addAll(
        List.of(
            "--",
            runtime,
            "--root",
            runDir.resolve("runtime").toString(),
            "exec",
            "--user",
            user.uid() + ":" + user.gid(),
            id));
    return command;
  }

  /**
   * Removes what the runtime may have left of an ended container (its state, when crun was killed
   * before it could clean up). Best effort: the run dir goes later anyway.
   */
  public void cleanUp(Path runDir, String id) {
    Path state = runDir.resolve("runtime");
    for (String layer : List.of("upper", "work")) {
      try {
        // The task's writable layer, possibly large; its overlay went with the task's namespace.
        FileTrees.delete(runDir.resolve(layer));
      } catch (IOException e) {
        LOG.warn("Cannot remove the {} layer of container {}: {}", layer, id, e.toString());
      }
    }
    if (!Files.isDirectory(state.resolve(id))) {
      return;
    }
    try {
      Process delete =
          new ProcessBuilder(runtime, "--root", state.toString(), "delete", "--force", id)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!delete.waitFor(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS)) {
        delete.destroyForcibly();
      }
    } catch (IOException e) {
      LOG.warn("Cannot delete container {}: {}", id, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
