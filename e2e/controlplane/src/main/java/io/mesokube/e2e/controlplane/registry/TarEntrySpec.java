package io.mesokube.e2e.controlplane.registry;

import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * One entry of a layer written by {@link TestImages#pushLayers}, taken as is: names and link
 * targets may be absolute or climb out with {@code ..}, which is the point.
 *
 * @param name the entry's name in the tar
 * @param type what the entry is
 * @param content a regular file's content, else empty
 * @param linkTarget a link's target, else null
 * @param major a device's major number, else 0
 * @param minor a device's minor number, else 0
 */
public record TarEntrySpec(
    String name, Type type, String content, String linkTarget, int major, int minor) {

  /** The kinds of entry a layer may hold. */
  public enum Type {
    FILE,
    DIRECTORY,
    SYMLINK,
    HARDLINK,
    CHAR_DEVICE
  }

  /** A regular file, mode 0644, holding {@code content} in UTF-8. */
  public static TarEntrySpec file(String name, String content) {
    return new TarEntrySpec(name, Type.FILE, content, null, 0, 0);
  }

  /** A directory, mode 0755; a trailing slash is added to {@code name} in the tar if missing. */
  public static TarEntrySpec dir(String name) {
    return new TarEntrySpec(name, Type.DIRECTORY, "", null, 0, 0);
  }

  /** A symbolic link {@code name -> target}. */
  public static TarEntrySpec symlink(String name, String target) {
    return new TarEntrySpec(name, Type.SYMLINK, "", target, 0, 0);
  }

  /** A hard link {@code name} to the earlier entry named {@code target}. */
  public static TarEntrySpec hardlink(String name, String target) {
    return new TarEntrySpec(name, Type.HARDLINK, "", target, 0, 0);
  }

  /** A character device node, mode 0666. */
  public static TarEntrySpec charDevice(String name, int major, int minor) {
    return new TarEntrySpec(name, Type.CHAR_DEVICE, "", null, major, minor);
  }

  /** The tar entry, with the name kept verbatim (no leading slash stripped). */
  TarArchiveEntry toTarEntry() {
    TarArchiveEntry entry =
        switch (type) {
          case FILE -> new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
          case DIRECTORY ->
              new TarArchiveEntry(
                  name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, true);
          case SYMLINK -> new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
          case HARDLINK -> new TarArchiveEntry(name, TarConstants.LF_LINK, true);
          case CHAR_DEVICE -> new TarArchiveEntry(name, TarConstants.LF_CHR, true);
        };
    switch (type) {
      case FILE -> {
        entry.setMode(0100644);
        entry.setSize(bytes().length);
      }
      case DIRECTORY -> entry.setMode(040755);
      case SYMLINK, HARDLINK -> entry.setLinkName(linkTarget);
      case CHAR_DEVICE -> {
        entry.setMode(020666);
        entry.setDevMajor(major);
        entry.setDevMinor(minor);
      }
    }
    return entry;
  }

  /** The bytes of a regular file's content. */
  byte[] bytes() {
    return content.getBytes(StandardCharsets.UTF_8);
  }
}
