package io.mesokube.agent.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerCheckTest {
  @TempDir Path dir;

  @Test
  void ordinaryEntriesPass() throws Exception {
    Path layer =
        layer(
            true,
            dir("/"),
            dir("./"),
            file("bin/busybox"),
            dir("etc/"),
            symlink("bin/sh", "busybox"),
            symlink("lib64", "/lib"),
            file("etc/.wh.motd"),
            hardlink("bin/ash", "bin/busybox"),
            fifo("run/pipe"));
    LayerCheck.check(layer, LayerCheck.Compression.GZIP, "sha256:x");
  }

  @Test
  void escapingNamesDevicesAndHardLinksOutsideAreRefused() throws Exception {
    assertRefused(file("../escape.txt"), "'../escape.txt' is absolute or climbs out");
    assertRefused(file("a/../../b"), "climbs out");
    assertRefused(file("/etc/evil"), "'/etc/evil' is absolute");
    assertRefused(device("dev/mem", TarConstants.LF_CHR), "is a device node");
    assertRefused(device("dev/sda", TarConstants.LF_BLK), "is a device node");
    assertRefused(hardlink("x", "../../etc/shadow"), "hard link to '../../etc/shadow'");
    assertRefused(hardlink("x", "/etc/shadow"), "outside the layer");
  }

  @Test
  void compressionComesFromTheMediaType() throws Exception {
    assertThat(LayerCheck.Compression.of("application/vnd.oci.image.layer.v1.tar"))
        .isEqualTo(LayerCheck.Compression.NONE);
    assertThat(LayerCheck.Compression.of("application/vnd.docker.image.rootfs.diff.tar.gzip"))
        .isEqualTo(LayerCheck.Compression.GZIP);
    assertThatThrownBy(
            () -> LayerCheck.Compression.of("application/vnd.oci.image.layer.v1.tar+zstd"))
        .isInstanceOf(ImageException.class)
        .hasMessageContaining("tar+zstd is not supported");
    Path plain = layer(false, file("../x"));
    assertThatThrownBy(() -> LayerCheck.check(plain, LayerCheck.Compression.NONE, "sha256:p"))
        .hasMessageContaining("layer sha256:p refused");
  }

  private void assertRefused(TarArchiveEntry entry, String message) throws IOException {
    Path layer = layer(true, file("ok"), entry);
    assertThatThrownBy(() -> LayerCheck.check(layer, LayerCheck.Compression.GZIP, "sha256:l"))
        .isInstanceOfSatisfying(
            ImageException.class,
            e -> assertThat(e.kind()).isEqualTo(ImageException.Kind.UNSAFE_LAYER))
        .hasMessageContaining(message);
  }

  private Path layer(boolean gzip, TarArchiveEntry... entries) throws IOException {
    Path file = Files.createTempFile(dir, "layer", ".tar");
    try (OutputStream out = Files.newOutputStream(file);
        OutputStream compressed = gzip ? new GZIPOutputStream(out) : out;
        TarArchiveOutputStream tar = new TarArchiveOutputStream(compressed)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (TarArchiveEntry entry : entries) {
        tar.putArchiveEntry(entry);
        if (entry.isFile()) {
          tar.write(new byte[(int) entry.getSize()]);
        }
        tar.closeArchiveEntry();
      }
    }
    return file;
  }

  private static TarArchiveEntry file(String name) {
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setSize("hi".getBytes(StandardCharsets.UTF_8).length);
    return e;
  }

  private static TarArchiveEntry dir(String name) {
    return new TarArchiveEntry(name, true);
  }

  private static TarArchiveEntry symlink(String name, String target) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
    e.setLinkName(target);
    return e;
  }

  private static TarArchiveEntry hardlink(String name, String target) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
    e.setLinkName(target);
    return e;
  }

  private static TarArchiveEntry device(String name, byte type) {
    TarArchiveEntry e = new TarArchiveEntry(name, type, true);
    e.setDevMajor(1);
    e.setDevMinor(1);
    return e;
  }

  private static TarArchiveEntry fifo(String name) {
    return new TarArchiveEntry(name, TarConstants.LF_FIFO, true);
  }
}
