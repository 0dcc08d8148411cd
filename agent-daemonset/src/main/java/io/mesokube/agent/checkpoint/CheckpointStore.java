package io.mesokube.agent.checkpoint;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The agent's checkpoints: one run dir per task under {@code STATE_DIR/tasks/}, holding the task's
 * {@link TaskCheckpoint}, its {@link StatusUpdateStream} and its supervisor's files.
 */
public final class CheckpointStore {
  /** The directory of run dirs, under the state dir. */
  public static final String TASKS = "tasks";

  // Removal renames a run dir to this hidden prefix first, so that a crash halfway through
  // leaves no half run dir for recovery to misread.
  private static final String REMOVING = ".removing-";
  // Kubernetes uids: lower-case hex and dashes; nothing that could climb out of tasks/.
  private static final Pattern UID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private final Path tasksDir;

  /** The store under {@code stateDir}. */
  public CheckpointStore(Path stateDir) {
    this.tasksDir = stateDir.toAbsolutePath().resolve(TASKS);
  }

  /** The directory of run dirs. */
  public Path tasksDir() {
    return tasksDir;
  }

  /** The run dir of the task whose Kubernetes uid is {@code taskUid}; not created. */
  public Path runDir(String taskUid) {
    if (taskUid == null || !UID.matcher(taskUid).matches()) {
      throw new IllegalArgumentException("not a task uid: " + taskUid);
    }
    return tasksDir.resolve(taskUid);
  }

  /** The run dirs of all checkpointed tasks, sorted by name. */
  public List<Path> runDirs() throws IOException {
    List<Path> runDirs = new ArrayList<>();
    if (!Files.isDirectory(tasksDir)) {
      return runDirs;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(tasksDir)) {
      for (Path entry : entries) {
        if (Files.isDirectory(entry) && !entry.getFileName().toString().startsWith(".")) {
          runDirs.add(entry);
        }
      }
    }
    runDirs.sort(null);
    return runDirs;
  }

  /**
   * Deletes what a crash left behind: temporary files of atomic writes in each run dir and removals
   * cut short. Call at startup, before anything writes checkpoints.
   */
  public void removeLeftovers() throws IOException {
    for (Path runDir : runDirs()) {
      AtomicFiles.removeTemporaries(runDir);
    }
    if (Files.isDirectory(tasksDir)) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(tasksDir, REMOVING + "*")) {
        for (Path entry : entries) {
          FileTrees.delete(entry);
        }
      }
    }
  }

  /** Checkpoints a task, in the run dir it names (created if need be). */
  public void writeTask(TaskCheckpoint task) throws IOException {
    Path runDir = Path.of(task.runDir());
    Files.createDirectories(runDir);
    Json.write(runDir.resolve(TaskCheckpoint.FILE), task);
  }

  /** The task checkpointed in {@code runDir}. */
  public TaskCheckpoint readTask(Path runDir) throws IOException {
    return Json.read(runDir.resolve(TaskCheckpoint.FILE), TaskCheckpoint.class);
  }

  /** The status update stream of the task in {@code runDir}. */
  public StatusUpdateStream updates(Path runDir) throws IOException {
    return StatusUpdateStream.open(runDir.resolve(StatusUpdateStream.FILE));
  }

  /**
   * Removes the run dir of a task whose terminal status update was acknowledged: nothing more is
   * owed to its framework. The caller has made sure nothing of the task runs any more.
   *
   * @return whether it was removed
   */
  public boolean removeIfFinished(Path runDir) throws IOException {
    if (!updates(runDir).finished()) {
      return false;
    }
    remove(runDir);
    return true;
  }

  /**
   * Removes a run dir whatever it holds: for tasks of an earlier registration of this agent, which
   * the operator already reported gone. Renamed first, so a crash midway leaves a leftover that
   * {@link #removeLeftovers} finishes, never a half-deleted run dir that looks like a task.
   */
  public void remove(Path runDir) throws IOException {
    Path doomed = tasksDir.resolve(REMOVING + runDir.getFileName() + "-" + UUID.randomUUID());
    Files.move(runDir, doomed, StandardCopyOption.ATOMIC_MOVE);
    AtomicFiles.fsyncDirectory(tasksDir);
    FileTrees.delete(doomed);
  }
}
