package io.mesokube.agent.tasks;

import io.mesokube.agent.cgroups.TaskCgroup;
import io.mesokube.agent.checkpoint.StatusUpdate;
import io.mesokube.agent.checkpoint.TaskCheckpoint;
import io.mesokube.agent.health.HealthCheckListener;
import io.mesokube.agent.health.HealthCheckers;
import io.mesokube.agent.health.TaskEnvironment;
import io.mesokube.agent.images.Image;
import io.mesokube.agent.images.ImageStore;
import io.mesokube.agent.launcher.ExitStatus;
import io.mesokube.agent.launcher.Recovery;
import io.mesokube.agent.status.StatusSender;
import io.mesokube.api.v1alpha1.framework.Framework;
import io.mesokube.api.v1alpha1.framework.FrameworkCapability;
import io.mesokube.api.v1alpha1.role.RolePolicy;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mesos' agent in one loop: launches the Tasks bound to this agent, kills them when asked, turns
 * their ends into status updates, and after a restart recovers what its checkpoints describe.
 *
 * <p>Every method runs on one thread ({@code thread}); informer events, process exits, health
 * results and delivery acknowledgements are all handed to it, so the runs need no locks and each
 * task's updates are generated in order. It is level-triggered: {@link #reconcile} compares a Task
 * as stored with what runs here, so a missed watch event is repaired by the next one or the
 * informer's resync.
 */
