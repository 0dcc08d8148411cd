package io.mesokube.agent.sandbox;

import static io.mesokube.agent.sandbox.FilesException.badRequest;
import static io.mesokube.agent.sandbox.FilesException.notFound;
import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Mesos' files API ({@code /files/browse}, {@code /files/read}, {@code /files/download}) over the
 * sandboxes, confined to their root.
 *
 * <p>A path is the absolute path of a file below the root, as a task's status reports its sandbox;
 * {@link ConfinedPaths} refuses one that leaves the root (403) and opens files without following
 * links. Failures are {@link FilesException}s carrying Mesos' status codes.
 *
 * <p>Left open: a regular file swapped for a FIFO between the type check and the open blocks that
 * one request until a writer appears; it reveals nothing.
 */
public final class SandboxFiles {
  /**
   * The longest page {@link #read} returns, whatever the length asked for: it bounds a request's
   * buffer. Mesos caps at 16 memory pages (64 KiB); 1 MiB lets a viewer catch up on a busy log in
   * fewer requests.
   */
  public static final int MAX_PAGE = 1 << 20;

  private final ConfinedPaths paths;

  /** The files API over the sandboxes below {@code root}. */
  public SandboxFiles(Path root) {
    this.paths = new ConfinedPaths(root);
  }

  /**
   * An entry of a {@code /files/browse} listing, as Mesos writes it.
   *
   * @param mode the type and permissions as {@code ls -l} prints them, e.g. {@code -rw-r--r--}
   * @param mtime seconds since the epoch
   * @param uid the owner's user name, or its number if it has none
   * @param gid the group's name, or its number if it has none
   */
  public record FileInfo(
      String path, long size, String mode, long mtime, long nlink, String uid, String gid) {}

  /** A {@code /files/read} answer: {@code data} starts at byte {@code offset} of the file. */
  public record Chunk(String data, long offset) {}

  /** A regular file opened for {@code /files/download}; the caller closes {@code content}. */
  public record Download(String fileName, long size, InputStream content) {}

  /**
   * Lists a directory, sorted by path, or describes a single file. Entries are described as they
   * are, so a symbolic link shows as one and reveals nothing of its target.
   */
  public List<FileInfo> browse(String path) throws IOException {
    ConfinedPaths.Resolved file = paths.resolve(path);
    String shown = Path.of(path).normalize().toString();
    try (SecureDirectoryStream<Path> parent = SecureDirs.open(file.rootReal(), file.parent())) {
      if (file.name() == null || SecureDirs.attributes(parent, file.name()).isDirectory()) {
        try (SecureDirectoryStream<Path> dir = SecureDirs.open(file.rootReal(), file.relative())) {
          List<FileInfo> listing = new ArrayList<>();
          for (Path entry : dir) {
            Path name = entry.getFileName();
            describe(dir, name, file.real().resolve(name), shown + "/" + name, listing);
          }
          listing.sort(Comparator.comparing(FileInfo::path));
          return listing;
        }
      }
      List<FileInfo> single = new ArrayList<>();
      describe(parent, file.name(), file.real(), shown, single);
      return single;
    } catch (NoSuchFileException | NotDirectoryException e) {
      throw notFound(path);
    } catch (IOException e) {
      throw ConfinedPaths.changed(path, e);
    }
  }

  /**
   * Reads a page of a regular file, as Mesos' {@code /files/read} does: an {@code offset} of -1
   * answers no data and the file's size as offset (where a tail starts); an offset at or past the
   * end answers no data and the size (so a reader of a truncated log learns where it now ends); a
   * {@code length} of -1 reads to the end of the file. Either way a page holds at most {@link
   * #MAX_PAGE} bytes.
   *
   * <p>Data is text. Mesos copies the raw bytes into the JSON string, which is not valid JSON when
   * they are not UTF-8; here a page is decoded as UTF-8 and cut on character boundaries ({@link
   * Utf8Page}): it skips the tail of a character it would start inside (its {@code offset} says
   * where it starts), leaves a character it would end inside for the next page, and returns no
   * partial character at the end of the file. So for UTF-8 output, reading on from {@code offset}
   * plus the UTF-8 length of {@code data} returns the file byte for byte. Bytes that are not UTF-8
   * become U+FFFD: binary files are read exactly through {@link #download} instead.
   *
   * @throws FilesException 400 for an offset or length below -1 or a directory
   */
  public Chunk read(String path, long offset, long length) throws IOException {
    if (offset < -1 || length < -1) {
      throw badRequest("Offset and length must be at least 0, or -1 for none");
    }
    try (SeekableByteChannel channel = paths.openRegular(path)) {
      long size = channel.size();
      if (offset == -1 || offset >= size) {
        return new Chunk("", size);
      }
      int page = (int) Math.min(length == -1 ? size - offset : length, MAX_PAGE);
      if (page == 0) {
        return new Chunk("", offset);
      }
      ByteBuffer buffer =
          ByteBuffer.allocate((int) Math.min(page + Utf8Page.LOOKAHEAD, size - offset));
      channel.position(offset);
      while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
        // Until full, or the end of a file that shrank since its size was read.
      }
      return Utf8Page.cut(buffer.array(), buffer.position(), offset, page);
    }
  }

  /** Opens a regular file to stream it whole. */
  public Download download(String path) throws IOException {
    SeekableByteChannel channel = paths.openRegular(path);
    return new Download(
        Path.of(path).getFileName().toString(), channel.size(), Channels.newInputStream(channel));
  }

  // Describes one entry as lstat sees it through the directory descriptor; the richer "unix"
  // attributes are read by path and kept only if they describe that same file.
  private static void describe(
      SecureDirectoryStream<Path> dir, Path name, Path real, String shown, List<FileInfo> into)
      throws IOException {
    try {
      Object key = SecureDirs.attributes(dir, name).fileKey();
      Map<String, Object> unix = Files.readAttributes(real, "unix:*", NOFOLLOW_LINKS);
      if (key != null && key.equals(unix.get("fileKey"))) {
        into.add(
            new FileInfo(
                shown,
                (long) unix.get("size"),
                FileModes.format((int) unix.get("mode")),
                ((FileTime) unix.get("lastModifiedTime")).toMillis() / 1000,
                ((Number) unix.get("nlink")).longValue(),
                ((UserPrincipal) unix.get("owner")).getName(),
                ((UserPrincipal) unix.get("group")).getName()));
      }
    } catch (NoSuchFileException e) {
      // Deleted while listing: Mesos skips it too.
    }
  }
}
