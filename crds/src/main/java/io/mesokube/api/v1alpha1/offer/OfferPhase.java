package io.mesokube.api.v1alpha1.offer;

/** Where an offer is in its short life. */
public enum OfferPhase {
  /** Made, waiting for the framework's answer. */
  Outstanding,
  /** Accepted; its tasks were created. The offer is deleted next. */
  Accepted,
  /** Declined. The offer is deleted next. */
  Declined,
  /** Withdrawn: expired, its agent went away, or a new leader took over. */
  Rescinded,
  /** The answer was invalid; its tasks ended TASK_ERROR or TASK_DROPPED. */
  Invalid
}
