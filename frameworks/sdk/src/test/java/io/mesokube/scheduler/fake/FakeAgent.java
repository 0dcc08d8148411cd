package io.mesokube.scheduler.fake;

import io.mesokube.api.v1alpha1.common.Resources;

/** An agent that exists only in a {@link FakeOperator}: a name and the resources it offers. */
public record FakeAgent(String name, Resources resources) {

  /** An agent with {@code cpus} and {@code mem} MiB. */
  public static FakeAgent of(String name, double cpus, double mem) {
    return new FakeAgent(name, Resources.of(cpus, mem));
  }
}
