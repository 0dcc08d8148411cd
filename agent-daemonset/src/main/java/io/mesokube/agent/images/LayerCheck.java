package io.mesokube.agent.images;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Refuses an image layer whose entries could reach outside the root filesystem or create devices,
 * before umoci unpacks it: names that are absolute or hold a {@code ..} component, hard links whose
 * target is, and character or block devices (a task could open the host's disks or memory through
 * one). umoci resolves every path inside the rootfs too (symlinks included); this check makes such
 * an image fail with a clear reason instead of being silently rewritten.
 *
 * <p>Symbolic links may point anywhere: their targets are resolved inside the container's root.
 * Whiteouts ({@code .wh.} names) are ordinary names here.
 */
final class LayerCheck {
  private LayerCheck() {}

  /** How a layer blob is compressed, from its media type. */
  enum Compression {
    NONE,
    GZIP;

    /** The compression of {@code mediaType}, or an exception naming the unsupported type. */
    static Compression of(String mediaType) throws ImageException {
      return switch (mediaType) {
        case "application/vnd.oci.image.layer.v1.tar",
            "application/vnd.oci.image.layer.nondistributable.v1.tar" ->
            NONE;
        case "application/vnd.oci.image.layer.v1.tar+gzip",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
            "application/vnd.docker.image.rootfs.diff.tar.gzip" ->
            GZIP;
        default ->
            throw new ImageException(
                ImageException.Kind.UNSUPPORTED,
                "layer media type " + mediaType + " is not supported (tar and tar+gzip are)");
      };
    }
  }

  /** Reads the whole layer at {@code blob}; throws on the first unsafe entry. */
  static void check(Path blob, Compression compression, String layerDigest)
      throws ImageException, IOException {
    try (InputStream file = new BufferedInputStream(Files.newInputStream(blob), 1 << 16);
        InputStream raw = compression == Compression.GZIP ? new GZIPInputStream(file) : file;
        TarArchiveInputStream tar = new TarArchiveInputStream(raw)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        String problem = problem(entry);
        if (problem != null) {
          throw new ImageException(
              ImageException.Kind.UNSAFE_LAYER,
              "layer " + layerDigest + " refused: entry '" + entry.getName() + "' " + problem);
        }
      }
    }
  }

  /** Why {@code entry} is refused, or null if it is safe. */
  static String problem(TarArchiveEntry entry) {
    String name = entry.getName();
    if (entry.isDirectory() && (name.equals("/") || name.equals("./"))) {
      // The root itself, as some tools write it (umoci insert): nothing outside.
      return null;
    }
    if (escapes(name)) {
      return "is absolute or climbs out with '..'";
    }
    if (entry.isCharacterDevice() || entry.isBlockDevice()) {
      return "is a device node";
    }
    if (entry.isLink() && escapes(entry.getLinkName())) {
      return "is a hard link to '" + entry.getLinkName() + "', outside the layer";
    }
    return null;
  }

  private static boolean escapes(String path) {
    if (path.startsWith("/")) {
      return true;
    }
    for (String part : path.split("/", -1)) {
      if (part.equals("..")) {
        return true;
      }
    }
    return false;
  }
}
