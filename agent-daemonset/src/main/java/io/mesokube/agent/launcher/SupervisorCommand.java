package io.mesokube.agent.launcher;

import io.mesokube.agent.checkpoint.AtomicFiles;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Installs supervisor.sh in the agent's state dir and builds the command that starts it. */
final class SupervisorCommand {
  static final String SCRIPT = "supervisor.sh";

  // The supervisor's own environment; the task's is in task.env. C locale: stable messages.
  private static final Map<String, String> SUPERVISOR_ENV =
      Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL", "C");

  /** What the supervisor reports on stdout once it has forked the task. */
  record Report(long supervisorPid, long taskPid) {}

  // The supervisor reports within milliseconds; this only bounds a hung fork or cgroup write.
  private static final Duration REPORT_TIMEOUT = Duration.ofSeconds(10);

  private final Path script;
  private final String setsid;

  private SupervisorCommand(Path script, String setsid) {
    this.script = script;
    this.setsid = setsid;
  }

  /**
   * Writes the script to {@code stateDir/supervisor.sh}. By rename, never in place: sh reads a
   * script as it runs it, and the supervisors of an earlier agent version still read theirs.
   */
  static SupervisorCommand install(Path stateDir) throws IOException {
    byte[] content;
    try (InputStream in = SupervisorCommand.class.getResourceAsStream(SCRIPT)) {
      if (in == null) {
        throw new IllegalStateException(SCRIPT + " is missing from the agent's classpath");
      }
      content = in.readAllBytes();
    }
    Files.createDirectories(stateDir);
    Path script = stateDir.toAbsolutePath().resolve(SCRIPT);
    if (!Files.exists(script) || !Arrays.equals(Files.readAllBytes(script), content)) {
      AtomicFiles.write(script, content);
    }
    tool("setpriv");
    return new SupervisorCommand(script, tool("setsid"));
  }

  /** The command: setsid, so that no signal aimed at the agent's process group reaches it. */
  List<String> command(LaunchSpec spec) {
    List<String> command = new ArrayList<>(List.of(setsid, "/bin/sh", script.toString()));
    command.addAll(List.of("-r", spec.runDir().toString(), "-s", spec.sandboxDir().toString()));
    if (spec.user() != null) {
      command.addAll(
          List.of(
              "-u",
              Integer.toString(spec.user().uid()),
              "-g",
              Integer.toString(spec.user().gid())));
      if (spec.user().name() != null) {
        command.add("-i");
      }
      if (spec.programAsRoot()) {
        command.add("-P");
      }
    }
    if (spec.supervisorCgroupProcs() != null) {
      command.addAll(List.of("-S", spec.supervisorCgroupProcs().toString()));
    }
    spec.taskCgroupProcs().forEach(procs -> command.addAll(List.of("-c", procs.toString())));
    command.add("--");
    command.addAll(spec.argv());
    return command;
  }

  /** Starts the supervisor: stdin /dev/null, stdout a pipe for its report, stderr its log. */
  Process start(LaunchSpec spec) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(command(spec))
            .directory(spec.runDir().toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectError(
                ProcessBuilder.Redirect.appendTo(spec.runDir().resolve(RunDir.LOG).toFile()));
    builder.environment().clear();
    builder.environment().putAll(SUPERVISOR_ENV);
    return builder.start();
  }

  private static String tool(String name) {
    for (String dir : SUPERVISOR_ENV.get("PATH").split(":")) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new IllegalStateException(
        name + " not found in " + SUPERVISOR_ENV.get("PATH") + ": the agent needs util-linux");
  }

  /** Reads "SUPERVISOR_PID TASK_PID", the supervisor's one line on stdout. */
  static Report awaitReport(Process process, Path runDir) throws LaunchException {
    CompletableFuture<String> line = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
                line.complete(out.readLine());
              } catch (IOException | RuntimeException e) {
                line.completeExceptionally(e);
              }
            });
    String report;
    try {
      report = line.get(REPORT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      process.destroyForcibly();
      throw new LaunchException("supervisor did not report its task: " + RunDir.logTail(runDir), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LaunchException("interrupted while launching in " + runDir, e);
    }
    if (report == null) {
      // A task that exits before it reports recorded why just before it did; when setsid or the
      // script itself fails, its words are in the log.
      Optional<String> error;
      try {
        error = RunDir.launchError(runDir);
      } catch (IOException e) {
        error = Optional.empty();
      }
      throw new LaunchException(
          error.orElseGet(
              () -> "supervisor failed before starting the task: " + RunDir.logTail(runDir)));
    }
    try {
      String[] words = report.trim().split(" ");
      return new Report(Long.parseLong(words[0]), Long.parseLong(words[1]));
    } catch (RuntimeException e) {
      throw new LaunchException(
          "supervisor failed before starting the task: " + RunDir.logTail(runDir), e);
    }
  }
}
