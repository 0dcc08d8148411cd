package io.mesokube.agent.tasks;

import io.mesokube.agent.cgroups.CgroupException;
import io.mesokube.agent.cgroups.Cgroups;
import io.mesokube.agent.cgroups.Limits;
import io.mesokube.agent.checkpoint.CheckpointStore;
import io.mesokube.agent.checkpoint.LaunchLog;
import io.mesokube.agent.checkpoint.StatusUpdate;
import io.mesokube.agent.checkpoint.TaskCheckpoint;
import io.mesokube.agent.containers.ContainerProcess;
import io.mesokube.agent.containers.Containers;
import io.mesokube.agent.images.Image;
import io.mesokube.agent.images.ImageReference;
import io.mesokube.agent.launcher.LaunchException;
import io.mesokube.agent.launcher.LaunchSpec;
import io.mesokube.agent.launcher.TaskLauncher;
import io.mesokube.agent.launcher.TaskProcess;
import io.mesokube.agent.launcher.TaskUser;
import io.mesokube.agent.sandbox.Sandbox;
import io.mesokube.agent.sandbox.Sandboxes;
import io.mesokube.api.v1alpha1.framework.Framework;
import io.mesokube.api.v1alpha1.role.RolePolicy;
import io.mesokube.api.v1alpha1.task.ContainerSpec;
import io.mesokube.api.v1alpha1.task.Reasons;
import io.mesokube.api.v1alpha1.task.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;

/**
 * Launches one task: checks what only the agent can (the framework exists, the user exists and may
 * be root), then sandbox, checkpoint, cgroup and supervisor, in that order, so that a crash at any
 * point leaves a run dir the recovery understands.
 */
public final class TaskLaunch {
  /**
   * What every launch needs.
   *
   * @param defaultUser user of tasks whose task and framework name none
   * @param pidsLimit per-task process limit, 0 for none
   */
  public record Context(
      String agentId,
      String endpoint,
      String hostname,
      Cgroups cgroups,
      Sandboxes sandboxes,
      CheckpointStore store,
      TaskLauncher launcher,
      String defaultUser,
      boolean cpuQuota,
      long pidsLimit,
      LaunchLog launches,
      Containers containers,
      boolean rootHostTasks) {}

  /**
   * What the checks decided: who the task runs as.
   *
   * @param userName the user's name, as the task or framework gave it
   * @param user the user, resolved on this host
   */
  record Plan(String userName, TaskUser user) {}

  /** A launch the agent refuses or cannot do: the terminal update to report. */
  static final class Refused extends Exception {
    final transient StatusUpdate update;

    Refused(StatusUpdate update) {
      super(update.message());
      this.update = update;
    }
  }

  private final Context context;

  TaskLaunch(Context context) {
    this.context = context;
  }

