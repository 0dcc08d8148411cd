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

  // What the supervisor runs besides sh (supervisor.sh), getent for user lookups (TaskUser), and
  // stat for the check below.
  private static final String NAMESPACE_CHECK =
      """
      missing=
      for tool in setsid setpriv env date mv rm sync stat getent; do
        command -v "$tool" > /dev/null 2>&1 || missing="$missing $tool"
      done
      if [ -n "$missing" ]; then
        echo "missing:$missing (tasks need util-linux and coreutils there)"
        exit 1
      fi
      env -i --default-signal -C / true 2> /dev/null \\
        || { echo "its env lacks --default-signal or -C (coreutils 8.31 or later)"; exit 1; }
      [ "$(stat -L -c %d:%i "$1" 2> /dev/null)" = "$2" ] || {
        echo "$1 is missing there or another file: the state dir must be the same directory"
        echo "at the same path in both namespaces (in a pod: a hostPath mounted at its host path)"
        exit 1
      }
      """;

  private final Path script;
  private final String setsid;
  private final TaskMountNamespace namespace;

  private SupervisorCommand(Path script, String setsid, TaskMountNamespace namespace) {
    this.script = script;
    this.setsid = setsid;
    this.namespace = namespace;
  }

  /**
   * Writes the script to {@code stateDir/supervisor.sh}. By rename, never in place: sh reads a
   * script as it runs it, and the supervisors of an earlier agent version still read theirs.
   *
   * @param namespace where command tasks' supervisors run; in another namespace than the agent's,
   *     checked once here: the script must be the same file there, and the tools it runs must be
   *     there
   * @throws IllegalStateException when a tool is missing, here or in {@code namespace}
   */
  static SupervisorCommand install(Path stateDir, TaskMountNamespace namespace) throws IOException {
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
    // Container tasks' supervisors run here, whatever the namespace of command tasks.
    tool("setpriv");
    String setsid = tool("setsid");
    if (namespace.file().isPresent()) {
      check(namespace, script);
    }
    return new SupervisorCommand(script, setsid, namespace);
  }

  /**
   * The command: setsid, so that no signal aimed at the agent's process group reaches it; behind
   * nsenter unless the spec runs in the agent's mount namespace. There setsid is looked up by name
   * along the supervisor's PATH: the agent's path to it may not exist in the other namespace.
   */
  List<String> command(LaunchSpec spec) {
    boolean entered = namespace.file().isPresent() && !spec.agentMountNamespace();
    List<String> command =
        new ArrayList<>(
            entered
                ? namespace.command(List.of("setsid", "/bin/sh", script.toString()))
                : List.of(setsid, "/bin/sh", script.toString()));
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
    spec.supervisorCgroupProcs().forEach(procs -> command.addAll(List.of("-S", procs.toString())));
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

  /** The path of a util-linux tool the agent runs, in its own mount namespace. */
  static String tool(String name) {
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
      // A task that exits before it reports recorded why just before it did; when nsenter, setsid
      // or the script itself fails, its words are in the log.
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

  // Runs NAMESPACE_CHECK in the namespace: its tools, and the script seen there by device and
  // inode.
  private static void check(TaskMountNamespace namespace, Path script) throws IOException {
    String id =
        Files.getAttribute(script, "unix:dev") + ":" + Files.getAttribute(script, "unix:ino");
    ProcessBuilder builder =
        new ProcessBuilder(
                namespace.command(
                    List.of("/bin/sh", "-c", NAMESPACE_CHECK, "sh", script.toString(), id)))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(SUPERVISOR_ENV);
    Process process = builder.start();
    String output;
    try {
      // A few lines at most: they fit the pipe, so waiting first cannot block the check.
      if (!process.waitFor(REPORT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "checking " + namespace + " took more than " + REPORT_TIMEOUT.toSeconds() + " s");
      }
      output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while checking " + namespace, e);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          "tasks cannot run in "
              + namespace
              + " (mesokube.agent.isolation.task-mount-namespace): "
              + output.replace('\n', ' '));
    }
  }
}
