package io.mesokube.examples.runner;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The runner's plan: N slots, each done once one attempt of it finished successfully. A slot whose
 * attempt failed is queued again while it has retries left. Plain Java; used on the scheduler's
 * callback thread only.
 */
final class TaskSlots {

  /** What a task's end means for the plan. */
  enum Outcome {
    /** The slot is done. */
    FINISHED,
    /** The slot is queued for another attempt. */
    RELAUNCH,
    /** The slot failed more often than allowed: the run failed. */
    GAVE_UP,
    /** Not a task of the current attempts (or reported twice): nothing changes. */
    IGNORED
  }

  private final String prefix;
  private final int maxRetries;
  private final int[] attempts;
  private final Deque<Integer> pending = new ArrayDeque<>();
  private final Map<String, Integer> running = new HashMap<>();
  private int finished;

  TaskSlots(String prefix, int count, int maxRetries) {
    this.prefix = prefix;
    this.maxRetries = maxRetries;
    this.attempts = new int[count];
    for (int slot = 0; slot < count; slot++) {
      pending.add(slot);
    }
  }

  boolean hasPending() {
    return !pending.isEmpty();
  }

  /** Takes the next pending slot and names its next attempt: {@code <prefix>-<slot>-<attempt>}. */
  String launchNext() {
    int slot = pending.remove();
    var name = prefix + "-" + slot + "-" + attempts[slot];
    attempts[slot]++;
    running.put(name, slot);
    return name;
  }

  /** Records that {@code taskName} ended, successfully or not. */
  Outcome ended(String taskName, boolean success) {
    var slot = running.remove(taskName);
    if (slot == null) {
      return Outcome.IGNORED;
    }
    if (success) {
      finished++;
      return Outcome.FINISHED;
    }
    if (attempts[slot] > maxRetries) {
      return Outcome.GAVE_UP;
    }
    pending.add(slot);
    return Outcome.RELAUNCH;
  }

  int finished() {
    return finished;
  }

  boolean allFinished() {
    return finished == attempts.length;
  }
}
