package io.mesokube.agent.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;

/**
 * Crash-safe file replacement: after a crash at any point a reader sees the old content or the new,
 * whole, never a mix or a torn write.
 *
 * <p>Write to a temporary file in the same directory (a rename does not cross file systems), fsync
 * it, rename it over the target, fsync the directory so that the rename itself is durable. A crash
 * before the rename leaves a temporary file; {@link #removeTemporaries} deletes those.
 */
public final class AtomicFiles {
  /** Temporary files are named ".NAME.RANDOM.tmp": hidden, and never taken for a checkpoint. */
  static final String TMP_SUFFIX = ".tmp";

  private AtomicFiles() {}

  /** Replaces {@code file} with {@code content}, durably. */
  public static void write(Path file, byte[] content) throws IOException {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    Path tmp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + TMP_SUFFIX);
    try {
      try (FileChannel channel =
          FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    fsyncDirectory(dir);
  }

  /** The content of {@code file}. */
  public static byte[] read(Path file) throws IOException {
    return Files.readAllBytes(file);
  }

  /** The content of {@code file}, or empty when there is no such file. */
  public static Optional<byte[]> readIfExists(Path file) throws IOException {
    try {
      return Optional.of(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Whether {@code file} is a temporary file of {@link #write}. */
  public static boolean isTemporary(Path file) {
    String name = file.getFileName().toString();
    return name.startsWith(".") && name.endsWith(TMP_SUFFIX);
  }

  /**
   * Deletes the temporary files a crash left in {@code dir}. Only for a directory no one is writing
   * to (at startup): a temporary file of a running write would go too.
   *
   * @return how many were deleted
   */
  public static int removeTemporaries(Path dir) throws IOException {
    int removed = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, AtomicFiles::isTemporary)) {
      for (Path entry : entries) {
        if (Files.deleteIfExists(entry)) {
          removed++;
        }
      }
    }
    return removed;
  }

  /** Makes the directory's entries (a rename, a create, a delete) durable. */
  public static void fsyncDirectory(Path dir) throws IOException {
    // Linux lets a directory be opened read-only and fsynced.
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
