package io.mesokube.agent.runtime;

import io.mesokube.agent.checkpoint.CheckpointStore;
import io.mesokube.agent.checkpoint.LaunchLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * What of the state directory a task may see. The directory is 0711: tasks reach their sandboxes
 * below it by path (sandboxes/ is 0755, each sandbox its user's) but cannot list it; the agent's
 * own records ({@code meta/}, {@code launches.log} and {@code tasks/}, the run dirs, whose names
 * are every task's uid) are root's alone, as each run dir and the image cache already are. Applied
 * at every start, so that a state dir made by an older agent is tightened too.
 */
final class StateDirPermissions {

  private StateDirPermissions() {}

  static void restrict(Path stateDir) throws IOException {
    Files.setPosixFilePermissions(stateDir, PosixFilePermissions.fromString("rwx--x--x"));
    for (String dir : List.of("meta", CheckpointStore.TASKS)) {
      Path path = stateDir.resolve(dir);
      if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
      }
    }
    Path launches = stateDir.resolve(LaunchLog.FILE);
    if (Files.isRegularFile(launches, LinkOption.NOFOLLOW_LINKS)) {
      Files.setPosixFilePermissions(launches, PosixFilePermissions.fromString("rw-------"));
    }
  }
}
