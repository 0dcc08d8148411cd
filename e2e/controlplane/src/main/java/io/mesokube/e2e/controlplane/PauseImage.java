package io.mesokube.e2e.controlplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The node's sandbox ("pause") image, built here because no registry outside is reachable: one
 * layer holding Debian's static busybox, whose shell sleeps until SIGTERM or SIGINT and then exits
 * 0, as the real pause does. Assembled with umoci (Debian) into an OCI archive that {@code ctr
 * images import} takes. Under a second to build, so it is built per control plane, not cached.
 */
final class PauseImage {

  private static final Path BUSYBOX = Path.of("/bin/busybox");

  // PID 1 of a pod ignores signals it has no handler for: trap them, and sleep in the background
  // so that the trap runs at once.
  private static final String PAUSE =
      "trap 'exit 0' TERM INT; while :; do /busybox sleep 3600 & wait $!; done";

  private PauseImage() {}

  /** Builds the archive in the work dir and returns it. */
  static Path archive(WorkDir dir) {
    if (!Files.isExecutable(BUSYBOX)) {
      throw new IllegalStateException(
          BUSYBOX + " is missing: the pause image needs Debian's busybox-static");
    }
    Path work = dir.root().resolve("node").resolve("pause");
    Path layout = work.resolve("layout");
    Path bundle = work.resolve("bundle");
    Path archive = work.resolve("pause.tar");
    String tag = NodeHost.PAUSE_IMAGE.substring(NodeHost.PAUSE_IMAGE.lastIndexOf(':') + 1);
    String image = layout + ":" + tag;
    try {
      Files.createDirectories(work);
      NodeHost.run("umoci", "init", "--layout", layout.toString());
      NodeHost.run("umoci", "new", "--image", image);
      NodeHost.run("umoci", "unpack", "--image", image, bundle.toString());
      Files.copy(BUSYBOX, bundle.resolve("rootfs/busybox"), StandardCopyOption.COPY_ATTRIBUTES);
      NodeHost.run("umoci", "repack", "--image", image, bundle.toString());
      NodeHost.run(
          "umoci",
          "config",
          "--image",
          image,
          "--config.entrypoint",
          "/busybox",
          "--config.entrypoint",
          "sh",
          "--config.entrypoint",
          "-c",
          "--config.entrypoint",
          PAUSE);
      NodeHost.run("umoci", "gc", "--layout", layout.toString());
      NodeHost.run("tar", "-C", layout.toString(), "-cf", archive.toString(), ".");
      return archive;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build the pause image in " + work, e);
    }
  }
}
