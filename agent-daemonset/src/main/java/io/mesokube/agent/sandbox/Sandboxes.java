package io.mesokube.agent.sandbox;

import static io.mesokube.agent.sandbox.SandboxNames.NAMESPACE;
import static io.mesokube.agent.sandbox.SandboxNames.TASK_NAME;
import static io.mesokube.agent.sandbox.SandboxNames.TASK_UID;
import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The task sandboxes below a root, one directory per task run: {@code
 * <root>/<namespace>/<taskName>/<taskUid>/}, holding the task's {@code stdout} and {@code stderr}.
 *
 * <p>Invariant: the root and the namespace and task directories belong to the agent (root, 0755);
 * only a sandbox directory and what is in it may belong to the task's user. So a task can plant
 * symbolic links inside its sandbox but not above it, and the walks here and in {@link
 * SandboxFiles}, {@link LogRotation} and {@link SandboxGc} trust the levels above a sandbox.
 */
public final class Sandboxes {
  /** The task's standard output, created with the sandbox. */
  public static final String STDOUT = "stdout";

  /** The task's standard error, created with the sandbox. */
  public static final String STDERR = "stderr";

  /** Touched by {@link #markFinished} when the run is terminal; {@link SandboxGc} ages it. */
  public static final String FINISHED_MARKER = ".finished";

  // A sandbox and its logs are its task's user's (and group's) alone: other local users, other
  // tenants' tasks among them, may not read them. The agent, root, reads them for the files API.
  private static final Set<PosixFilePermission> DIR_MODE =
      PosixFilePermissions.fromString("rwxr-x---");
  private static final Set<PosixFilePermission> FILE_MODE =
      PosixFilePermissions.fromString("rw-r-----");
  // The levels above a sandbox are the agent's, and every task's user passes through them.
  private static final Set<PosixFilePermission> PARENT_MODE =
      PosixFilePermissions.fromString("rwxr-xr-x");

  private final Path root;
  // Creating a sandbox and pruning an emptied task or namespace directory must not interleave.
  private final Object parents = new Object();

