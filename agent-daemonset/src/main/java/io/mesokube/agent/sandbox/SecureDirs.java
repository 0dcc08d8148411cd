package io.mesokube.agent.sandbox;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.UUID;

/**
 * Walks and deletes below a trusted directory through open directory descriptors ({@code openat},
 * {@code unlinkat}), never following a symbolic link.
 *
 * <p>Why: the agent runs as root and a task owns its sandbox, so a task (or another task of the
 * same user) can swap a directory for a symbolic link to {@code /etc} at any moment. Checking a
 * path and then using it by name would let that swap redirect a root read or delete; a descriptor
 * walk with {@code O_NOFOLLOW} at every step cannot be redirected.
 */
final class SecureDirs {
  /**
   * Directories nested deeper than this are moved up before being emptied: a task can nest without
   * limit, and each level held open costs a descriptor and a stack frame.
   */
  static final int MAX_DEPTH = 32;

  private SecureDirs() {}

  /**
   * Opens {@code base} (trusted, so resolved normally), then each name of {@code relative} with
   * {@code NOFOLLOW_LINKS}. The caller closes the returned stream.
   *
   * @throws UnsupportedOperationException on a platform without {@code openat} (the agent needs
   *     Linux)
   */
  static SecureDirectoryStream<Path> open(Path base, Path relative) throws IOException {
    SecureDirectoryStream<Path> dir = secure(Files.newDirectoryStream(base));
    if (relative == null) {
      return dir;
    }
    for (Path name : relative) {
      if (name.toString().isEmpty()) {
        continue;
      }
      try (SecureDirectoryStream<Path> parent = dir) {
        dir = parent.newDirectoryStream(name, NOFOLLOW_LINKS);
      }
    }
    return dir;
  }

  /** Attributes of {@code name} in {@code dir}, of the link itself if it is one. */
  static BasicFileAttributes attributes(SecureDirectoryStream<Path> dir, Path name)
      throws IOException {
    return dir.getFileAttributeView(name, BasicFileAttributeView.class, NOFOLLOW_LINKS)
        .readAttributes();
  }

  /**
   * Deletes {@code name} in {@code dir} and, if it is a directory, everything below it; a symbolic
   * link is deleted, never followed.
   *
   * @return the bytes of the regular files deleted
   */
  static long deleteTree(SecureDirectoryStream<Path> dir, Path name) throws IOException {
    BasicFileAttributes attributes = attributes(dir, name);
    if (!attributes.isDirectory()) {
      dir.deleteFile(name);
      return attributes.isRegularFile() ? attributes.size() : 0;
    }
    long freed = 0;
    int[] moved = new int[1];
    do {
      // A stream iterates once, and entries moved up during a pass may or may not show in it.
      moved[0] = 0;
      try (SecureDirectoryStream<Path> top = dir.newDirectoryStream(name, NOFOLLOW_LINKS)) {
        freed += empty(top, top, 1, moved);
      }
    } while (moved[0] > 0);
    dir.deleteDirectory(name);
    return freed;
  }

  private static long empty(
      SecureDirectoryStream<Path> top, SecureDirectoryStream<Path> dir, int depth, int[] moved)
      throws IOException {
    long freed = 0;
    for (Path entry : dir) {
      Path name = entry.getFileName();
      BasicFileAttributes attributes = attributes(dir, name);
      if (!attributes.isDirectory()) {
        dir.deleteFile(name);
        freed += attributes.isRegularFile() ? attributes.size() : 0;
      } else if (depth >= MAX_DEPTH) {
        dir.move(name, top, Path.of(".gc-" + UUID.randomUUID()));
        moved[0]++;
      } else {
        try (SecureDirectoryStream<Path> child = dir.newDirectoryStream(name, NOFOLLOW_LINKS)) {
          freed += empty(top, child, depth + 1, moved);
        }
        dir.deleteDirectory(name);
      }
    }
    return freed;
  }

  private static SecureDirectoryStream<Path> secure(DirectoryStream<Path> stream)
      throws IOException {
    if (stream instanceof SecureDirectoryStream<Path> secure) {
      return secure;
    }
    stream.close();
    throw new UnsupportedOperationException(
        "No SecureDirectoryStream (openat) on this platform; the agent needs Linux");
  }
}
