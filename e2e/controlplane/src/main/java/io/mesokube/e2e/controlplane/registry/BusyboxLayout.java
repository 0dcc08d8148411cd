package io.mesokube.e2e.controlplane.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An OCI layout, built once per JVM with umoci, holding Debian's static busybox image; each image
 * configuration asked for gets its own tag, so pushing one image many times rebuilds nothing.
 */
final class BusyboxLayout {
  private static final String BASE_TAG = "busybox";
  private static final List<String> APPLETS =
      List.of(
          "sh", "echo", "cat", "sleep", "ls", "id", "env", "yes", "head", "dd", "wc", "nc", "wget",
          "true", "false", "mkdir", "touch");
  private static final String PASSWD =
      """
      root:x:0:0:root:/root:/bin/sh
      nobody:x:65534:65534:nobody:/nonexistent:/bin/false
      """;
  private static final String GROUP =
      """
      root:x:0:
      nobody:x:65534:
      """;

  private static BusyboxLayout instance;

  private final Path layout;
  private final Map<ImageConfig, String> tags = new HashMap<>();

  private BusyboxLayout(Path layout) {
    this.layout = layout;
  }

  /** The layout of this JVM, built on first use and deleted when the JVM exits. */
  static synchronized BusyboxLayout get() {
    if (instance == null) {
      try {
        Path dir = Files.createTempDirectory("mesokube-busybox");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Trees.delete(dir)));
        instance = new BusyboxLayout(build(dir));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot build the busybox image", e);
      }
    }
    return instance;
  }

  /**
   * The skopeo source ({@code oci:LAYOUT:TAG}) of the busybox image with {@code config}. Callers
   * hold this object's lock while they use the source, since tagging rewrites the layout's index.
   */
  String source(ImageConfig config) {
    String tag =
        tags.computeIfAbsent(
            config,
            c -> {
              String newTag = "config-" + tags.size();
              List<String> command =
                  new ArrayList<>(
                      List.of(
                          "umoci", "config", "--image", layout + ":" + BASE_TAG, "--tag", newTag));
              command.addAll(c.umociOptions());
              Commands.run(command);
              return newTag;
            });
    return "oci:" + layout + ":" + tag;
  }

  /**
   * As {@link #source(ImageConfig)}, with one more layer on top holding {@code layer}; callers hold
   * this object's lock.
   */
  String source(ImageConfig config, List<TarEntrySpec> layer) throws IOException {
    String base = source(config);
    String newTag = "layer-" + tags.size() + "-" + System.nanoTime();
    Path tar = Files.createTempFile("mesokube-layer", ".tar");
    try {
      Files.write(tar, SingleLayerLayout.tar(layer));
      Commands.run(
          "umoci",
          "raw",
          "add-layer",
          "--image",
          base.substring("oci:".length()),
          "--tag",
          newTag,
          tar.toString());
    } finally {
      Files.deleteIfExists(tar);
    }
    return "oci:" + layout + ":" + newTag;
  }

  /** Builds the base image into {@code dir}/layout, through a bundle that is deleted after. */
  private static Path build(Path dir) throws IOException {
    Path layout = dir.resolve("layout");
    Path bundle = dir.resolve("bundle");
    String image = layout + ":" + BASE_TAG;
    Commands.run("umoci", "init", "--layout", layout.toString());
    Commands.run("umoci", "new", "--image", image);
    Commands.run("umoci", "unpack", "--image", image, bundle.toString());
    populate(bundle.resolve("rootfs"));
    Commands.run("umoci", "repack", "--image", image, bundle.toString());
    Trees.delete(bundle);
    return layout;
  }

  private static void populate(Path rootfs) throws IOException {
    Path bin = Files.createDirectories(rootfs.resolve("bin"));
    Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
    for (String applet : APPLETS) {
      Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
    }
    Path tmp = Files.createDirectories(rootfs.resolve("tmp"));
    Files.setAttribute(tmp, "unix:mode", 01777);
    Path etc = Files.createDirectories(rootfs.resolve("etc"));
    Files.writeString(etc.resolve("passwd"), PASSWD);
    Files.writeString(etc.resolve("group"), GROUP);
  }
}
