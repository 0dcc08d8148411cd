package io.mesokube.agent.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * The agent's own record of every process it started: one line per launch, {@code <uid> <task id>
 * <time>}, appended and forced to disk before the launch is reported. It is kept across restarts
 * (checkpoints of finished tasks are removed; this is not), so that an audit — the end-to-end
 * suite's "no task launched twice" — can check the agent's word against the API server's.
 */
public final class LaunchLog {
  /** File name in the state directory. */
  public static final String FILE = "launches.log";

  private final Path file;

  public LaunchLog(Path stateDir) {
    this.file = stateDir.resolve(FILE);
  }

  /** Appends a launch durably. */
  public synchronized void record(String uid, String taskId, Instant at) throws IOException {
    byte[] line = (uid + " " + taskId + " " + at + "\n").getBytes(StandardCharsets.UTF_8);
    try (FileChannel channel =
        FileChannel.open(
            file,
            java.util.Set.of(
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND),
            // Root's alone: every task's name and uid (StateDirPermissions).
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")))) {
      ByteBuffer buffer = ByteBuffer.wrap(line);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(false);
    }
  }

  /** The uids launched, one per launch, oldest first. */
  public List<String> uids() throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    return Files.readAllLines(file).stream()
        .filter(l -> !l.isBlank())
        .map(l -> l.substring(0, l.indexOf(' ')))
        .toList();
  }
}
