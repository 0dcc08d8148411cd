package io.mesokube.e2e.controlplane;

import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one control plane of a test run, held in JUnit's root store, which closes it at the end of
 * the run. A failed start is remembered, so that later tests fail at once with the same cause
 * instead of each waiting for another start.
 */
final class SharedControlPlane implements AutoCloseable {

  /** Directory of CRD YAML files to install once the control plane is up. */
  static final String CRDS_DIR_PROPERTY = "mesokube.crds.dir";

  private static final Logger LOG = LoggerFactory.getLogger(SharedControlPlane.class);

  private final ControlPlane controlPlane;
  private final RuntimeException failure;

  private SharedControlPlane(ControlPlane controlPlane, RuntimeException failure) {
    this.controlPlane = controlPlane;
    this.failure = failure;
  }

  /** Starts the control plane from the system properties and installs the CRDs, if any. */
  static SharedControlPlane start() {
    var config = ControlPlaneConfig.fromSystemProperties();
    ControlPlane started = null;
    try {
      started = ControlPlane.start(config);
      var crds = System.getProperty(CRDS_DIR_PROPERTY, "");
      if (!crds.isBlank()) {
        try (var client = started.newClient()) {
          CrdInstaller.install(client, Path.of(crds), config.startTimeout());
        }
      }
      return new SharedControlPlane(started, null);
    } catch (RuntimeException e) {
      LOG.error("the shared control plane failed to start", e);
      if (started != null) {
        started.keepWorkDir();
        started.close();
      }
      return new SharedControlPlane(null, e);
    }
  }

  /** The running control plane, or the start failure. */
  ControlPlane get() {
    if (failure != null) {
      throw new IllegalStateException(
          "the shared control plane failed to start: " + failure.getMessage(), failure);
    }
    return controlPlane;
  }

  @Override
  public void close() {
    if (controlPlane != null) {
      controlPlane.close();
    }
  }

  /** How long the start took, for reports. */
  Duration startDuration() {
    return controlPlane == null ? Duration.ZERO : controlPlane.startDuration();
  }
}
