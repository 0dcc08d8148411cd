package io.mesokube.agent.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint file that cannot be read back: truncated, not JSON, or inconsistent. The agent must
 * not guess: silently dropping it would lose status updates a framework is owed.
 */
public class CorruptCheckpointException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  /** The given file is corrupt for the given reason. */
  public CorruptCheckpointException(Path file, String reason, Throwable cause) {
    super("corrupt checkpoint " + file + ": " + reason, cause);
    this.file = file;
  }

  /** The corrupt file. */
  public Path file() {
    return file;
  }
}
