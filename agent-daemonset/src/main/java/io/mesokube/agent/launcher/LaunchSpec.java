package io.mesokube.agent.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to launch and where.
 *
 * @param runDir the task's run dir in the agent's state dir: the supervisor's files (created)
 * @param sandboxDir the task's working directory, holding its stdout and stderr (created)
 * @param argv the program and its arguments; a shell command is {@code /bin/sh -c LINE}
 * @param env the task's whole environment: nothing else is inherited
 * @param user the user to run as, or null to run as the agent's user (root): the caller decides
 *     whether policy allows that
 * @param taskCgroupProcs the {@code cgroup.procs} files the task joins before it execs; may be
 *     empty
 * @param supervisorCgroupProcs the {@code cgroup.procs} files the supervisor joins, in order,
 *     before it forks the task; may be empty
 * @param programAsRoot whether the program runs as root although a {@code user} is given: an OCI
 *     runtime, which starts the task's process as that user inside its container. The user then
 *     only owns the sandbox logs, which the supervisor checks before the program gets them
 * @param agentMountNamespace whether the supervisor and the program run in the agent's own mount
 *     namespace whatever the launcher's {@link TaskMountNamespace}: a program of the agent's, such
 *     as its OCI runtime, which exists only there
 */
public record LaunchSpec(
    Path runDir,
    Path sandboxDir,
    List<String> argv,
    Map<String, String> env,
    TaskUser user,
    List<Path> taskCgroupProcs,
    List<Path> supervisorCgroupProcs,
    boolean programAsRoot,
    boolean agentMountNamespace) {

  /** Validates and copies everything: what reaches the supervisor must be exec-able as is. */
  public LaunchSpec {
    runDir = Objects.requireNonNull(runDir, "runDir").toAbsolutePath();
    sandboxDir = Objects.requireNonNull(sandboxDir, "sandboxDir").toAbsolutePath();
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
    taskCgroupProcs = taskCgroupProcs.stream().map(Path::toAbsolutePath).toList();
    supervisorCgroupProcs = supervisorCgroupProcs.stream().map(Path::toAbsolutePath).toList();
    if (argv.isEmpty() || argv.getFirst().isEmpty()) {
      throw new IllegalArgumentException("argv needs a program");
    }
    // env(1) would take a program named NAME=VALUE for one more variable.
    if (argv.getFirst().contains("=")) {
      throw new IllegalArgumentException("program name must not contain '=': " + argv.getFirst());
    }
    argv.forEach(arg -> requireNoNul("argument", arg));
    env.forEach(
        (name, value) -> {
          if (name.isEmpty() || name.contains("=")) {
            throw new IllegalArgumentException("invalid environment variable name: '" + name + "'");
          }
          requireNoNul("environment variable " + name, name + value);
        });
    for (Path procs :
        java.util.stream.Stream.concat(taskCgroupProcs.stream(), supervisorCgroupProcs.stream())
            .toList()) {
      // The supervisor takes the lists newline-separated.
      if (procs.toString().contains("\n")) {
        throw new IllegalArgumentException("cgroup path with a newline: " + procs);
      }
    }
  }

  /** A task running as the agent's user, in no cgroup of its own. */
  public static LaunchSpec of(
      Path runDir, Path sandboxDir, List<String> argv, Map<String, String> env) {
    return new LaunchSpec(runDir, sandboxDir, argv, env, null, List.of(), List.of(), false, false);
  }

  /** This spec, run as the given user. */
  public LaunchSpec withUser(TaskUser user) {
    return new LaunchSpec(
        runDir,
        sandboxDir,
        argv,
        env,
        user,
        taskCgroupProcs,
        supervisorCgroupProcs,
        programAsRoot,
        agentMountNamespace);
  }

  /** This spec, with the task's and the supervisor's cgroups. */
  public LaunchSpec withCgroups(List<Path> taskProcs, List<Path> supervisorProcs) {
    return new LaunchSpec(
        runDir,
        sandboxDir,
        argv,
        env,
        user,
        taskProcs,
        supervisorProcs,
        programAsRoot,
        agentMountNamespace);
  }

  /** This spec, its program run as root; {@code user} only owns the sandbox logs. */
  public LaunchSpec withProgramAsRoot() {
    return new LaunchSpec(
        runDir,
        sandboxDir,
        argv,
        env,
        user,
        taskCgroupProcs,
        supervisorCgroupProcs,
        true,
        agentMountNamespace);
  }

  /** This spec, run in the agent's own mount namespace: its program is one of the agent's. */
  public LaunchSpec inAgentMountNamespace() {
    return new LaunchSpec(
        runDir,
        sandboxDir,
        argv,
        env,
        user,
        taskCgroupProcs,
        supervisorCgroupProcs,
        programAsRoot,
        true);
  }

  private static void requireNoNul(String what, String text) {
    if (text.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(what + " contains a NUL byte");
    }
  }
}
