package io.mesokube.agent.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.mesokube.agent.cgroups.Cgroups;
import io.mesokube.agent.checkpoint.CheckpointStore;
import io.mesokube.agent.checkpoint.LaunchLog;
import io.mesokube.agent.config.AgentConfig;
import io.mesokube.agent.containers.Containers;
import io.mesokube.agent.containers.ContainersSetup;
import io.mesokube.agent.containers.PullSecrets;
import io.mesokube.agent.health.HealthCheckers;
import io.mesokube.agent.host.HostResources;
import io.mesokube.agent.launcher.TaskLauncher;
import io.mesokube.agent.launcher.TaskMountNamespace;
import io.mesokube.agent.maintenance.MaintenanceWatch;
import io.mesokube.agent.registration.AgentIdentity;
import io.mesokube.agent.registration.Heartbeat;
import io.mesokube.agent.registration.Registrar;
import io.mesokube.agent.sandbox.LogRotation;
import io.mesokube.agent.sandbox.SandboxGc;
import io.mesokube.agent.sandbox.Sandboxes;
import io.mesokube.agent.status.StatusSender;
import io.mesokube.agent.tasks.TaskLaunch;
import io.mesokube.agent.tasks.TaskManager;
import io.mesokube.api.v1alpha1.agent.AgentCapabilities;
import io.mesokube.api.v1alpha1.framework.Framework;
import io.mesokube.api.v1alpha1.role.RolePolicy;
import io.mesokube.api.v1alpha1.task.Task;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.profile.UnlessBuildProfile;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.Readiness;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the agent: registers (retrying until the API server answers), recovers checkpointed tasks,
 * heartbeats, carries out its maintenance mode, and watches the Tasks bound to it. Stopping the
 * agent leaves its tasks running: they belong to their supervisors, and the next agent process
 * recovers them.
 *
 * <p>Not built in the {@code test} profile, whose Quarkus tests exercise the HTTP endpoints alone;
 * the agent as a whole is tested as the packaged application against a real API server.
 */
