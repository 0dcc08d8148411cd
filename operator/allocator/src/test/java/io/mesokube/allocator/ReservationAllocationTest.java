package io.mesokube.allocator;

import static io.mesokube.allocator.Fixtures.allocator;
import static io.mesokube.allocator.Fixtures.framework;
import static org.assertj.core.api.Assertions.assertThat;

import io.mesokube.allocator.resources.Reservation;
import io.mesokube.allocator.resources.Resource;
import io.mesokube.allocator.resources.Resources;
import io.mesokube.allocator.role.Quota;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReservationAllocationTest {
  private final HierarchicalAllocator allocator = allocator(new ManualClock());

  private void reservedAgent(String id, String role, Reservation.Type type) {
    allocator.addAgent(
        AgentInfo.of(
            id,
            Resources.of(
                Resource.scalar("cpus", 4).reserved(new Reservation(role, type)),
                Resource.scalar("mem", 512).reserved(new Reservation(role, type)),
                Resource.scalar("cpus", 1),
                Resource.scalar("mem", 64))));
  }

  @Test
  void reservedResourcesGoOnlyToTheirRole() {
    reservedAgent("a1", "eng", Reservation.Type.STATIC);
    framework(allocator, "ops", "ops");
    List<Offer> offers = allocator.allocate().offers();
    assertThat(offers)
        .singleElement()
        .satisfies(o -> assertThat(o.resources().reserved().isEmpty()).isTrue());
    assertThat(allocator.available("a1").reservedFor("eng").scalar("cpus")).isEqualTo(4.0);
    framework(allocator, "eng", "eng");
    List<Offer> later = allocator.allocate().offers();
    assertThat(later).singleElement().extracting(Offer::frameworkId).isEqualTo("eng");
    assertThat(later.get(0).resources().reservedFor("eng").scalar("cpus")).isEqualTo(4.0);
  }

  @Test
  void dynamicReservationsAreHonouredTooAndReachSubroles() {
    reservedAgent("a1", "eng", Reservation.Type.DYNAMIC);
    framework(allocator, "fe", "eng/frontend");
    List<Offer> offers = allocator.allocate().offers();
    assertThat(offers).singleElement().extracting(Offer::frameworkId).isEqualTo("fe");
    assertThat(offers.get(0).resources().scalar("cpus")).isEqualTo(5.0);
  }

  @Test
  void reservationsCountTowardQuotaLimits() {
    reservedAgent("a1", "eng", Reservation.Type.STATIC);
    allocator.addAgent(AgentInfo.of("a2", Resources.parse("cpus:8;mem:1024")));
    allocator.updateQuota(
        "eng",
        new Quota(
            io.mesokube.allocator.resources.ResourceQuantities.EMPTY,
            io.mesokube.allocator.resources.ResourceLimits.parse("cpus:5")));
    framework(allocator, "e", "eng");
    List<Offer> offers = allocator.allocate().offers();
    // 4 reserved cpus count toward the limit of 5, so only 1 unreserved cpu may be added.
    assertThat(offers.stream().mapToDouble(o -> o.resources().scalar("cpus")).sum()).isEqualTo(5.0);
  }
}
