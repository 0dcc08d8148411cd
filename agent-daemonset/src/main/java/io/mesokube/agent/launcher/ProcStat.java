package io.mesokube.agent.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The few fields of {@code /proc/PID/stat} the launcher needs: state, parent and start time.
 *
 * <p>The start time (clock ticks since boot) together with the boot id names a process for the
 * whole life of the host: a pid alone may have been reused since it was recorded.
 */
record ProcStat(long pid, char state, long parentPid, long startTime) {

  private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

  /** The process, if it exists (a zombie exists until its parent reaps it). */
  static Optional<ProcStat> read(long pid) {
    String line;
    try {
      line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      // ESRCH while the process is reaped between open and read: gone just the same.
      return Optional.empty();
    }
    return Optional.of(parse(pid, line));
  }

  /**
   * Parses a stat line; the command name may hold spaces and parentheses, so fields are counted
   * from the last ")".
   */
  static ProcStat parse(long pid, String line) {
    String[] fields = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
    // fields[0] is field 3 of proc(5): state; [1] the parent pid; [19] field 22, starttime.
    return new ProcStat(
        pid, fields[0].charAt(0), Long.parseLong(fields[1]), Long.parseLong(fields[19]));
  }

  /** Whether the process still runs: a zombie (Z) or a dead task (X) has ended. */
  boolean running() {
    return state != 'Z' && state != 'X';
  }

  /** This boot of the host, as the kernel names it. */
  static String bootId() {
    try {
      return Files.readString(BOOT_ID).trim();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + BOOT_ID + ": is /proc mounted?", e);
    }
  }
}
