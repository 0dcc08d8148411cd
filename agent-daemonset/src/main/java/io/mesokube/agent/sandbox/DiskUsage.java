package io.mesokube.agent.sandbox;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/** The fraction of a file system's space in use, 0 to 1; {@link SandboxGc} asks it of the root. */
@FunctionalInterface
public interface DiskUsage {
  /** The used fraction of the file system holding {@code path}. */
  double usedFraction(Path path) throws IOException;

  /** What {@code df} shows: space not available to unprivileged users counts as used. */
  static DiskUsage fileStore() {
    return path -> {
      FileStore store = Files.getFileStore(path);
      return 1 - (double) store.getUsableSpace() / store.getTotalSpace();
    };
  }
}
