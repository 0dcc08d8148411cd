package io.mesokube.e2e.controlplane;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The directory holding etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kubectl,
 * and how long it took to find (or build) them.
 *
 * @param dir the directory
 * @param lookupTime time spent locating or building them
 */
public record Binaries(Path dir, Duration lookupTime) {

  /** The binaries named by {@link ControlPlaneConfig#binDir()}, else those build.sh prints. */
  public static Binaries locate(ControlPlaneConfig config) {
    long start = System.nanoTime();
    var dir = config.binDir().orElseGet(BuildScript::run);
    return new Binaries(dir, Duration.ofNanos(System.nanoTime() - start)).verified();
  }

  /** The executable of a component. */
  public Path path(Component component) {
    return dir.resolve(component.binary());
  }

  /** kubectl. */
  public Path kubectl() {
    return dir.resolve("kubectl");
  }

  private Binaries verified() {
    var missing =
        Stream.concat(Stream.of(Component.values()).map(this::path), Stream.of(kubectl()))
            .filter(file -> !Files.isExecutable(file))
            .toList();
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "control-plane binaries missing or not executable: "
              + missing
              + " (set -D"
              + ControlPlaneConfig.BIN_PROPERTY
              + " to a directory that has them, or unset it so that build.sh builds them)");
    }
    return this;
  }
}