public final class TaskManager implements StatusSender.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(TaskManager.class);
  private static final int DEFAULT_GRACE_SECONDS = 3;
  private static final int FINISHED_REMEMBERED = 10_000;

  /** Reads of the informer caches. */
  public record Caches(
      BiFunction<String, String, Task> task,
      BiFunction<String, String, Framework> framework,
      Function<String, RolePolicy> rolePolicy) {}

  private final TaskLaunch launch;
  private final TaskLaunch.Context context;
  private final Caches caches;
  private final StatusSender sender;
  private final HealthCheckers health;
  private final ScheduledExecutorService thread;
  private final Clock clock;
  // Written on the manager's thread only; concurrent so that metrics may read it.
  private final Map<String, TaskRun> runs = new ConcurrentHashMap<>();
  // Uids of tasks finished here whose checkpoint is gone: the informer may still show an older
  // Task (status absent or RUNNING) for a moment, which must not launch or report it again.
  private final Set<String> finished =
      Collections.newSetFromMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
              return size() > FINISHED_REMEMBERED;
            }
          });
  // Uids of tasks whose checkpoint could not be read at recovery, with why.
  private final Map<String, String> unrecoverable = new HashMap<>();
  // Why the agent is Down for maintenance, or null. While set, every task here is killed and
  // none is launched: Mesos' DOWN machine.
  private String down;

  public TaskManager(
      TaskLaunch.Context context,
      Caches caches,
      Function<StatusSender.Listener, StatusSender> senders,
      HealthCheckers health,
      ScheduledExecutorService thread,
      Clock clock) {
    this.context = context;
    this.launch = new TaskLaunch(context);
    this.caches = caches;
    this.sender = senders.apply(this);
    this.health = health;
    this.thread = thread;
    this.clock = clock;
  }

  /** Runs command health checks as the task's user, in the tasks' mount namespace. */
  public static io.mesokube.agent.health.CommandRunner commandRunner(
      io.mesokube.agent.launcher.TaskMountNamespace namespace) {
    return new TaskCommandRunner(namespace);
  }

  /**
   * Asks for a delivery pass of every pending update. Appends trigger one already; this periodic
   * nudge is the safety net that no failure can leave an update waiting for an append that never
   * comes.
   */
  public void redeliver() {
    sender.kick();
  }

  /** Updates not yet held by the API server. */
  public int backlog() {
    return sender.backlog();
  }

  /** Runs by the state of their last update (null: launched, nothing reported yet). */
  public Map<TaskState, Integer> countsByState() {
    Map<TaskState, Integer> out = new HashMap<>();
    for (TaskRun run : List.copyOf(runs.values())) {
      TaskState state = run.state();
      if (state != null) {
        out.merge(state, 1, Integer::sum);
      }
    }
    return out;
  }

  /** The manifest digests of the images running containers use, for the image cache. */
  public java.util.Set<String> imagesInUse() {
    java.util.Set<String> out = new java.util.HashSet<>();
    for (TaskRun run : List.copyOf(runs.values())) {
      if (!run.exited) {
        io.mesokube.agent.containers.OciRuntime.imageOf(run.runDir).ifPresent(out::add);
      }
    }
    return out;
  }

  /** The task cgroups of running tasks, by task id, for usage metrics. */
  public Map<String, TaskCgroup> cgroups() {
    Map<String, TaskCgroup> out = new HashMap<>();
    for (TaskRun run : List.copyOf(runs.values())) {
      if (run.running() && run.cgroup != null) {
        out.put(run.taskId(), run.cgroup);
      }
    }
    return out;
  }

  /** Whether a sandbox directory belongs to a task that has not finished here. */
  public boolean sandboxInUse(Path dir) {
    String path = dir.toString();
    return List.copyOf(runs.values()).stream().anyMatch(r -> path.equals(r.sandbox));
  }

  /**
   * The tasks this agent still holds: running, being killed, or ended with an update the API server
   * does not hold yet. Zero means nothing of any task is left here.
   */
  public int held() {
    return runs.size();
  }

  // ---------------------------------------------------------------- maintenance

  /**
   * Applies the agent's maintenance: a non-null {@code downReason} takes it Down, which kills every
   * task (each with its own grace period) and launches none; null brings it back into service.
   * Draining needs nothing here: it only stops offers. Idempotent, so that every change of the
   * Agent and every resync may call it.
   */
  public void maintenance(String downReason) {
    boolean wasDown = down != null;
    down = downReason;
    if (downReason == null) {
      if (wasDown) {
        LOG.info("The agent is back in service: tasks bound to it launch again");
      }
      return;
    }
    if (!wasDown) {
      LOG.warn(
          "The agent is Down for maintenance ({}): killing its {} tasks, launching none",
          downReason,
          runs.values().stream().filter(TaskRun::killable).count());
    }
    for (TaskRun run : List.copyOf(runs.values())) {
      if (run.killable()) {
        Task task = caches.task().apply(run.namespace, run.name);
        kill(
            run,
            TaskEnding.KillCause.MAINTENANCE,
            task == null ? DEFAULT_GRACE_SECONDS : grace(task));
      }
    }
  }

  // ---------------------------------------------------------------- recovery

  /**
   * Recovers every checkpointed task (Mesos' agent recovery); runs before the informers start.
   * Tasks of an earlier registration of this host (another agent id) were reported gone by the
   * operator: whatever of them is left is killed and removed.
   */
  public void recover() throws IOException {
    context.store().removeLeftovers();
    for (Path runDir : context.store().runDirs()) {
      try {
        recover(runDir);
      } catch (IOException | RuntimeException e) {
        // One unreadable run dir must not keep the agent from its other tasks.
        unrecoverable(runDir, e);
      }
    }
    for (String orphan : context.cgroups().list()) {
      if (!runs.containsKey(orphan)) {
        LOG.warn("Killing and removing cgroup {} of no known task", orphan);
        context.cgroups().open(orphan).ifPresent(TaskManager::destroy);
      }
    }
  }

  /**
   * A run dir whose checkpoint cannot be read (corrupt, half-written by a crashed host): what ran
   * is killed, and the task is reported TASK_LOST when its Task is seen, never launched again. The
   * run dir is named after the Task's uid, and so is its cgroup.
   */
  private void unrecoverable(Path runDir, Exception cause) {
    String uid = runDir.getFileName().toString();
    LOG.error("Cannot recover the task in {}; it will be reported TASK_LOST", runDir, cause);
    runs.remove(uid);
    unrecoverable.put(uid, String.valueOf(cause.getMessage()));
    try {
      context.cgroups().open(uid).ifPresent(TaskManager::destroy);
      context.store().remove(runDir);
    } catch (IOException | RuntimeException e) {
      LOG.error("Cannot clean up after the unrecoverable task in {}", runDir, e);
    }
  }

  private void recover(Path runDir) throws IOException {
    TaskCheckpoint checkpoint = context.store().readTask(runDir);
    if (!checkpoint.agentId().equals(context.agentId())) {
      LOG.warn(
          "Task {}/{} belongs to agent {}, not {}: killing what is left of it",
          checkpoint.namespace(),
          checkpoint.name(),
          checkpoint.agentId(),
          context.agentId());
      if (checkpoint.cgroup() != null) {
        context.cgroups().open(checkpoint.cgroup()).ifPresent(TaskManager::destroy);
      }
      context.store().remove(runDir);
      return;
    }
    TaskRun run =
        new TaskRun(
            checkpoint.namespace(),
            checkpoint.name(),
            checkpoint.uid(),
            runDir,
            context.store().updates(runDir));
    run.checkpoint = checkpoint;
    run.sandbox = checkpoint.sandboxDir();
    run.cgroup =
        checkpoint.cgroup() == null
            ? null
            : context.cgroups().open(checkpoint.cgroup()).orElse(null);
    runs.put(run.uid, run);
    TaskState last = run.state();
    if (last != null && last.isTerminal()) {
      run.exited = true;
      cleanUp(run);
      // Its last update may have been delivered already, with only the removal missed.
      retire(run);
      if (!runs.containsKey(run.uid)) {
        return;
      }
    } else {
      switch (context.launcher().recover(runDir)) {
        case Recovery.Running r -> {
          run.process = r.process();
          watchExit(run);
          LOG.info("Recovered running task {}", run.taskId());
        }
        case Recovery.Exited e -> {
          LOG.info(
              "Task {} ended while the agent was away: {}", run.taskId(), e.status().message());
          run.process = null;
          ended(run, e.status());
        }
        case Recovery.Lost l -> {
          LOG.warn("Task {} lost its supervisor: {}", run.taskId(), l.message());
          run.exited = true;
          Framework framework = caches.framework().apply(run.namespace, checkpoint.framework());
          append(run, TaskEnding.lost(l.cause(), l.message(), partitionAware(framework), now()));
          cleanUp(run);
        }
      }
    }
    sender.track(run.delivery());
  }

  // ---------------------------------------------------------------- reconciliation

  /** Brings what runs here in line with the Task {@code namespace/name} as the cache holds it. */
  public void reconcile(String namespace, String name) {
    Task task = caches.task().apply(namespace, name);
    TaskRun run = task == null ? byName(namespace, name) : runs.get(task.getMetadata().getUid());
    if (task == null) {
      if (run != null && run.killable()) {
        LOG.info("Task {} was deleted: killing it", run.taskId());
        kill(run, TaskEnding.KillCause.REQUESTED, DEFAULT_GRACE_SECONDS);
      }
      return;
    }
    for (TaskRun older : List.copyOf(runs.values())) {
      if (older != run
          && older.killable()
          && older.namespace.equals(namespace)
          && older.name.equals(name)) {
        // The Task was deleted and created again under its name: the old one's process must go.
        LOG.info(
            "Task {} was replaced by a new Task of its name: killing the old one", older.taskId());
        kill(older, TaskEnding.KillCause.REQUESTED, DEFAULT_GRACE_SECONDS);
      }
    }
    TaskState stored = task.getStatus() == null ? null : task.getStatus().state();
    if (run == null && finished.contains(task.getMetadata().getUid())) {
      return;
    }
    if (run == null) {
      if (stored != null && stored.isTerminal()) {
        return;
      }
      try {
        start(task, stored);
      } catch (RuntimeException e) {
        launchCrashed(task, e);
      }
      return;
    }
    if (stored != null && stored.isTerminal() && run.killable()) {
      // Decided elsewhere (TASK_LOST while this agent was unreachable, say): the task must not
      // go on running behind a terminal status, as Mesos kills such tasks on re-registration.
      LOG.info("Task {} is {} in the API server: killing it here", run.taskId(), stored);
      kill(run, TaskEnding.KillCause.SUPERSEDED, 0);
      return;
    }
    if (down != null && run.killable()) {
      kill(run, TaskEnding.KillCause.MAINTENANCE, grace(task));
      return;
    }
    if (run.killable()
        && (Boolean.TRUE.equals(task.getSpec().kill())
            || task.getMetadata().getDeletionTimestamp() != null)) {
      kill(run, TaskEnding.KillCause.REQUESTED, grace(task));
      return;
    }
    if (run.running()
        && stored == TaskState.TASK_UNREACHABLE
        && run.state() == TaskState.TASK_RUNNING) {
      // Back from a partition: the task never stopped, so say so again (a new update, with its
      // own time, so the history shows the return).
      append(
          run,
          StatusUpdate.of(
              TaskState.TASK_RUNNING, null, "the agent is reachable again", null, null, now()));
    }
    if (run.running() && run.health == null && task.getSpec().healthCheck() != null) {
      startHealthCheck(run, task, run.checkpoint.launchTime());
    }
  }

  /** Kills runs whose Task is gone; called once the informer has listed everything. */
  public void reconcileAll(Collection<Task> tasks) {
    var uids =
        tasks.stream()
            .map(t -> t.getMetadata().getUid())
            .collect(java.util.stream.Collectors.toSet());
    for (TaskRun run : List.copyOf(runs.values())) {
      if (!uids.contains(run.uid) && run.killable()) {
        LOG.info("Task {} no longer exists: killing it", run.taskId());
        kill(run, TaskEnding.KillCause.REQUESTED, DEFAULT_GRACE_SECONDS);
      }
    }
    tasks.forEach(t -> reconcile(t.getMetadata().getNamespace(), t.getMetadata().getName()));
  }

  private void start(Task task, TaskState stored) {
    TaskRun run;
    try {
      run = launch.prepare(task);
    } catch (IOException e) {
      LOG.error(
          "Cannot create the run dir of task {}/{}; will retry",
          task.getMetadata().getNamespace(),
          task.getMetadata().getName(),
          e);
      thread.schedule(
          () -> reconcile(task.getMetadata().getNamespace(), task.getMetadata().getName()),
          5,
          TimeUnit.SECONDS);
      return;
    }
    runs.put(run.uid, run);
    Instant now = now();
    // Until a process starts there is none to wait for: a run that reports without launching is
    // over once its update is delivered.
    run.exited = true;
    String unreadable = unrecoverable.remove(run.uid);
    if (unreadable != null) {
      append(
          run,
          StatusUpdate.of(
              TaskState.TASK_LOST,
              io.mesokube.api.v1alpha1.task.Reasons.AGENT_RESTARTED,
              "the agent could not read the task's checkpoint after a restart ("
                  + unreadable
                  + "); whatever ran of it was killed",
              null,
              null,
              now));
    } else if (stored != null) {
      // This agent reported the task once (it has a state) but holds no checkpoint of it: the
      // state directory was lost. It cannot know whether the task runs; Mesos says TASK_LOST.
      append(
          run,
          StatusUpdate.of(
              TaskState.TASK_LOST,
              io.mesokube.api.v1alpha1.task.Reasons.AGENT_RESTARTED,
              "the agent has no record of this task (its state directory was lost)",
              null,
              null,
              now));
    } else if (Boolean.TRUE.equals(task.getSpec().kill())
        || task.getMetadata().getDeletionTimestamp() != null) {
      append(run, TaskEnding.killedBeforeLaunch(now));
    } else if (down != null) {
      LOG.info("Task {} not launched: the agent is Down for maintenance", run.taskId());
      append(run, TaskEnding.notLaunchedWhileDown(false, down, now));
    } else {
      Framework framework = caches.framework().apply(run.namespace, task.getSpec().framework());
      String role = TaskLaunch.role(task, framework);
      RolePolicy policy = role == null ? null : caches.rolePolicy().apply(role);
      try {
        run.exited = false;
        TaskLaunch.Plan plan = launch.plan(task, framework, policy, now);
        if (task.getSpec().container() != null) {
          provide(run, task, framework, plan);
        } else {
          launch(run, task, framework, plan, null, null, now);
        }
      } catch (TaskLaunch.Refused e) {
        LOG.warn("Task {} not launched: {}", run.taskId(), e.getMessage());
        run.exited = true;
        append(run, e.update);
      }
    }
    sender.track(run.delivery());
  }

  /**
   * A launch that threw what nothing expected (a bug, or data no check foresaw): logged, and, once
   * the task has a run to report through, reported TASK_FAILED with what was thrown, so that it
   * does not stay staging with nobody told. What it created on the host goes.
   */
  private void launchCrashed(Task task, RuntimeException e) {
    String id = task.getMetadata().getNamespace() + "/" + task.getMetadata().getName();
    LOG.error("Launching task {} failed unexpectedly", id, e);
    TaskRun run = runs.get(task.getMetadata().getUid());
    if (run == null || run.process != null || run.provisioning != null) {
      return;
    }
    if (run.cgroup != null) {
      destroy(run.cgroup);
      run.cgroup = null;
    }
    run.exited = true;
    append(run, TaskEnding.launchFailed("The agent failed to launch the task: " + e, now()));
    sender.track(run.delivery());
  }

  /**
   * Provides a container task's image on the pull executor, reporting TASK_STARTING meanwhile, and
   * launches it back on this thread once the image is there. A kill meanwhile ends the task at once
   * ({@link #abandon}); the launch that follows the pull checks again what the API server holds.
   */
  private void provide(TaskRun run, Task task, Framework framework, TaskLaunch.Plan plan) {
    var container = task.getSpec().container();
    // The task's own secret, else its framework's (plan() saw the framework exists).
    String pullSecret =
        container.pullSecret() != null ? container.pullSecret() : framework.getSpec().pullSecret();
    append(
        run,
        StatusUpdate.of(
            TaskState.TASK_STARTING,
            null,
            "provisioning image " + container.image(),
            null,
            null,
            now()));
    // A pull's progress, as TASK_STARTING updates, while the task still waits for it (run on this
    // thread, so after provide() has set run.provisioning). One at a time: while the API server
    // has not taken the last update (it is away, say), a tick is skipped rather than queued, as
    // the next one says more.
    java.util.function.Consumer<String> progress =
        message ->
            thread.execute(
                () -> {
                  if (run.provisioning != null
                      && !run.exited
                      && run.state() == TaskState.TASK_STARTING
                      && run.stream.unacknowledged().isEmpty()) {
                    append(
                        run,
                        StatusUpdate.of(TaskState.TASK_STARTING, null, message, null, null, now()));
                  }
                });
    var provided =
        context.containers().provide(run.namespace, container.image(), pullSecret, progress);
    run.provisioning = provided;
    provided.whenComplete(
        (image, error) ->
            thread.execute(
                () -> {
                  if (run.provisioning == provided) {
                    run.provisioning = null;
                    provided(run, plan, image, error);
                  }
                }));
  }

  private void provided(
      TaskRun run, TaskLaunch.Plan plan, ImageStore.Provided image, Throwable error) {
    if (run.exited) {
      // Decided meanwhile: the API server holds a terminal state for it (superseded).
      return;
    }
    Instant now = now();
    Task task = caches.task().apply(run.namespace, run.name);
    if (task != null
        && task.getStatus() != null
        && task.getStatus().state() != null
        && task.getStatus().state().isTerminal()) {
      // TASK_LOST while this agent was unreachable, say: it must not start behind that.
      LOG.info(
          "Task {} is {} in the API server: not launched", run.taskId(), task.getStatus().state());
      run.exited = true;
      retire(run);
      return;
    }
    if (task == null
        || !task.getMetadata().getUid().equals(run.uid)
        || Boolean.TRUE.equals(task.getSpec().kill())
        || task.getMetadata().getDeletionTimestamp() != null) {
      run.exited = true;
      append(run, TaskEnding.killedBeforeLaunch(now));
      return;
    }
    if (error != null) {
      Throwable cause =
          error instanceof java.util.concurrent.CompletionException && error.getCause() != null
              ? error.getCause()
              : error;
      LOG.warn("Task {} not launched: {}", run.taskId(), cause.getMessage());
      run.exited = true;
      append(run, TaskEnding.notProvided(cause, now));
      return;
    }
    Framework framework = caches.framework().apply(run.namespace, task.getSpec().framework());
    try {
      launch(run, task, framework, plan, image.image(), image.summary(), now);
    } catch (TaskLaunch.Refused e) {
      LOG.warn("Task {} not launched: {}", run.taskId(), e.getMessage());
      run.exited = true;
      append(run, e.update);
    }
  }

  /** Launches and reports TASK_RUNNING (with {@code message}, if any). */
  private void launch(
      TaskRun run,
      Task task,
      Framework framework,
      TaskLaunch.Plan plan,
      Image image,
      String message,
      Instant now)
      throws TaskLaunch.Refused {
    if (framework == null) {
      throw new TaskLaunch.Refused(
          TaskEnding.refused(
              io.mesokube.api.v1alpha1.task.Reasons.TASK_INVALID,
              "framework " + task.getSpec().framework() + " does not exist in this namespace",
              now));
    }
    try {
      launch.launch(run, task, framework, plan, image, now);
    } catch (IOException e) {
      LOG.error("Task {} failed to launch", run.taskId(), e);
      if (run.cgroup != null) {
        destroy(run.cgroup);
        run.cgroup = null;
      }
      throw new TaskLaunch.Refused(
          TaskEnding.launchFailed("Failed to launch the task: " + e.getMessage(), now));
    }
    // The sandbox is known now: every update from here on is delivered with it.
    sender.track(run.delivery());
    append(run, StatusUpdate.of(TaskState.TASK_RUNNING, null, message, null, null, now()));
    watchExit(run);
    if (task.getSpec().healthCheck() != null) {
      startHealthCheck(run, task, now);
    }
    LOG.info("Launched task {} (pid {})", run.taskId(), run.process.taskPid());
  }

  // ---------------------------------------------------------------- kill and exit

  private void kill(TaskRun run, TaskEnding.KillCause cause, int graceSeconds) {
    if (run.provisioning != null && !run.exited) {
      abandon(run, cause);
      return;
    }
    if (run.killing != null || !run.running()) {
      return;
    }
    run.killing = cause;
    if (run.health != null) {
      run.health.stop();
    }
    Framework framework = caches.framework().apply(run.namespace, run.checkpoint.framework());
    if ((cause == TaskEnding.KillCause.REQUESTED || cause == TaskEnding.KillCause.MAINTENANCE)
        && has(framework, FrameworkCapability.TASK_KILLING_STATE)) {
      append(
          run,
          StatusUpdate.of(
              TaskState.TASK_KILLING,
              cause == TaskEnding.KillCause.MAINTENANCE
                  ? io.mesokube.api.v1alpha1.task.Reasons.AGENT_DRAINING
                  : null,
              (cause == TaskEnding.KillCause.MAINTENANCE
                      ? "the agent is Down for maintenance: "
                      : "")
                  + "killing with a grace period of "
                  + graceSeconds
                  + " s",
              null,
              null,
              now()));
    }
    if (run.cgroup != null) {
      run.cgroup.signalAll(TaskCgroup.Signal.SIGTERM);
    } else {
      run.process.signalTask(io.mesokube.agent.launcher.TaskProcess.SIGTERM);
    }
    run.escalation =
        thread.schedule(
            () -> {
              if (!run.exited) {
                LOG.info("Task {} outlived its grace period: SIGKILL", run.taskId());
                if (run.cgroup != null) {
                  run.cgroup.killAll();
                } else {
                  run.process.signalTask(io.mesokube.agent.launcher.TaskProcess.SIGKILL);
                }
              }
            },
            graceSeconds,
            TimeUnit.SECONDS);
  }

  /**
   * Ends a task whose image is still being provided, at once rather than when the pull ends:
   * nothing of it runs yet (Mesos' destroy of a provisioning container). The pull itself goes on
   * while another task waits for the image, and is stopped otherwise (see {@link
   * ImageStore#provide}).
   */
  private void abandon(TaskRun run, TaskEnding.KillCause cause) {
    LOG.info("Task {} killed while its image was provided ({})", run.taskId(), cause);
    run.provisioning.cancel(true);
    run.provisioning = null;
    run.exited = true;
    if (cause == TaskEnding.KillCause.SUPERSEDED) {
      // The API server holds a terminal state for it: nothing more to report.
      retire(run);
    } else if (cause == TaskEnding.KillCause.MAINTENANCE) {
      append(run, TaskEnding.notLaunchedWhileDown(true, down, now()));
    } else {
      append(run, TaskEnding.killedBeforeLaunch(now()));
    }
  }

  private void watchExit(TaskRun run) {
    run.process
        .exit()
        .whenComplete(
            (status, error) ->
                thread.execute(
                    () -> {
                      if (error != null) {
                        LOG.error("Lost track of task {}", run.taskId(), error);
                        run.exited = true;
                        append(
                            run,
                            TaskEnding.lost(
                                io.mesokube.agent.launcher.LostCause.SUPERVISOR_DIED,
                                error.getMessage(),
                                false,
                                now()));
                        cleanUp(run);
                      } else {
                        ended(run, status);
                      }
                    }));
  }

  private void ended(TaskRun run, ExitStatus status) {
    if (run.exited) {
      return;
    }
    run.exited = true;
    if (run.escalation != null) {
      run.escalation.cancel(false);
    }
    if (run.health != null) {
      run.health.stop();
    }
    boolean oom = run.cgroup != null && run.cgroup.oomKilled();
    double mem =
        run.checkpoint.resources() == null || run.checkpoint.resources().mem() == null
            ? 0
            : run.checkpoint.resources().mem();
    append(run, TaskEnding.ended(status, run.killing, oom, mem, now()));
    LOG.info("Task {} ended: {}", run.taskId(), status.message());
    cleanUp(run);
    // A task killed because the API server holds it terminal has nothing left to deliver.
    retire(run);
  }

  /** Removes what the task held on the host; its sandbox stays for the garbage collector. */
  private void cleanUp(TaskRun run) {
    if (run.cgroup != null) {
      destroy(run.cgroup);
      run.cgroup = null;
    }
    if (context.containers().runtime() != null) {
      context.containers().runtime().cleanUp(run.runDir, TaskLaunch.containerId(run.uid));
    }
    if (run.sandbox != null) {
      try {
        context
            .sandboxes()
            .markFinished(context.sandboxes().sandbox(run.namespace, run.name, run.uid), now());
      } catch (IOException | IllegalArgumentException e) {
        LOG.warn("Cannot mark the sandbox of {} finished", run.taskId(), e);
      }
    }
  }

  private static void destroy(TaskCgroup cgroup) {
    cgroup.killAll();
    cgroup.destroy();
  }

  // ---------------------------------------------------------------- health

  private void startHealthCheck(TaskRun run, Task task, Instant startedAt) {
    List<String> container = List.of();
    var runtime = context.containers().runtime();
    if (runtime != null
        && io.mesokube.agent.containers.OciRuntime.imageOf(run.runDir).isPresent()) {
      try {
        var user =
            io.mesokube.agent.launcher.TaskUser.resolve(
                run.checkpoint.user(), context.launcher().namespace());
        container = runtime.execCommand(run.runDir, TaskLaunch.containerId(run.uid), user);
      } catch (io.mesokube.agent.launcher.LaunchException e) {
        LOG.warn("No health checks for task {}: {}", run.taskId(), e.getMessage());
        return;
      }
    }
    TaskEnvironment env =
        new TaskEnvironment(
            run.taskId(),
            Map.of("PATH", MesosEnvironment.DEFAULT_PATH, "MESOS_SANDBOX", run.sandbox),
            Path.of(run.sandbox),
            run.checkpoint.user(),
            container,
            container.isEmpty() && run.cgroup != null ? run.cgroup.procsFiles() : List.of());
    run.health =
        health.create(
            task.getSpec().healthCheck(),
            env,
            new HealthCheckListener() {
              @Override
              public void onHealthChanged(boolean healthy, String message) {
                thread.execute(
                    () -> {
                      if (run.running() && run.killing == null) {
                        append(
                            run,
                            StatusUpdate.of(
                                TaskState.TASK_RUNNING, null, message, null, healthy, now()));
                      }
                    });
              }

              @Override
              public void onUnhealthy(String message) {
                thread.execute(
                    () -> {
                      LOG.info("Task {} is unhealthy: {}", run.taskId(), message);
                      kill(run, TaskEnding.KillCause.UNHEALTHY, grace(task));
                    });
              }
            });
    run.health.start(startedAt);
  }

  // ---------------------------------------------------------------- status delivery

  @Override
  public void delivered(StatusSender.Delivery delivery, StatusUpdate last) {
    thread.execute(() -> retire(runs.get(delivery.uid())));
  }

  @Override
  public void superseded(StatusSender.Delivery delivery, TaskState stored) {
    thread.execute(
        () -> {
          TaskRun run = runs.get(delivery.uid());
          if (run == null || !stored.isTerminal()) {
            return;
          }
          if (run.killable()) {
            LOG.info("Task {} is {} in the API server: killing it here", run.taskId(), stored);
            kill(run, TaskEnding.KillCause.SUPERSEDED, 0);
          } else {
            // Nothing runs (a stale view had it launched or reported again): the API server's
            // terminal state stands.
            run.exited = true;
            retire(run);
          }
        });
  }

  /** Forgets a run whose last update the API server holds: its checkpoint goes, not its sandbox. */
  private void retire(TaskRun run) {
    if (run == null || !run.exited || !run.stream.finished()) {
      return;
    }
    try {
      if (context.store().removeIfFinished(run.runDir)) {
        finished.add(run.uid);
        runs.remove(run.uid);
        sender.forget(run.uid);
      }
    } catch (IOException e) {
      LOG.warn("Cannot remove the checkpoint of finished task {}", run.taskId(), e);
    }
  }

  private void append(TaskRun run, StatusUpdate update) {
    try {
      run.append(update);
      sender.kick();
    } catch (IOException e) {
      // The checkpoint is the promise of delivery; without it the update would be lost on a
      // restart, so this is an agent failure, not a task one.
      throw new java.io.UncheckedIOException(
          "cannot checkpoint a status update of " + run.taskId(), e);
    } catch (IllegalStateException e) {
      LOG.debug(
          "Update {} of task {} not appended: {}", update.state(), run.taskId(), e.getMessage());
    }
  }

  // ---------------------------------------------------------------- helpers

  private TaskRun byName(String namespace, String name) {
    for (TaskRun run : runs.values()) {
      if (run.namespace.equals(namespace) && run.name.equals(name)) {
        return run;
      }
    }
    return null;
  }

  private static int grace(Task task) {
    var policy = task.getSpec().killPolicy();
    return policy == null || policy.gracePeriodSeconds() == null
        ? DEFAULT_GRACE_SECONDS
        : policy.gracePeriodSeconds();
  }

  private static boolean partitionAware(Framework framework) {
    return has(framework, FrameworkCapability.PARTITION_AWARE);
  }

  private static boolean has(Framework framework, FrameworkCapability capability) {
    return framework != null
        && framework.getSpec().capabilities() != null
        && framework.getSpec().capabilities().contains(capability);
  }

  private Instant now() {
    return clock.instant();
  }
}