@ApplicationScoped
@UnlessBuildProfile("test")
public class AgentRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(AgentRuntime.class);

  private final AgentConfig config;
  private final KubernetesClient client;
  private final MeterRegistry meters;
  private final AgentReadiness readiness;
  private final Sandboxes sandboxes;
  private final LogRotation rotation;
  private final SandboxGc gc;
  private final int httpPort;
  private final String version;
  private final Clock clock = Clock.systemUTC();
  private final ScheduledExecutorService timers = threads("mesokube-agent-timers");
  // Housekeeping (rotation, sandbox GC, image collection) may take a while: never on the timers
  // thread, which renews the heartbeat Lease.
  private final ScheduledExecutorService housekeeping = threads("mesokube-agent-housekeeping");
  private final ScheduledExecutorService tasksThread = threads("mesokube-tasks");
  private final ScheduledExecutorService statusThread = threads("mesokube-status");
  private final ScheduledExecutorService healthThread = threads("mesokube-health");
  private Heartbeat heartbeat;
  private TaskLauncher launcher;
  private HealthCheckers health;
  private SharedIndexInformer<Task> tasks;
  private SharedIndexInformer<Framework> frameworks;
  private SharedIndexInformer<RolePolicy> policies;
  private MaintenanceWatch maintenance;

  AgentRuntime(
      AgentConfig config,
      KubernetesClient client,
      MeterRegistry meters,
      @Readiness AgentReadiness readiness,
      Sandboxes sandboxes,
      LogRotation rotation,
      SandboxGc gc,
      @ConfigProperty(name = "quarkus.http.port") int httpPort,
      @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
    this.config = config;
    this.client = client;
    this.meters = meters;
    this.readiness = readiness;
    this.sandboxes = sandboxes;
    this.rotation = rotation;
    this.gc = gc;
    this.httpPort = httpPort;
    this.version = version;
  }

  void start(@Observes StartupEvent event) {
    timers.execute(this::bootstrap);
  }

  void stop(@Observes ShutdownEvent event) {
    if (heartbeat != null) {
      heartbeat.stop();
    }
    for (var informer : new SharedIndexInformer<?>[] {tasks, frameworks, policies}) {
      if (informer != null) {
        informer.stop();
      }
    }
    if (maintenance != null) {
      maintenance.close();
    }
    timers.shutdownNow();
    housekeeping.shutdownNow();
    tasksThread.shutdownNow();
    statusThread.shutdownNow();
    healthThread.shutdownNow();
    try {
      if (launcher != null) {
        launcher.close();
      }
    } catch (IOException e) {
      LOG.warn("Closing the launcher", e);
    }
    LOG.info("Agent stopped; its tasks keep running under their supervisors");
  }

  private void bootstrap() {
    try {
      long startNanos = System.nanoTime();
      Path stateDir = config.stateDir();
      Files.createDirectories(stateDir);
      StateDirPermissions.restrict(stateDir);
      // Before registering: an agent that cannot run tasks must not be offered.
      launcher =
          new TaskLauncher(
              stateDir, TaskMountNamespace.of(config.isolation().taskMountNamespace()));
      String hostname = config.hostname().orElseGet(AgentRuntime::localHostName);
      String name = AgentNames.validate(config.name().orElse(hostname.toLowerCase()));
      String endpoint = config.endpoint().orElse("http://" + hostname + ":" + httpPort);
      Cgroups cgroups =
          Cgroups.detect(
              config.isolation().cgroupVersion(), config.isolation().cgroupRoot() + "/" + name);
      var registration =
          new Registrar.Registration(
              name,
              hostname,
              HostResources.discover(config.resources(), stateDir, Path.of("/dev")),
              config.attributes(),
              endpoint,
              new AgentCapabilities(
                  cgroups.version().name().toLowerCase(),
                  ContainersSetup.runtimeName(config.containers()),
                  version));
      AgentIdentity identity = register(new Registrar(client), registration, stateDir);

      Containers containers = containers(stateDir);
      health =
          new HealthCheckers(
              healthThread,
              HealthCheckers.commandPool(4, 64),
              TaskManager.commandRunner(launcher.namespace()));
      var context =
          new TaskLaunch.Context(
              identity.agentId(),
              endpoint.replaceFirst("^https?://", ""),
              hostname,
              cgroups,
              sandboxes,
              new CheckpointStore(stateDir),
              launcher,
              config.isolation().defaultUser(),
              config.isolation().cpuQuota(),
              config.isolation().pidsLimit(),
              new LaunchLog(stateDir),
              containers,
              config.isolation().rootHostTasks());
      frameworks = client.resources(Framework.class).inAnyNamespace().runnableInformer(0);
      policies = client.resources(RolePolicy.class).runnableInformer(0);
      tasks =
          client
              .resources(Task.class)
              .inAnyNamespace()
              .withField("spec.agent", name)
              // A resync every 5 min hands every Task to the manager again: level-triggered.
              .runnableInformer(Duration.ofMinutes(5).toMillis());
      TaskManager manager =
          new TaskManager(
              context,
              new TaskManager.Caches(
                  (ns, n) -> tasks.getStore().getByKey(ns + "/" + n),
                  // A Framework applied just before its Task may not be in the cache yet.
                  (ns, n) -> {
                    Framework cached = frameworks.getStore().getByKey(ns + "/" + n);
                    return cached != null
                        ? cached
                        : client.resources(Framework.class).inNamespace(ns).withName(n).get();
                  },
                  role ->
                      policies.getStore().list().stream()
                          .filter(p -> role.equals(p.getSpec().role()))
                          .findFirst()
                          .orElse(null)),
              listener ->
                  new StatusSender(
                      client,
                      (ns, n) -> tasks.getStore().getByKey(ns + "/" + n),
                      statusThread,
                      listener,
                      config.heartbeat().statusRetryMin(),
                      config.heartbeat().statusRetryMax()),
              health,
              tasksThread,
              clock);
      AgentMetrics.register(meters, manager, timers);

      // Frameworks and policies first: a launch looks at both.
      frameworks.start().toCompletableFuture().join();
      policies.start().toCompletableFuture().join();
      tasksThread
          .submit(
              () -> {
                manager.recover();
                return null;
              })
          .get();
      // Before the Tasks are watched: an agent that is Down kills what it recovered and launches
      // nothing.
      maintenance =
          new MaintenanceWatch(
              client, name, manager, cgroups, tasksThread, statusThread, housekeeping, clock);
      maintenance.start();
      tasksThread
          .submit(
              () -> {
                maintenance.sync();
                return null;
              })
          .get();
      double recovery = (System.nanoTime() - startNanos) / 1e9;
      AgentMetrics.recovered(meters, recovery);
      heartbeat =
          new Heartbeat(
              client,
              config.heartbeat().leaseNamespace(),
              name,
              config.heartbeat().leaseDuration(),
              clock);
      heartbeat.start(identity.agentId(), timers);
      tasks.addEventHandler(new TaskEvents(tasksThread, manager));
      tasks
          .start()
          .thenRun(() -> tasksThread.execute(() -> manager.reconcileAll(tasks.getStore().list())));
      scheduleHousekeeping(manager, containers);
      long retry = config.heartbeat().statusRetryMax().toMillis();
      timers.scheduleWithFixedDelay(manager::redeliver, retry, retry, TimeUnit.MILLISECONDS);
      readiness.ready(identity.agentId());
      LOG.info(
          "Agent {} ({}) is up in {} s", name, identity.agentId(), String.format("%.2f", recovery));
    } catch (Exception e) {
      // Without registration or recovery the agent is of no use; exit so that its supervisor
      // (systemd, the DaemonSet) restarts it, and say why.
      LOG.error("Agent failed to start", e);
      Quarkus.asyncExit(1);
    }
  }

  private AgentIdentity register(
      Registrar registrar, Registrar.Registration registration, Path stateDir)
      throws IOException, InterruptedException {
    Duration wait = Duration.ofMillis(500);
    while (true) {
      try {
        AgentIdentity identity =
            AgentIdentity.load(stateDir)
                .filter(i -> i.name().equals(registration.name()))
                .orElseGet(() -> AgentIdentity.fresh(registration.name(), clock.instant()));
        if (registrar.refused(identity)) {
          LOG.warn(
              "Agent {} was marked gone as {}; its tasks were reported gone. Registering fresh",
              registration.name(),
              identity.agentId());
          identity = AgentIdentity.fresh(registration.name(), clock.instant());
        }
        registrar.register(registration, identity);
        identity.save(stateDir);
        return identity;
      } catch (KubernetesClientException e) {
        LOG.warn("Registration failed, retrying in {} ms: {}", wait.toMillis(), e.getMessage());
        Thread.sleep(wait.toMillis());
        wait =
            wait.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0
                ? Duration.ofSeconds(10)
                : wait.multipliedBy(2);
      }
    }
  }

  private Containers containers(Path stateDir) throws IOException {
    return ContainersSetup.create(
        config.containers(),
        stateDir,
        meters,
        clock,
        (namespace, secret) -> PullSecrets.read(client, namespace, secret));
  }

  private void scheduleHousekeeping(TaskManager manager, Containers containers) {
    long every = config.sandbox().housekeepingInterval().toMillis();
    housekeeping.scheduleWithFixedDelay(
        () -> {
          try {
            rotation.rotateAll();
            gc.collect(s -> manager.sandboxInUse(s.dir()));
            if (containers.images() != null) {
              containers.images().collect(manager.imagesInUse());
            }
          } catch (IOException | RuntimeException e) {
            LOG.warn("Sandbox housekeeping failed; trying again in {} ms", every, e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        },
        every,
        every,
        TimeUnit.MILLISECONDS);
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  private static ScheduledExecutorService threads(String name) {
    return AgentThreads.single(name);
  }
}
