package io.mesokube.e2e.controlplane.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes an OCI image layout holding one image of one gzipped layer whose tar entries are written
 * exactly as specified, without the sanitizing that umoci would apply.
 */
final class SingleLayerLayout {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  private static final String CONFIG = "application/vnd.oci.image.config.v1+json";
  private static final String LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";

  private SingleLayerLayout() {}

  /** A blob written to the layout. */
  private record Blob(String digest, long size) {
    Map<String, Object> descriptor(String mediaType) {
      return Map.of("mediaType", mediaType, "digest", digest, "size", size);
    }
  }

  /**
   * Writes the layout into the empty or missing directory {@code layout}, tagging it {@code ref}.
   */
  static void write(Path layout, String ref, List<TarEntrySpec> entries) throws IOException {
    Files.createDirectories(layout.resolve("blobs/sha256"));
    byte[] tar = tar(entries);
    Blob layer = writeBlob(layout, gzip(tar));
    Blob config =
        writeBlob(
            layout,
            json(
                Map.of(
                    "architecture", architecture(),
                    "os", "linux",
                    "config", Map.of(),
                    // diff_ids are digests of the uncompressed layers, not of the blobs.
                    "rootfs", Map.of("type", "layers", "diff_ids", List.of(sha256(tar))))));
    Blob manifest =
        writeBlob(
            layout,
            json(
                Map.of(
                    "schemaVersion",
                    2,
                    "mediaType",
                    MANIFEST,
                    "config",
                    config.descriptor(CONFIG),
                    "layers",
                    List.of(layer.descriptor(LAYER)))));
    Map<String, Object> tagged =
        Map.of(
            "mediaType", MANIFEST,
            "digest", manifest.digest(),
            "size", manifest.size(),
            "annotations", Map.of("org.opencontainers.image.ref.name", ref));
    Files.write(
        layout.resolve("index.json"),
        json(Map.of("schemaVersion", 2, "manifests", List.of(tagged))));
    Files.write(layout.resolve("oci-layout"), json(Map.of("imageLayoutVersion", "1.0.0")));
  }

  /** An uncompressed tar of {@code entries}, in order, verbatim. */
  static byte[] tar(List<TarEntrySpec> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (TarEntrySpec entry : entries) {
        tar.putArchiveEntry(entry.toTarEntry());
        if (entry.type() == TarEntrySpec.Type.FILE) {
          tar.write(entry.bytes());
        }
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
      gzip.write(data);
    }
    return bytes.toByteArray();
  }

  private static byte[] json(Object value) throws IOException {
    return JSON.writeValueAsBytes(value);
  }

  private static Blob writeBlob(Path layout, byte[] content) throws IOException {
    String digest = sha256(content);
    Files.write(
        layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length())), content);
    return new Blob(digest, content.length);
  }

  private static String sha256(byte[] content) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The OCI name of this machine's architecture (Java says amd64 or aarch64). */
  private static String architecture() {
    String arch = System.getProperty("os.arch");
    return arch.equals("aarch64") ? "arm64" : arch;
  }
}
