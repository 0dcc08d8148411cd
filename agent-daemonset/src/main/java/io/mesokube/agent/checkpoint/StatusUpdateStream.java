package io.mesokube.agent.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A task's status updates, in order, checkpointed before they are sent, as Mesos' status update
 * manager keeps them: the oldest unacknowledged update is the one (re)sent, and only it may be
 * acknowledged. Every change is written atomically before it takes effect here.
 *
 * <p>Invariants: sequence numbers are 1, 2, 3... without gaps; the last acknowledged update
 * immediately precedes the first unacknowledged one; a terminal state is the last update.
 */
public final class StatusUpdateStream {
  /** File name in the run dir. */
  public static final String FILE = "updates.json";

  /** The file's content: acknowledged updates but the last are dropped, they are delivered. */
  record Persisted(StatusUpdate lastAcknowledged, List<StatusUpdate> unacknowledged) {
    Persisted {
      unacknowledged = unacknowledged == null ? List.of() : List.copyOf(unacknowledged);
    }
  }

  private final Path file;
  private Persisted persisted;

  private StatusUpdateStream(Path file, Persisted persisted) {
    this.file = file;
    this.persisted = persisted;
  }

  /** Opens the stream in {@code file}, empty when there is none yet. */
  public static StatusUpdateStream open(Path file) throws IOException {
    if (!Files.exists(file)) {
      return new StatusUpdateStream(file, new Persisted(null, List.of()));
    }
    Persisted persisted = Json.read(file, Persisted.class);
    String broken = invariantBroken(persisted);
    if (broken != null) {
      throw new CorruptCheckpointException(file, broken, null);
    }
    return new StatusUpdateStream(file, persisted);
  }

  /**
   * Numbers {@code update}, checkpoints it, and returns it as checkpointed: the caller sends it
   * only then.
   *
   * @throws IllegalStateException after a terminal update, or for a transition Mesos forbids
   */
  public synchronized StatusUpdate append(StatusUpdate update) throws IOException {
    Optional<StatusUpdate> last = last();
    if (last.isPresent() && !last.get().state().canTransitionTo(update.state())) {
      throw new IllegalStateException(
          "task is " + last.get().state() + "; no update to " + update.state() + " may follow");
    }
    if (all().anyMatch(known -> known.uuid().equals(update.uuid()))) {
      throw new IllegalArgumentException("duplicate status update uuid " + update.uuid());
    }
    StatusUpdate numbered = update.withSequence(last.map(StatusUpdate::sequence).orElse(0L) + 1);
    List<StatusUpdate> unacknowledged = new ArrayList<>(persisted.unacknowledged());
    unacknowledged.add(numbered);
    save(new Persisted(persisted.lastAcknowledged(), unacknowledged));
    return numbered;
  }

  /** The updates not yet acknowledged, oldest first; the first is the one to (re)send. */
  public synchronized List<StatusUpdate> unacknowledged() {
    return persisted.unacknowledged();
  }

  /**
   * Acknowledges the update named {@code uuid}, which must be the oldest unacknowledged one.
   *
   * @return true, or false for a repeated acknowledgement of the last acknowledged update
   * @throws IllegalStateException when {@code uuid} names a later update: updates are delivered in
   *     order
   * @throws IllegalArgumentException when no pending update has that uuid
   */
  public synchronized boolean acknowledge(UUID uuid) throws IOException {
    StatusUpdate acknowledged = persisted.lastAcknowledged();
    if (acknowledged != null && acknowledged.uuid().equals(uuid)) {
      return false;
    }
    List<StatusUpdate> pending = persisted.unacknowledged();
    if (pending.isEmpty() || !pending.getFirst().uuid().equals(uuid)) {
      Optional<StatusUpdate> later = pending.stream().filter(u -> u.uuid().equals(uuid)).findAny();
      if (later.isPresent()) {
        throw new IllegalStateException(
            "update "
                + later.get().sequence()
                + " ("
                + uuid
                + ") acknowledged before update "
                + pending.getFirst().sequence()
                + ": updates are acknowledged in order");
      }
      throw new IllegalArgumentException("no unacknowledged status update " + uuid + " in " + file);
    }
    save(new Persisted(pending.getFirst(), pending.subList(1, pending.size())));
    return true;
  }

  /** The latest update, acknowledged or not. */
  public synchronized Optional<StatusUpdate> last() {
    List<StatusUpdate> pending = persisted.unacknowledged();
    return pending.isEmpty()
        ? Optional.ofNullable(persisted.lastAcknowledged())
        : Optional.of(pending.getLast());
  }

  /** Whether a terminal update was acknowledged: nothing more is owed for this task. */
  public synchronized boolean finished() {
    StatusUpdate acknowledged = persisted.lastAcknowledged();
    return persisted.unacknowledged().isEmpty()
        && acknowledged != null
        && acknowledged.state().isTerminal();
  }

  private Stream<StatusUpdate> all() {
    return Stream.concat(
        Optional.ofNullable(persisted.lastAcknowledged()).stream(),
        persisted.unacknowledged().stream());
  }

  // Written first: if the write fails, memory still matches the file.
  private void save(Persisted next) throws IOException {
    Json.write(file, next);
    persisted = next;
  }

  /** What is wrong with a stream read from disk, or null. */
  static String invariantBroken(Persisted persisted) {
    List<StatusUpdate> all = new ArrayList<>();
    Optional.ofNullable(persisted.lastAcknowledged()).ifPresent(all::add);
    all.addAll(persisted.unacknowledged());
    Set<UUID> uuids = new HashSet<>();
    // Nothing acknowledged yet: the stream starts at 1.
    long expected =
        persisted.lastAcknowledged() == null ? 1 : persisted.lastAcknowledged().sequence();
    for (int i = 0; i < all.size(); i++) {
      StatusUpdate update = all.get(i);
      if (update.sequence() != expected + i || expected < 1) {
        return "update "
            + update.uuid()
            + " has sequence "
            + update.sequence()
            + ", expected "
            + (expected + i);
      }
      if (!uuids.add(update.uuid())) {
        return "duplicate update uuid " + update.uuid();
      }
      if (i > 0 && all.get(i - 1).state().isTerminal()) {
        return "update " + update.sequence() + " follows terminal state " + all.get(i - 1).state();
      }
    }
    return null;
  }
}
