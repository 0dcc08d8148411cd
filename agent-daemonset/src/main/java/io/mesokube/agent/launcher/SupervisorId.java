package io.mesokube.agent.launcher;

import java.util.Optional;

/**
 * A task's supervisor, named so that a process that later reuses its pid is not mistaken for it:
 * pid, start time (clock ticks since boot, field 22 of {@code /proc/PID/stat}) and boot id.
 */
public record SupervisorId(long pid, long startTime, String bootId) {

  /** Validates the fields. */
  public SupervisorId {
    if (pid <= 0 || startTime < 0 || bootId == null || bootId.isBlank()) {
      throw new IllegalArgumentException(
          "invalid supervisor id: pid " + pid + ", start time " + startTime + ", boot " + bootId);
    }
  }

  /** Parses the supervisor's own record, "PID STARTTIME BOOT_ID". */
  static SupervisorId parse(String line) {
    String[] words = line.trim().split(" ");
    if (words.length != 3) {
      throw new IllegalArgumentException("expected \"PID STARTTIME BOOT_ID\", got: " + line);
    }
    return new SupervisorId(Long.parseLong(words[0]), Long.parseLong(words[1]), words[2]);
  }

  /** Whether the host was rebooted since this supervisor started (it is then gone for sure). */
  public boolean fromEarlierBoot() {
    return !bootId.equals(ProcStat.bootId());
  }

  /** Whether this very supervisor still runs: same boot, same pid, same start time, no zombie. */
  public boolean isAlive() {
    if (fromEarlierBoot()) {
      return false;
    }
    Optional<ProcStat> stat = ProcStat.read(pid);
    return stat.isPresent() && stat.get().startTime() == startTime && stat.get().running();
  }
}
