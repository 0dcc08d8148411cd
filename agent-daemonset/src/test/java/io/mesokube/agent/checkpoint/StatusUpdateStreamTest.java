package io.mesokube.agent.checkpoint;

import static io.mesokube.api.v1alpha1.task.TaskState.TASK_FAILED;
import static io.mesokube.api.v1alpha1.task.TaskState.TASK_FINISHED;
import static io.mesokube.api.v1alpha1.task.TaskState.TASK_RUNNING;
import static io.mesokube.api.v1alpha1.task.TaskState.TASK_STARTING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mesokube.api.v1alpha1.task.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusUpdateStreamTest {
  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

  @TempDir Path dir;

  private Path file() {
    return dir.resolve(StatusUpdateStream.FILE);
  }

  private static StatusUpdate update(TaskState state) {
    return StatusUpdate.of(state, null, null, null, null, NOW);
  }

  @Test
  void numbersUpdatesInOrderAndKeepsThemAcrossAReopen() throws Exception {
    StatusUpdateStream stream = StatusUpdateStream.open(file());
    StatusUpdate starting = stream.append(update(TASK_STARTING));
    StatusUpdate running = stream.append(update(TASK_RUNNING));
    StatusUpdate failed =
        stream.append(
            StatusUpdate.of(TASK_FAILED, null, "Command exited with status 3", 3, null, NOW));

    assertThat(starting.sequence()).isEqualTo(1);
    assertThat(failed.sequence()).isEqualTo(3);
    StatusUpdateStream reopened = StatusUpdateStream.open(file());
    assertThat(reopened.unacknowledged()).containsExactly(starting, running, failed);
    assertThat(reopened.unacknowledged().getLast().exitCode()).isEqualTo(3);
  }

  @Test
  void onlyTheOldestUnacknowledgedUpdateMayBeAcknowledged() throws Exception {
    StatusUpdateStream stream = StatusUpdateStream.open(file());
    StatusUpdate starting = stream.append(update(TASK_STARTING));
    StatusUpdate running = stream.append(update(TASK_RUNNING));

    assertThatThrownBy(() -> stream.acknowledge(running.uuid()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("acknowledged in order");
    assertThat(stream.acknowledge(starting.uuid())).isTrue();
    assertThat(stream.acknowledge(starting.uuid())).as("a repeated acknowledgement").isFalse();
    assertThat(StatusUpdateStream.open(file()).unacknowledged()).containsExactly(running);
    assertThatThrownBy(() -> stream.acknowledge(java.util.UUID.randomUUID()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nothingFollowsATerminalUpdateAndItsAcknowledgementFinishesTheStream() throws Exception {
    StatusUpdateStream stream = StatusUpdateStream.open(file());
    stream.append(update(TASK_RUNNING));
    StatusUpdate finished = stream.append(update(TASK_FINISHED));

    assertThatThrownBy(() -> stream.append(update(TASK_FAILED)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("task is TASK_FINISHED; no update to TASK_FAILED may follow");
    stream.acknowledge(stream.unacknowledged().getFirst().uuid());
    assertThat(stream.finished()).isFalse();
    stream.acknowledge(finished.uuid());
    assertThat(StatusUpdateStream.open(file()).finished()).isTrue();
    assertThat(StatusUpdateStream.open(file()).last()).contains(finished);
  }

  @Test
  void truncatedFileIsRefusedNamingIt() throws Exception {
    StatusUpdateStream stream = StatusUpdateStream.open(file());
    stream.append(update(TASK_STARTING));
    stream.append(update(TASK_RUNNING));
    byte[] whole = Files.readAllBytes(file());
    Files.write(file(), Arrays.copyOf(whole, whole.length / 2));

    assertThatThrownBy(() -> StatusUpdateStream.open(file()))
        .isInstanceOf(CorruptCheckpointException.class)
        .hasMessageStartingWith("corrupt checkpoint " + file());
  }

  @Test
  void emptyFileIsRefused() throws Exception {
    Files.createFile(file());

    assertThatThrownBy(() -> StatusUpdateStream.open(file()))
        .isInstanceOf(CorruptCheckpointException.class);
  }

  @Test
  void gapInTheSequenceIsRefused() throws Exception {
    StatusUpdateStream stream = StatusUpdateStream.open(file());
    stream.append(update(TASK_STARTING));
    stream.append(update(TASK_RUNNING));
    Files.writeString(
        file(), Files.readString(file()).replace("\"sequence\" : 2", "\"sequence\" : 3"));

    assertThatThrownBy(() -> StatusUpdateStream.open(file()))
        .isInstanceOf(CorruptCheckpointException.class)
        .hasMessageContaining("has sequence 3, expected 2");
  }
}
