package io.mesokube.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.mesokube.api.v1alpha1.offer.Offer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The launches an offer's deletion leaves to be checked. */
class OfferTrackerTest {

  @Test
  void anAnsweredOfferDeletedBeforeItsTasksWereSeenLeavesThemToBeChecked() {
    var tracker = new OfferTracker();
    tracker.answering("o-1");
    tracker.launching("o-1", List.of("t-1", "t-2"));

    // Deleted before its answer was settled: no rescind, as this driver answered it.
    assertThat(tracker.deleted(offer("o-1"))).isEmpty();

    assertThat(tracker.launchEnded("o-1")).containsExactly("t-1", "t-2");
    assertThat(tracker.launchEnded("o-1")).as("settled once").isEmpty();
  }

  @Test
  void tasksSeenAreNotChecked() {
    var tracker = new OfferTracker();
    tracker.launching("o-1", List.of("t-1", "t-2"));
    tracker.taskSeen("t-1");

    assertThat(tracker.launchEnded("o-1")).containsExactly("t-2");
    assertThat(tracker.launchEnded("o-2")).isEmpty();
  }

  private static Offer offer(String name) {
    var offer = new Offer();
    offer.setMetadata(new ObjectMetaBuilder().withName(name).withUid("uid-" + name).build());
    return offer;
  }
}
