package io.mesokube.agent.status;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.mesokube.agent.checkpoint.StatusUpdate;
import io.mesokube.agent.checkpoint.StatusUpdateStream;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskState;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers each task's checkpointed status updates to its Task's status subresource, in order and
 * at least once (Mesos' status update manager): an update is acknowledged only once the API server
 * holds it, and a failed write is retried with exponential back-off. Writes are conditional on the
 * resourceVersion they were computed from, so a concurrent writer (the operator marking a task
 * unreachable, say) is never overwritten; a conflict re-reads and recomputes.
 *
 * <p>One thread delivers for all tasks, which keeps each task's updates ordered without locks and
 * bounds the agent's write rate to what one client can push.
 */
public final class StatusSender {
  private static final Logger LOG = LoggerFactory.getLogger(StatusSender.class);
  private static final int CONFLICT_RETRIES = 5;

  /** Told what happened to a task's updates. */
  public interface Listener {
    /** Every update of the task so far is held by the API server (or the Task is gone). */
    void delivered(Delivery delivery, StatusUpdate last);

    /** The stored status is terminal in another state; the update can never apply. */
    void superseded(Delivery delivery, TaskState stored);
  }

  /**
   * One task's stream and where it goes.
   *
   * @param namespace the Task's namespace
   * @param name the Task's name
   * @param uid the Task's uid: an update never lands on a newer Task of the same name
   * @param sandbox the sandbox directory to show in status
   */
  public record Delivery(
      String namespace, String name, String uid, String sandbox, StatusUpdateStream stream) {
    String taskId() {
      return namespace + "/" + name;
    }
  }

  private final KubernetesClient client;
  private final BiFunction<String, String, Task> cache;
  private final ScheduledExecutorService thread;
  private final Listener listener;
  private final Duration minBackoff;
  private final Duration maxBackoff;
  private final Map<String, Delivery> deliveries = new ConcurrentHashMap<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private Duration backoff;

  /**
   * @param cache the informer's copy of a Task by namespace and name, or null
   * @param thread a single-threaded executor owned by the sender's caller
   */
  public StatusSender(
      KubernetesClient client,
      BiFunction<String, String, Task> cache,
      ScheduledExecutorService thread,
      Listener listener,
      Duration minBackoff,
      Duration maxBackoff) {
    this.client = client;
    this.cache = cache;
    this.thread = thread;
    this.listener = listener;
    this.minBackoff = minBackoff;
    this.maxBackoff = maxBackoff;
    this.backoff = minBackoff;
  }

  /** Delivers what the task's stream holds unacknowledged, now and after every later append. */
  public void track(Delivery delivery) {
    deliveries.put(delivery.uid(), delivery);
    kick();
  }

  /** Stops tracking a task (its stream is finished and acknowledged, or it was wiped). */
  public void forget(String uid) {
    deliveries.remove(uid);
  }

  /** Updates not yet held by the API server, over all tasks. */
  public int backlog() {
    return deliveries.values().stream().mapToInt(d -> d.stream().unacknowledged().size()).sum();
  }

  /** Asks for a delivery pass soon; cheap and idempotent. */
  public void kick() {
    if (scheduled.compareAndSet(false, true)) {
      thread.execute(this::pass);
    }
  }

  private void pass() {
    scheduled.set(false);
    boolean failed = false;
    for (Delivery d : List.copyOf(deliveries.values())) {
      try {
        drain(d);
      } catch (KubernetesClientException e) {
        failed = true;
        LOG.warn(
            "Status of task {} not delivered, retrying in {} ms: {}",
            d.taskId(),
            backoff.toMillis(),
            e.getMessage());
        if (!taskSpecific(e)) {
          // The API server is away (or refuses everyone): the other tasks would fail alike.
          break;
        }
      } catch (IOException e) {
        // The checkpoint could not record an acknowledgement: the update will be sent again,
        // which is harmless (applying is idempotent), so keep going with the other tasks.
        LOG.error("Cannot checkpoint the acknowledgement of task {}", d.taskId(), e);
      } catch (RuntimeException e) {
        // Unexpected, but delivery must not stop for good: retry after the back-off.
        failed = true;
        LOG.error(
            "Status of task {} not delivered, retrying in {} ms",
            d.taskId(),
            backoff.toMillis(),
            e);
        break;
      }
    }
    if (failed) {
      Duration wait = backoff;
      backoff =
          backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
      thread.schedule(this::kick, wait.toMillis(), TimeUnit.MILLISECONDS);
    } else {
      backoff = minBackoff;
    }
  }

  private void drain(Delivery d) throws IOException {
    StatusUpdate last = null;
    for (StatusUpdate update : d.stream().unacknowledged()) {
      if (!deliver(d, update)) {
        return;
      }
      last = update;
    }
    if (last != null) {
      listener.delivered(d, last);
    }
  }

  /**
   * The Task as stored, or null if it was deleted. A list by name rather than a GET: a GET answers
   * 404 both for a deleted Task and while a restarting API server does not serve the Task resource
   * yet, and taking the second for the first would drop the update. A list of a resource not served
   * fails instead, and the update waits.
   */
  private Task fetch(Delivery d) {
    List<Task> found =
        client
            .resources(Task.class)
            .inNamespace(d.namespace())
            .withField("metadata.name", d.name())
            .list()
            .getItems();
    return found.isEmpty() ? null : found.getFirst();
  }

  /**
   * Whether a failure concerns this task's update only (a 4xx other than 429): the others are still
   * delivered in this pass, and this one is retried after the back-off.
   */
  private static boolean taskSpecific(KubernetesClientException e) {
    return e.getCode() >= 400 && e.getCode() < 500 && e.getCode() != 429;
  }

  /** Delivers one update; false if the stream must stop here (superseded). */
  private boolean deliver(Delivery d, StatusUpdate update) throws IOException {
    Task task = cache.apply(d.namespace(), d.name());
    for (int attempt = 0; ; attempt++) {
      if (task == null || !d.uid().equals(task.getMetadata().getUid())) {
        task = fetch(d);
      }
      if (task == null || !d.uid().equals(task.getMetadata().getUid())) {
        // The Task was deleted: nobody can read this update any more (Mesos drops updates of a
        // removed framework's tasks the same way).
        d.stream().acknowledge(update.uuid());
        return true;
      }
      var outcome =
          StatusApplier.apply(
              update,
              task.getStatus(),
              task.getMetadata().getGeneration(),
              d.sandbox(),
              d.taskId());
      switch (outcome) {
        case StatusApplier.Outcome.AlreadyApplied a -> {
          d.stream().acknowledge(update.uuid());
          return true;
        }
        case StatusApplier.Outcome.Outdated o -> {
          LOG.debug("Update {} of task {} is older than its stored state", update, d.taskId());
          d.stream().acknowledge(update.uuid());
          return true;
        }
        case StatusApplier.Outcome.Superseded s -> {
          d.stream().acknowledge(update.uuid());
          listener.superseded(d, s.stored());
          // The rest of the stream after the listener has acted on it (a kill's update, say).
          kick();
          return false;
        }
        case StatusApplier.Outcome.Write w -> {
          // A copy: the Task may be the informer's own object, which must keep what the API
          // server holds, or a failed write would look applied on the next attempt.
          Task next = new Task();
          next.setMetadata(new ObjectMetaBuilder(task.getMetadata()).build());
          next.setSpec(task.getSpec());
          next.setStatus(w.status());
          try {
            client.resources(Task.class).inNamespace(d.namespace()).resource(next).updateStatus();
            d.stream().acknowledge(update.uuid());
            LOG.debug("Task {} is {}", d.taskId(), update.state());
            return true;
          } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= CONFLICT_RETRIES) {
              throw e;
            }
            task = null;
          }
        }
      }
    }
  }
}
