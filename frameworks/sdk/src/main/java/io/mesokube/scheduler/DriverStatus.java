package io.mesokube.scheduler;

/** The state of a {@link SchedulerDriver} (Mesos' {@code Status}). */
public enum DriverStatus {
  /** Created, {@link SchedulerDriver#start()} not called yet. */
  DRIVER_NOT_STARTED,
  /** Started: registered or registering, delivering callbacks. */
  DRIVER_RUNNING,
  /** Aborted by {@link SchedulerDriver#abort()} or an unrecoverable error; no more callbacks. */
  DRIVER_ABORTED,
  /** Stopped by {@link SchedulerDriver#stop(boolean)}; no more callbacks. */
  DRIVER_STOPPED
}
