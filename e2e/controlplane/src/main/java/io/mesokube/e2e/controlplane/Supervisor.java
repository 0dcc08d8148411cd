package io.mesokube.e2e.controlplane;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts (until ready), stops and kills the component processes of one control plane. */
final class Supervisor {

  private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);

  private final ControlPlaneConfig config;
  private final Binaries binaries;
  private final WorkDir dir;
  private final ComponentArgs args;
  private final HealthProbe probe;
  private final Consumer<Component> onReady;
  private final Map<Component, ComponentProcess> running = new EnumMap<>(Component.class);

  /**
   * A supervisor that calls {@code onReady} each time a component it started became ready, before
   * the next one starts (the node's images are imported once containerd is up, say).
   */
  Supervisor(
      ControlPlaneConfig config,
      Binaries binaries,
      WorkDir dir,
      ComponentArgs args,
      HealthProbe probe,
      Consumer<Component> onReady) {
    this.config = config;
    this.binaries = binaries;
    this.dir = dir;
    this.args = args;
    this.probe = probe;
    this.onReady = onReady;
  }

  /** Starts every configured component in order, all within one start timeout. */
  synchronized void startAll() {
    var readiness = new Readiness(probe, dir, config.startTimeout());
    config.components().forEach(component -> start(component, readiness));
  }

  /** Starts a component unless it is running, and waits until it is ready. */
  synchronized void start(Component component) {
    if (!running.containsKey(component)) {
      start(component, new Readiness(probe, dir, config.startTimeout()));
    }
  }

  private void start(Component component, Readiness readiness) {
    LOG.info("starting {}", component);
    var process =
        ComponentProcess.start(
            component,
            binaries.path(component),
            args.of(component, config.extraArgs(component)),
            dir);
    running.put(component, process);
    readiness.await(component, process, args.healthUrl(component));
    onReady.accept(component);
  }

  /** Waits until every running component answers its health check again (after a fault). */
  synchronized void awaitReady() {
    var readiness = new Readiness(probe, dir, config.startTimeout());
    running.forEach(
        (component, process) -> readiness.await(component, process, args.healthUrl(component)));
  }

  /** Stops a component with the configured grace period; no-op if it is not running. */
  synchronized void stop(Component component) {
    stop(component, "stopping", config.stopGracePeriod());
  }

  /** Kills a component with SIGKILL; no-op if it is not running. */
  synchronized void kill(Component component) {
    stop(component, "killing", Duration.ZERO);
  }

  private void stop(Component component, String verb, Duration grace) {
    var process = running.remove(component);
    if (process != null) {
      LOG.info("{} {} (pid {})", verb, component, process.pid());
      process.stop(grace);
    }
  }

  /** Stops every component in reverse start order. */
  synchronized void stopAll() {
    config.components().reversed().forEach(this::stop);
  }

  synchronized boolean isRunning(Component component) {
    var process = running.get(component);
    return process != null && process.isAlive();
  }

  synchronized OptionalLong pid(Component component) {
    var process = running.get(component);
    return process == null ? OptionalLong.empty() : OptionalLong.of(process.pid());
  }
}