  /** Sandboxes below {@code root}, usually {@code <stateDir>/sandboxes}. */
  public Sandboxes(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** The sandboxes root. */
  public Path root() {
    return root;
  }

  /**
   * The sandbox of a task run, without touching the disk.
   *
   * @throws IllegalArgumentException if a part is not a Kubernetes namespace, name or UID
   */
  public Sandbox sandbox(String namespace, String taskName, String taskUid) {
    Path dir = root.resolve(NAMESPACE.check(namespace), TASK_NAME.check(taskName));
    return new Sandbox(namespace, taskName, taskUid, dir.resolve(TASK_UID.check(taskUid)));
  }

  /**
   * Creates the sandbox of a task run with empty {@code stdout} and {@code stderr}: directory mode
   * 0750, files 0640, owned by {@code uid}:{@code gid} (-1 keeps the agent's). Idempotent for an
   * agent that restarts mid-launch: what exists already, output included, is left as it is.
   *
   * @throws IllegalArgumentException if a part is not a Kubernetes namespace, name or UID
   */
  public Sandbox create(String namespace, String taskName, String taskUid, int uid, int gid)
      throws IOException {
    return create(namespace, taskName, taskUid, uid, gid, true);
  }

  /**
   * As {@link #create(String, String, String, int, int)}; with {@code dirToUser} false the
   * directory stays root's, in the user's group (the logs are the user's): for a task whose program
   * root starts (an OCI runtime), which opens the logs before the user may change the directory,
   * then gives it away.
   */
  public Sandbox create(
      String namespace, String taskName, String taskUid, int uid, int gid, boolean dirToUser)
      throws IOException {
    Sandbox sandbox = sandbox(namespace, taskName, taskUid);
    boolean created;
    synchronized (parents) {
      Files.createDirectories(root.getParent());
      mkdir(root);
      mkdir(sandbox.dir().getParent().getParent());
      mkdir(sandbox.dir().getParent());
      try {
        Files.createDirectory(sandbox.dir());
        created = true;
      } catch (FileAlreadyExistsException e) {
        if (!Files.isDirectory(sandbox.dir(), NOFOLLOW_LINKS)) {
          throw e;
        }
        created = false;
      }
    }
    try (SecureDirectoryStream<Path> dir = open(sandbox)) {
      for (String name : List.of(STDOUT, STDERR)) {
        try {
          dir.newByteChannel(Path.of(name), Set.of(CREATE_NEW, WRITE, NOFOLLOW_LINKS)).close();
          own(sandbox.dir().resolve(name), FILE_MODE, uid, gid);
        } catch (FileAlreadyExistsException e) {
          // Kept from an earlier call.
        }
      }
    }
    // Last, so the task's user cannot touch the directory while the agent fills it.
    if (created) {
      own(sandbox.dir(), DIR_MODE, dirToUser ? uid : -1, gid);
    }
    return sandbox;
  }

  /** Every sandbox on disk, in no particular order; entries that are not sandboxes are skipped. */
  public List<Sandbox> list() throws IOException {
    List<Sandbox> found = new ArrayList<>();
    for (Path namespace : directories(root, NAMESPACE)) {
      for (Path task : directories(namespace, TASK_NAME)) {
        for (Path run : directories(task, TASK_UID)) {
          found.add(
              new Sandbox(
                  namespace.getFileName().toString(),
                  task.getFileName().toString(),
                  run.getFileName().toString(),
                  run));
        }
      }
    }
    return found;
  }

  /** Touches the sandbox's {@link #FINISHED_MARKER}, from which {@link SandboxGc} counts age. */
  public void markFinished(Sandbox sandbox, Instant at) throws IOException {
    Path marker = Path.of(FINISHED_MARKER);
    try (SecureDirectoryStream<Path> dir = open(sandbox)) {
      try {
        // The task owns the directory and may have put anything under this name.
        SecureDirs.deleteTree(dir, marker);
      } catch (NoSuchFileException e) {
        // The usual case.
      }
      dir.newByteChannel(marker, Set.of(CREATE_NEW, WRITE, NOFOLLOW_LINKS)).close();
      dir.getFileAttributeView(marker, BasicFileAttributeView.class, NOFOLLOW_LINKS)
          .setTimes(FileTime.from(at), null, null);
    }
  }

  /**
   * Deletes a sandbox and everything in it, following no link, then its task and namespace
   * directories if that left them empty.
   *
   * @return the bytes of the regular files deleted
   */
  public long remove(Sandbox sandbox) throws IOException {
    long freed;
    Path task = Path.of(sandbox.namespace(), sandbox.taskName());
    try (SecureDirectoryStream<Path> dir = SecureDirs.open(root, task)) {
      freed = SecureDirs.deleteTree(dir, Path.of(sandbox.taskUid()));
    }
    synchronized (parents) {
      try (SecureDirectoryStream<Path> dir = SecureDirs.open(root, null)) {
        for (Path emptied : List.of(task, task.getParent())) {
          try {
            dir.deleteDirectory(emptied);
          } catch (DirectoryNotEmptyException | NoSuchFileException e) {
            // Other runs remain, or a concurrent removal was first.
          }
        }
      }
    }
    return freed;
  }

  /** Opens a sandbox directory without following links; the caller closes it. */
  SecureDirectoryStream<Path> open(Sandbox sandbox) throws IOException {
    return SecureDirs.open(root, sandbox.relative());
  }

  private static void mkdir(Path dir) throws IOException {
    try {
      Files.createDirectory(dir);
    } catch (FileAlreadyExistsException e) {
      return;
    }
    own(dir, PARENT_MODE, -1, -1);
  }

  // By path: the final component is not followed, and the levels above are the agent's.
  private static void own(Path path, Set<PosixFilePermission> mode, int uid, int gid)
      throws IOException {
    // The umask may have narrowed the mode given at creation.
    Files.getFileAttributeView(path, PosixFileAttributeView.class, NOFOLLOW_LINKS)
        .setPermissions(mode);
    if (uid >= 0) {
      Files.setAttribute(path, "unix:uid", uid, NOFOLLOW_LINKS);
    }
    if (gid >= 0) {
      Files.setAttribute(path, "unix:gid", gid, NOFOLLOW_LINKS);
    }
  }

  private static List<Path> directories(Path dir, SandboxNames form) throws IOException {
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        if (form.valid(entry.getFileName().toString())
            && Files.isDirectory(entry, NOFOLLOW_LINKS)) {
          found.add(entry);
        }
      }
    } catch (NoSuchFileException e) {
      // No sandbox yet, or removed while listing.
    }
    return found;
  }
}
