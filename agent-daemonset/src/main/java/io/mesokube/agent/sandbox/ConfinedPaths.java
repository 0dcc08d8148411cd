package io.mesokube.agent.sandbox;

import static io.mesokube.agent.sandbox.FilesException.badRequest;
import static io.mesokube.agent.sandbox.FilesException.forbidden;
import static io.mesokube.agent.sandbox.FilesException.notFound;
import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static java.nio.file.StandardOpenOption.READ;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Set;

/**
 * Resolves a client's path to a real path below the sandboxes root, and opens files along it.
 *
 * <p>A path is refused (403) if it has a {@code ..} segment, is outside the root, or resolves
 * through symbolic links to a real path outside it. Files are then opened through directory
 * descriptors along that real path with {@code O_NOFOLLOW} at every step ({@link SecureDirs}), so a
 * link swapped in after the check fails the open (403) instead of redirecting it.
 */
final class ConfinedPaths {
  private final Path root;

  ConfinedPaths(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** A real path below the real root, split for a descriptor walk. */
  record Resolved(Path rootReal, Path relative) {
    Path real() {
      return rootReal.resolve(relative);
    }

    /** The directory holding {@link #name()}, relative to the root; null for the root's own. */
    Path parent() {
      return isRoot() ? null : relative.getParent();
    }

    /** The last name, or null for the root itself. */
    Path name() {
      return isRoot() ? null : relative.getFileName();
    }

    private boolean isRoot() {
      return relative.toString().isEmpty();
    }
  }

  Resolved resolve(String path) throws IOException {
    if (path == null || path.isEmpty()) {
      throw badRequest("Expecting 'path=value' in query");
    } else if (!path.startsWith("/") || path.indexOf('\0') >= 0) {
      throw badRequest("Expecting an absolute path: " + path);
    } else if (List.of(path.split("/")).contains("..")) {
      throw forbidden("A path may not contain '..': " + path);
    }
    Path lexical;
    try {
      lexical = Path.of(path).normalize();
    } catch (InvalidPathException e) {
      throw badRequest(e.getMessage());
    }
    if (!lexical.startsWith(root)) {
      throw forbidden(path + " is outside the sandboxes " + root);
    }
    try {
      Path rootReal = root.toRealPath();
      Path real = rootReal.resolve(root.relativize(lexical)).toRealPath();
      if (!real.startsWith(rootReal)) {
        throw forbidden(path + " resolves outside the sandboxes " + root);
      }
      return new Resolved(rootReal, rootReal.relativize(real));
    } catch (FileSystemException e) {
      // Missing, a file taken for a directory (ENOTDIR), a link loop: nothing there to serve.
      throw new FilesException(404, "Cannot resolve " + path + ": " + e.getReason());
    }
  }

  /**
   * Opens a regular file for reading.
   *
   * @throws FilesException 400 for a directory or another non-regular file
   */
  SeekableByteChannel openRegular(String path) throws IOException {
    Resolved file = resolve(path);
    if (file.name() == null) {
      throw badRequest("Cannot read a directory: " + path);
    }
    try (SecureDirectoryStream<Path> parent = SecureDirs.open(file.rootReal(), file.parent())) {
      BasicFileAttributes attributes = SecureDirs.attributes(parent, file.name());
      if (attributes.isSymbolicLink()) {
        throw forbidden(path + " changed while being opened: now a symbolic link");
      } else if (attributes.isDirectory()) {
        throw badRequest("Cannot read a directory: " + path);
      } else if (!attributes.isRegularFile()) {
        throw badRequest("Not a regular file: " + path);
      }
      return parent.newByteChannel(file.name(), Set.of(READ, NOFOLLOW_LINKS));
    } catch (NoSuchFileException | NotDirectoryException e) {
      throw notFound(path);
    } catch (IOException e) {
      throw changed(path, e);
    }
  }

  /**
   * The descriptor walk met something other than the real path resolved a moment before: most
   * likely a link swapped in, which the JDK reports for {@code O_NOFOLLOW} as a bare IOException
   * ("Too many levels of symbolic links").
   */
  static FilesException changed(String path, IOException e) {
    return forbidden(path + " changed while being opened: " + e.getMessage());
  }
}
