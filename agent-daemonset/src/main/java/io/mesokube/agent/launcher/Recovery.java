package io.mesokube.agent.launcher;

/** What {@link TaskLauncher#recover} found in a task's run dir after an agent restart. */
public sealed interface Recovery {

  /** The supervisor still runs; {@link TaskProcess#exit()} completes when the task ends. */
  record Running(TaskProcess process) implements Recovery {}

  /** The task ended, possibly while the agent was down; the real status. */
  record Exited(ExitStatus status) implements Recovery {}

  /** The supervisor is gone and left no exit status. */
  record Lost(LostCause cause, String message) implements Recovery {}
}
