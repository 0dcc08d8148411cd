package io.mesokube.operator.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesokube.allocator.resources.Ranges;
import io.mesokube.allocator.resources.Reservation;
import io.mesokube.allocator.resources.Resource;
import io.mesokube.allocator.resources.Resources;
import io.mesokube.api.v1alpha1.common.PortRange;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClaimsTest {
  private static final String ROLE = "batch";

  private static Resources offered(Resource... resources) {
    return Resources.of(resources).allocatedTo(ROLE);
  }

  @Test
  void takesScalarsAndPortsFromAnOffer() {
    Resources pool =
        offered(
            Resource.scalar("cpus", 2),
            Resource.scalar("mem", 1024),
            Resource.ranges("ports", Ranges.of(31000, 32000)));
    Resources want =
        ResourceMapping.toAllocator(
            new io.mesokube.api.v1alpha1.common.Resources(
                0.5, 128.0, null, null, List.of(new PortRange(31000, 31000))));

    var held = Claims.claim(pool, ROLE, want);

    assertThat(held).isPresent();
    assertThat(held.get().scalar("cpus")).isEqualTo(0.5);
    assertThat(held.get().scalar("mem")).isEqualTo(128);
    assertThat(pool.contains(held.get())).isTrue();
    Resources left = pool.minus(held.get());
    assertThat(left.scalar("cpus")).isEqualTo(1.5);
  }

  @Test
  void prefersTheRolesReservationAndFailsWhenShort() {
    Resources pool =
        offered(
            Resource.scalar("cpus", 1).reserved(Reservation.ofStatic(ROLE)),
            Resource.scalar("cpus", 1));
    var held = Claims.claim(pool, ROLE, Resources.of(Resource.scalar("cpus", 1.5)));

    assertThat(held).isPresent();
    assertThat(held.get().reservedFor(ROLE).scalar("cpus")).isEqualTo(1.0);
    assertThat(held.get().unreserved().scalar("cpus")).isEqualTo(0.5);
    assertThat(Claims.claim(pool, ROLE, Resources.of(Resource.scalar("cpus", 2.5)))).isEmpty();
  }

  @Test
  void refusesPortsOutsideTheOffer() {
    Resources pool =
        offered(Resource.scalar("cpus", 1), Resource.ranges("ports", Ranges.of(31000, 31010)));
    Resources want =
        Resources.of(
            Resource.scalar("cpus", 0.1), Resource.ranges("ports", Ranges.of(31005, 31020)));
    assertThat(Claims.claim(pool, ROLE, want)).isEmpty();
  }
}
