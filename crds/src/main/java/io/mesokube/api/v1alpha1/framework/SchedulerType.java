package io.mesokube.api.v1alpha1.framework;

/** Who decides where a framework's tasks run. */
public enum SchedulerType {
  /** An external scheduler receives Offer objects and answers them (Mesos' two-level model). */
  Offers,
  /** The operator itself places the Tasks users apply with kubectl, like {@code mesos-execute}. */
  Managed
}
