package io.mesokube.agent.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The mapping of limits to cgroup values, and the validation of limits and names. */
class LimitsTest {
  @Test
  void sharesAre1024PerCpuWithinTheKernelsBounds() {
    assertThat(Limits.of(1, 1).cpuShares()).isEqualTo(1024);
    assertThat(Limits.of(0.5, 1).cpuShares()).isEqualTo(512);
    assertThat(Limits.of(0.0001, 1).cpuShares()).isEqualTo(2);
    assertThat(Limits.of(1000, 1).cpuShares()).isEqualTo(262_144);
  }

  @Test
  void weightMapsSharesOntoOneToTenThousand() {
    assertThat(Limits.of(0.0001, 1).cpuWeight()).isEqualTo(1);
    assertThat(Limits.of(1, 1).cpuWeight()).isEqualTo(39);
    assertThat(Limits.of(2.5, 1).cpuWeight()).isEqualTo(98);
    assertThat(Limits.of(256, 1).cpuWeight()).isEqualTo(10_000);
  }

  @Test
  void quotaIsCpusPeriodsWorthAndAtLeastOneMillisecond() {
    assertThat(Limits.of(0.5, 1).cpuQuotaMicros()).isEqualTo(50_000);
    assertThat(Limits.of(3, 1).cpuQuotaMicros()).isEqualTo(300_000);
    assertThat(Limits.of(0.001, 1).cpuQuotaMicros()).isEqualTo(1_000);
  }

  @Test
  void withersKeepTheRest() {
    Limits limits = Limits.of(1.5, 100).withPidsMax(7).withCpuQuota(false);

    assertThat(limits).isEqualTo(new Limits(1.5, 100, OptionalLong.of(7), false));
  }

  @Test
  void nonsenseIsRefused() {
    assertThatThrownBy(() -> Limits.of(0, 1)).hasMessageContaining("cpus");
    assertThatThrownBy(() -> Limits.of(Double.NaN, 1)).hasMessageContaining("cpus");
    assertThatThrownBy(() -> Limits.of(Double.POSITIVE_INFINITY, 1)).hasMessageContaining("cpus");
    assertThatThrownBy(() -> Limits.of(1, 0)).hasMessageContaining("memoryBytes");
    assertThatThrownBy(() -> Limits.of(1, 1).withPidsMax(0)).hasMessageContaining("pidsMax");
  }

  @Test
  void taskNamesAreSafePathSegments() {
    for (String name : new String[] {"web-1", "web.1_a", ".x", "x."}) {
      assertThat(Cgroups.requireValidName(name)).isEqualTo(name);
    }
    for (String name :
        new String[] {"", ".", "..", "A..", "a/b", "../x", "a b", "caf\u00e9", "x\n"}) {
      assertThatThrownBy(() -> Cgroups.requireValidName(name))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not a valid cgroup name");
    }
  }
}
