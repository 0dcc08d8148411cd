package io.mesokube.agent.sandbox;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Size-based rotation of each sandbox's {@code stdout} and {@code stderr}, so that a chatty task
 * cannot fill the agent's disk (a long-standing Mesos pain, later eased by its logrotate module).
 *
 * <p>A file larger than {@code maxSize} is rotated as logrotate's {@code copytruncate} does: {@code
 * stdout.1} … {@code stdout.<maxFiles-1>} shift up one (the oldest is dropped), the file is copied
 * to a new {@code stdout.1}, then truncated to 0. The task holds the file open with {@code
 * O_APPEND}, so its next write lands at the new end, offset 0. Renaming instead would be exact, but
 * the task would go on writing to the renamed file: the agent cannot make it reopen its descriptor.
 * (A writer without {@code O_APPEND} would go on at its old offset, leaving a hole of zeros: the
 * launcher must open these files for append.)
 *
 * <p>The price: bytes the task writes between the last copy and the truncation are lost. The copy
 * repeats (up to three rounds) until it has caught up, so the window is one small copy and a {@code
 * ftruncate}; losing a few lines of a log that outgrew its limit is accepted against a task filling
 * the agent's disk. A reader tailing {@code /files/read} beyond the new end is answered the new
 * size and resumes there.
 *
 * <p>Files are reached through descriptors without following links, and a file with a second hard
 * link is left alone, so a task cannot point the agent's truncation at a file outside its sandbox.
 */
public final class LogRotation {
  private static final Logger LOG = LoggerFactory.getLogger(LogRotation.class);
  private static final int COPY_ROUNDS = 3;

  private final Sandboxes sandboxes;
  private final long maxSize;
  private final int maxFiles;
  private final MeterRegistry meters;

  /** A file rotated: {@code bytes} were copied to {@code <file>.1}, or dropped if none are kept. */
  public record Rotated(Sandbox sandbox, String file, long bytes) {}

  /**
   * @param maxSize a log larger than this many bytes is rotated
   * @param maxFiles rotated copies kept per log; 0 truncates without keeping a copy
   */
  public LogRotation(Sandboxes sandboxes, long maxSize, int maxFiles, MeterRegistry meters) {
    if (maxSize < 0 || maxFiles < 0) {
      throw new IllegalArgumentException("maxSize and maxFiles must not be negative");
    }
    this.sandboxes = sandboxes;
    this.maxSize = maxSize;
    this.maxFiles = maxFiles;
    this.meters = meters;
  }

  /** Rotates the logs of every sandbox that need it; a sandbox that fails is logged and skipped. */
  public List<Rotated> rotateAll() throws IOException {
    List<Rotated> rotated = new ArrayList<>();
    for (Sandbox sandbox : sandboxes.list()) {
      for (String file : List.of(Sandboxes.STDOUT, Sandboxes.STDERR)) {
        try {
          long bytes = rotate(sandbox, file);
          if (bytes >= 0) {
            rotated.add(new Rotated(sandbox, file, bytes));
          }
        } catch (NoSuchFileException e) {
          LOG.debug("Sandbox {} went away while rotating {}", sandbox.dir(), file);
        } catch (IOException e) {
          LOG.warn("Cannot rotate {} of sandbox {}: {}", file, sandbox.dir(), e.toString());
        }
      }
    }
    return rotated;
  }

  /**
   * Rotates one log of a sandbox if it is larger than {@code maxSize}.
   *
   * @return the bytes copied (or dropped), or -1 if the file was not rotated
   */
  public long rotate(Sandbox sandbox, String file) throws IOException {
    try (SecureDirectoryStream<Path> dir = sandboxes.open(sandbox)) {
      Path name = Path.of(file);
      PosixFileAttributes log =
          dir.getFileAttributeView(name, PosixFileAttributeView.class, NOFOLLOW_LINKS)
              .readAttributes();
      if (!log.isRegularFile() || log.size() <= maxSize || linkCount(sandbox, file, log) != 1) {
        return -1;
      }
      long bytes;
      try (FileChannel channel =
          (FileChannel) dir.newByteChannel(name, Set.of(READ, WRITE, NOFOLLOW_LINKS))) {
        bytes = maxFiles == 0 ? channel.size() : keepCopy(dir, file, channel, log);
        channel.truncate(0);
      }
      count(file, bytes);
      return bytes;
    }
  }

  private long keepCopy(
      SecureDirectoryStream<Path> dir, String file, FileChannel log, PosixFileAttributes attributes)
      throws IOException {
    drop(dir, Path.of(file + "." + maxFiles));
    for (int i = maxFiles - 1; i >= 1; i--) {
      try {
        dir.move(Path.of(file + "." + i), dir, Path.of(file + "." + (i + 1)));
      } catch (NoSuchFileException e) {
        // Fewer copies than kept so far.
      }
    }
    Path first = Path.of(file + "." + 1);
    // The task may create this name between the shift and here: whatever it made is dropped.
    drop(dir, first);
    var mode = PosixFilePermissions.asFileAttribute(attributes.permissions());
    try (FileChannel copy =
        (FileChannel) dir.newByteChannel(first, Set.of(WRITE, CREATE_NEW, NOFOLLOW_LINKS), mode)) {
      return copyAll(log, copy);
    }
  }

  // Copies until caught up with the writer, within a few rounds against one that never pauses.
  private static long copyAll(FileChannel from, FileChannel to) throws IOException {
    long copied = 0;
    for (int round = 0; round < COPY_ROUNDS; round++) {
      long size = from.size();
      long sent = -1;
      while (copied < size && sent != 0) {
        sent = from.transferTo(copied, size - copied, to);
        copied += sent;
      }
      if (copied >= from.size()) {
        break;
      }
    }
    return copied;
  }

  private static void drop(SecureDirectoryStream<Path> dir, Path name) throws IOException {
    try {
      SecureDirs.deleteTree(dir, name);
    } catch (NoSuchFileException e) {
      // Nothing there.
    }
  }

  // A second hard link may be a file outside the sandbox linked in by the task; never truncate it.
  private static long linkCount(Sandbox sandbox, String file, PosixFileAttributes seen)
      throws IOException {
    var unix =
        Files.readAttributes(sandbox.dir().resolve(file), "unix:nlink,fileKey", NOFOLLOW_LINKS);
    return seen.fileKey().equals(unix.get("fileKey"))
        ? ((Number) unix.get("nlink")).longValue()
        : 0;
  }

  private void count(String file, long bytes) {
    Counter.builder("mesokube_agent_sandbox_log_rotations")
        .description("Sandbox logs rotated")
        .tag("file", file)
        .register(meters)
        .increment();
    Counter.builder("mesokube_agent_sandbox_log_rotated_bytes")
        .description(
            "Bytes moved out of sandbox logs by rotation (copied, or dropped if none are kept)")
        .tag("file", file)
        .register(meters)
        .increment(bytes);
  }
}
