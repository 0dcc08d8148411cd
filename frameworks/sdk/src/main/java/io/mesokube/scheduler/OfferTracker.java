package io.mesokube.scheduler;

import io.mesokube.api.v1alpha1.offer.Offer;
import io.mesokube.api.v1alpha1.offer.OfferPhase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which offers were delivered, answered or rescinded. Invariants: an offer is delivered at most
 * once (by uid); an offer is reported rescinded only if it was delivered and this driver did not
 * answer it. Observations run on the callback thread; {@link #answering} may be called from any.
 * Launches are tracked from their answer until the offer is gone: an offer deleted with tasks of
 * its launch never seen (deleted before the operator settled its answer) leaves them to be checked.
 */
final class OfferTracker {

  private final Set<String> delivered = new HashSet<>();
  private final Map<String, Offer> pending = new LinkedHashMap<>();
  private final Map<String, String> outstanding = new HashMap<>();
  private final Set<String> answered = ConcurrentHashMap.newKeySet();

  /** Offer name to the tasks of its launch not seen yet; guarded by itself. */
  private final Map<String, Set<String>> launches = new HashMap<>();

  /**
   * Records an added or changed offer. Returns the name of a delivered offer that is now rescinded,
   * if it is.
   */
  Optional<String> observed(Offer offer) {
    var uid = offer.getMetadata().getUid();
    var name = offer.getMetadata().getName();
    var status = offer.getStatus();
    boolean rescinded = status != null && status.phase() == OfferPhase.Rescinded;
    if (rescinded || offer.getSpec().answer() != null) {
      pending.remove(uid);
      return rescinded ? rescind(uid, name) : Optional.empty();
    }
    if (!delivered.contains(uid)) {
      pending.put(uid, offer);
    }
    return Optional.empty();
  }

  /** Records a deleted offer; returns its name if that rescinds a delivered, unanswered offer. */
  Optional<String> deleted(Offer offer) {
    var uid = offer.getMetadata().getUid();
    pending.remove(uid);
    var rescinded = rescind(uid, offer.getMetadata().getName());
    delivered.remove(uid);
    answered.remove(offer.getMetadata().getName());
    return rescinded;
  }

  /** Offers observed but not delivered yet, now marked delivered; empty if none. */
  List<Offer> drain() {
    var offers = new ArrayList<>(pending.values());
    pending.clear();
    for (var offer : offers) {
      delivered.add(offer.getMetadata().getUid());
      outstanding.put(offer.getMetadata().getUid(), offer.getMetadata().getName());
    }
    return offers;
  }

  /** Marks an offer answered by this driver before its answer is written. */
  void answering(String offerName) {
    answered.add(offerName);
  }

  /** Records a launch before its answer is written; from any thread. */
  void launching(String offerName, List<String> taskNames) {
    synchronized (launches) {
      launches.put(offerName, new LinkedHashSet<>(taskNames));
    }
  }

  /** Records a task the Task informer showed: it exists, whatever its offer's fate. */
  void taskSeen(String taskName) {
    synchronized (launches) {
      launches.values().forEach(names -> names.remove(taskName));
    }
  }

  /**
   * Ends the launch of an offer that is gone (deleted, or its answer refused): returns the tasks of
   * it not seen yet, which may never have been created; empty if none or if it ended already, so
   * that each launch is settled once.
   */
  List<String> launchEnded(String offerName) {
    synchronized (launches) {
      var names = launches.remove(offerName);
      return names == null ? List.of() : List.copyOf(names);
    }
  }

  private Optional<String> rescind(String uid, String name) {
    var wasOutstanding = outstanding.remove(uid) != null;
    if (wasOutstanding && !answered.contains(name)) {
      return Optional.of(name);
    }
    return Optional.empty();
  }
}
