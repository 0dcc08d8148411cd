package io.mesokube.operator.metrics;

import io.mesokube.api.v1alpha1.common.Resources;
import java.util.Locale;

/** The scalar Mesos resources that metrics report, by their Mesos names (the tag value). */
enum ScalarResource {
  CPUS,
  MEM,
  DISK,
  GPUS;

  /** The Mesos name: cpus, mem, disk, gpus. */
  String tag() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** This resource's amount in a bundle; zero if absent. */
  double of(Resources resources) {
    Number amount =
        switch (this) {
          case CPUS -> resources.cpus();
          case MEM -> resources.mem();
          case DISK -> resources.disk();
          case GPUS -> resources.gpus();
        };
    return amount == null ? 0 : amount.doubleValue();
  }
}
