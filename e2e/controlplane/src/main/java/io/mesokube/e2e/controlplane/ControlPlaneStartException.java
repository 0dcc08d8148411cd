package io.mesokube.e2e.controlplane;

/** A component did not start: it exited, or was not ready in time. The message says why. */
public final class ControlPlaneStartException extends RuntimeException {

  private final transient Component component;

  ControlPlaneStartException(Component component, String message) {
    super(message);
    this.component = component;
  }

  /** The component that failed to start. */
  public Component component() {
    return component;
  }
}
