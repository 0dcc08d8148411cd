package io.mesokube.agent.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mesokube.api.v1alpha1.common.Resources;
import io.mesokube.api.v1alpha1.task.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

  @TempDir Path stateDir;

  private TaskCheckpoint task(CheckpointStore store, String uid) {
    Path runDir = store.runDir(uid);
    return new TaskCheckpoint(
        "team-a",
        "web-" + uid,
        uid,
        "marathon",
        "agent-1",
        NOW,
        runDir.toString(),
        stateDir.resolve("sandboxes").resolve(uid).toString(),
        "mesokube/" + uid,
        Resources.of(0.5, 128),
        "nobody",
        0,
        0,
        null,
        0);
  }

  @Test
  void writesAndReadsATaskCheckpoint() throws Exception {
    CheckpointStore store = new CheckpointStore(stateDir);
    TaskCheckpoint launched = task(store, "0d7c").withSupervisor(4242, 987654, "boot", 4243);

    store.writeTask(launched);

    assertThat(store.readTask(store.runDir("0d7c"))).isEqualTo(launched);
    assertThat(launched.launched()).isTrue();
  }

  @Test
  void listsRunDirsButNotRemovalsCutShort() throws Exception {
    CheckpointStore store = new CheckpointStore(stateDir);
    store.writeTask(task(store, "bbb"));
    store.writeTask(task(store, "aaa"));
    Path cutShort = Files.createDirectories(store.tasksDir().resolve(".removing-ccc-1"));
    Files.writeString(cutShort.resolve(TaskCheckpoint.FILE), "{");
    Path torn = Files.writeString(store.runDir("aaa").resolve(".task.json.x.tmp"), "{\"na");

    assertThat(store.runDirs()).containsExactly(store.runDir("aaa"), store.runDir("bbb"));
    store.removeLeftovers();
    assertThat(cutShort).doesNotExist();
    assertThat(torn).doesNotExist();
    assertThat(store.readTask(store.runDir("aaa")).name()).isEqualTo("web-aaa");
  }

  @Test
  void removesARunDirOnlyOnceItsTerminalUpdateIsAcknowledged() throws Exception {
    CheckpointStore store = new CheckpointStore(stateDir);
    store.writeTask(task(store, "done"));
    Path runDir = store.runDir("done");
    StatusUpdateStream updates = store.updates(runDir);
    StatusUpdate finished =
        updates.append(StatusUpdate.of(TaskState.TASK_FINISHED, null, null, 0, null, NOW));

    assertThat(store.removeIfFinished(runDir)).isFalse();
    updates.acknowledge(finished.uuid());
    assertThat(store.removeIfFinished(runDir)).isTrue();

    assertThat(runDir).doesNotExist();
    assertThat(store.runDirs()).isEmpty();
  }

  @Test
  void truncatedTaskCheckpointIsRefusedNamingTheFile() throws Exception {
    CheckpointStore store = new CheckpointStore(stateDir);
    store.writeTask(task(store, "torn"));
    Path file = store.runDir("torn").resolve(TaskCheckpoint.FILE);
    Files.writeString(file, Files.readString(file).substring(0, 40));

    assertThatThrownBy(() -> store.readTask(store.runDir("torn")))
        .isInstanceOf(CorruptCheckpointException.class)
        .hasMessageStartingWith("corrupt checkpoint " + file)
        .extracting(e -> ((CorruptCheckpointException) e).file())
        .isEqualTo(file);
  }

  @Test
  void refusesUidsThatCouldLeaveTheTasksDir() {
    CheckpointStore store = new CheckpointStore(stateDir);

    assertThatThrownBy(() -> store.runDir("../etc")).isInstanceOf(IllegalArgumentException.class);
  }
}