  /** The run dir and status stream of a task, created before anything else is done for it. */
  TaskRun prepare(Task task) throws IOException {
    String uid = task.getMetadata().getUid();
    var runDir = context.store().runDir(uid);
    java.nio.file.Path tasksDir = runDir.getParent();
    if (!Files.isDirectory(tasksDir)) {
      Files.createDirectories(tasksDir.getParent());
      try {
        // Root's alone, as StateDirPermissions sets it at start: its names are every task's uid.
        Files.createDirectory(
            tasksDir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        // Another launch made it first.
      }
    }
    if (!Files.isDirectory(runDir)) {
      // The run dir will hold the task's environment, secrets included, until it starts.
      Files.createDirectory(
          runDir,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    TaskRun run =
        new TaskRun(
            task.getMetadata().getNamespace(),
            task.getMetadata().getName(),
            uid,
            runDir,
            context.store().updates(runDir));
    // Checkpointed before anything can be reported, so that a restart finds which task this run
    // dir is for even if the launch is refused or never happens.
    run.checkpoint =
        new TaskCheckpoint(
            run.namespace,
            run.name,
            uid,
            task.getSpec().framework(),
            context.agentId(),
            Instant.now(),
            runDir.toString(),
            context.sandboxes().sandbox(run.namespace, run.name, uid).dir().toString(),
            null,
            task.getSpec().charged(),
            null,
            0,
            0,
            null,
            0);
    context.store().writeTask(run.checkpoint);
    return run;
  }

  /**
   * Checks what only the agent can: the framework exists, the user exists and may be root, the
   * image reference is valid and this agent can run containers.
   *
   * @param framework the task's Framework, or null if it does not exist
   * @param policy the RolePolicy of the task's role, or null
   */
  Plan plan(Task task, Framework framework, RolePolicy policy, Instant now) throws Refused {
    if (framework == null) {
      throw new Refused(
          TaskEnding.refused(
              Reasons.TASK_INVALID,
              "framework " + task.getSpec().framework() + " does not exist in this namespace",
              now));
    }
    String role = task.getSpec().role();
    if (role != null && !framework.getSpec().roles().contains(role)) {
      // Only the operator binds tasks, and it places a task in a role of its framework; a task
      // bound otherwise must not borrow another role's quota or root permission.
      throw new Refused(
          TaskEnding.refused(
              Reasons.TASK_UNAUTHORIZED,
              "role "
                  + role
                  + " is not one of framework "
                  + task.getSpec().framework()
                  + "'s roles "
                  + framework.getSpec().roles(),
              now));
    }
    var container = task.getSpec().container();
    if (container != null) {
      if (context.containers().unavailable() != null) {
        throw new Refused(
            TaskEnding.launchFailed(
                "this agent cannot run container images: " + context.containers().unavailable(),
                now));
      }
      try {
        ImageReference.parse(container.image(), ImageReference.DEFAULT_REGISTRY);
      } catch (IllegalArgumentException e) {
        throw new Refused(TaskEnding.refused(Reasons.TASK_INVALID, e.getMessage(), now));
      }
    }
    var command = task.getSpec().command();
    String userName =
        command != null && command.user() != null
            ? command.user()
            : framework.getSpec().user() != null
                ? framework.getSpec().user()
                : context.defaultUser();
    if (userName.equals("root") && !allowsRoot(policy)) {
      throw new Refused(
          TaskEnding.refused(
              Reasons.TASK_UNAUTHORIZED,
              "tasks of role "
                  + role(task, framework)
                  + " may not run as root: no RolePolicy"
                  + " allows it (spec.allowRootTasks)",
              now));
    }
    TaskUser user;
    try {
      // Where the task runs: the host's users when the agent runs in an image of its own.
      user = TaskUser.resolve(userName, context.launcher().namespace());
    } catch (LaunchException e) {
      throw new Refused(TaskEnding.launchFailed(e.getMessage(), now));
    }
    // By uid, not name: any account with uid 0 is root.
    if (user.uid() == 0 && !allowsRoot(policy)) {
      throw new Refused(
          TaskEnding.refused(
              Reasons.TASK_UNAUTHORIZED,
              "tasks of role "
                  + role(task, framework)
                  + " may not run as root (user "
                  + userName
                  + " has uid 0): no RolePolicy allows it (spec.allowRootTasks)",
              now));
    }
    if (user.uid() == 0 && task.getSpec().container() == null && !context.rootHostTasks()) {
      throw new Refused(
          TaskEnding.refused(
              Reasons.TASK_UNAUTHORIZED,
              "this agent runs no task as root on its host: root there is root on the node"
                  + " (mesokube.agent.isolation.root-host-tasks, the chart's"
                  + " agent.rootHostTasks, is off). Give the task a container image, where the"
                  + " RolePolicy's allowRootTasks is enough",
              now));
    }
    return new Plan(userName, user);
  }

  /**
   * Starts {@code task} in {@code run} as {@code plan} says; on return its process runs.
   *
   * @param image the task's image, provided; null for a task without one
   */
  void launch(TaskRun run, Task task, Framework framework, Plan plan, Image image, Instant now)
      throws Refused, IOException {
    TaskUser user = plan.user();
    // A container's supervisor opens its logs as root: it gives the directory to the user after.
    Sandbox sandbox =
        context
            .sandboxes()
            .create(run.namespace, run.name, run.uid, user.uid(), user.gid(), image == null);
    run.sandbox = sandbox.dir().toString();
    var resources = task.getSpec().charged();
    // The checkpoint prepare() wrote, now with what the launch decided.
    TaskCheckpoint checkpoint = run.checkpoint.withLaunch(now, run.uid, plan.userName());
    context.store().writeTask(checkpoint);
    run.checkpoint = checkpoint;
    String frameworkId =
        framework.getStatus() != null && framework.getStatus().frameworkId() != null
            ? framework.getStatus().frameworkId()
            : run.namespace + "/" + framework.getMetadata().getName();
    try {
      run.cgroup = context.cgroups().create(run.uid, limits(resources));
      List<java.nio.file.Path> taskProcs = run.cgroup.procsFiles();
      List<java.nio.file.Path> supervisorProcs = context.cgroups().supervisorProcsFiles();
      LaunchSpec spec;
      if (image == null) {
        spec =
            new LaunchSpec(
                run.runDir,
                sandbox.dir(),
                argv(task.getSpec().command()),
                MesosEnvironment.of(
                    task,
                    sandbox.dir(),
                    context.agentId(),
                    context.endpoint(),
                    context.hostname(),
                    frameworkId,
                    plan.userName()),
                user,
                taskProcs,
                supervisorProcs,
                false,
                false);
      } else {
        var container = task.getSpec().container();
        var command = task.getSpec().command();
        ContainerProcess process =
            ContainerProcess.of(
                image.config(),
                command,
                MesosEnvironment.agentVariables(
                    task,
                    java.nio.file.Path.of(ContainerProcess.SANDBOX),
                    context.agentId(),
                    context.endpoint(),
                    context.hostname(),
                    frameworkId,
                    plan.userName()),
                command == null || command.env() == null ? java.util.Map.of() : command.env());
        List<String> argv =
            context
                .containers()
                .runtime()
                .prepare(
                    run.runDir,
                    containerId(run.uid),
                    image,
                    process,
                    user,
                    sandbox.dir(),
                    Boolean.TRUE.equals(container.readOnlyRootfs()),
                    container.network() == ContainerSpec.ContainerNetwork.Private,
                    context.cgroups().taskPath(run.uid));
        spec =
            new LaunchSpec(
                    run.runDir,
                    sandbox.dir(),
                    argv,
                    java.util.Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"),
                    user,
                    taskProcs,
                    supervisorProcs,
                    false,
                    false)
                .withProgramAsRoot()
                // The runtime is the agent's (its image's, in a pod); its pivot_root into the
                // image's root leaves the container nothing of the agent's files but the bind
                // mounts of OciConfig.
                .inAgentMountNamespace();
      }
      // Recorded before the attempt: an audit must see every process that may have started.
      context.launches().record(run.uid, run.namespace + "/" + run.name, now);
      TaskProcess process = context.launcher().launch(spec);
      run.process = process;
      run.checkpoint =
          checkpoint.withSupervisor(
              process.supervisor().pid(),
              process.supervisor().startTime(),
              process.supervisor().bootId(),
              process.taskPid());
      context.store().writeTask(run.checkpoint);
    } catch (LaunchException | CgroupException | IllegalArgumentException e) {
      if (run.cgroup != null) {
        run.cgroup.killAll();
        run.cgroup.destroy();
        run.cgroup = null;
      }
      throw new Refused(
          TaskEnding.launchFailed("Failed to launch the task: " + e.getMessage(), now));
    }
  }

  /** The OCI runtime's id of a task's container. */
  static String containerId(String uid) {
    return "mesokube-" + uid;
  }

  /** The cgroup limits of {@code r}, a task's charged resources (cpus and mem always there). */
  private Limits limits(io.mesokube.api.v1alpha1.common.Resources r) {
    long mem = Math.round(r.mem());
    Limits limits = Limits.of(r.cpus(), mem * 1024 * 1024).withCpuQuota(context.cpuQuota());
    return context.pidsLimit() > 0 ? limits.withPidsMax(context.pidsLimit()) : limits;
  }

  private static List<String> argv(io.mesokube.api.v1alpha1.task.CommandSpec command) {
    if (command == null || (command.shell() == null && command.argv() == null)) {
      throw new IllegalArgumentException("a task without an image needs a command (shell or argv)");
    }
    return command.shell() != null ? List.of("/bin/sh", "-c", command.shell()) : command.argv();
  }

  private static boolean allowsRoot(RolePolicy policy) {
    return policy != null && Boolean.TRUE.equals(policy.getSpec().allowRootTasks());
  }

  static String role(Task task, Framework framework) {
    if (task.getSpec().role() != null) {
      return task.getSpec().role();
    }
    return framework == null ? null : framework.getSpec().roles().getFirst();
  }
}
