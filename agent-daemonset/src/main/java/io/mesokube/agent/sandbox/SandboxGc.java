package io.mesokube.agent.sandbox;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the sandboxes of finished task runs: those finished more than {@code gcDelay} ago, and
 * then, while the file system holding the sandboxes has less than {@code diskHeadroom} of its space
 * free, the longest finished first (Mesos' {@code --gc_delay} and {@code --gc_disk_headroom}; Mesos
 * instead shortens the delay as the disk fills, which frees nothing until the shortened delay has
 * passed).
 *
 * <p>A run finished when the agent touched its {@link Sandboxes#FINISHED_MARKER} ({@link
 * Sandboxes#markFinished}); a sandbox without one, say from before an agent crash, counts from its
 * directory's modification time. The marker is preferred because rotation and the task's own files
 * change the directory's time.
 */
public final class SandboxGc {
  private static final Logger LOG = LoggerFactory.getLogger(SandboxGc.class);

  private final Sandboxes sandboxes;
  private final Duration gcDelay;
  private final double diskHeadroom;
  private final DiskUsage disk;
  private final Clock clock;
  private final MeterRegistry meters;

  /** Why a sandbox was collected: low-cardinality, a metric tag. */
  public enum Reason {
    AGE,
    DISK
  }

  /** A sandbox deleted, and the bytes of its regular files. */
  public record Collected(Sandbox sandbox, Reason reason, long bytes) {}

  /**
   * @param diskHeadroom the fraction of the file system to keep free, 0 to 1
   */
  public SandboxGc(
      Sandboxes sandboxes,
      Duration gcDelay,
      double diskHeadroom,
      DiskUsage disk,
      Clock clock,
      MeterRegistry meters) {
    if (gcDelay.isNegative() || diskHeadroom < 0 || diskHeadroom > 1) {
      throw new IllegalArgumentException("gcDelay must not be negative; diskHeadroom is 0 to 1");
    }
    this.sandboxes = sandboxes;
    this.gcDelay = gcDelay;
    this.diskHeadroom = diskHeadroom;
    this.disk = disk;
    this.clock = clock;
    this.meters = meters;
  }

  /**
   * Collects what is due.
   *
   * @param inUse true for every sandbox whose run is not known to be terminal, a run being launched
   *     included; asked again just before each deletion
   * @return the sandboxes deleted; one that fails to delete is logged and left for the next call
   */
  public List<Collected> collect(Predicate<Sandbox> inUse) throws IOException {
    List<Finished> finished = new ArrayList<>();
    for (Sandbox sandbox : sandboxes.list()) {
      if (!inUse.test(sandbox)) {
        try {
          finished.add(new Finished(sandbox, finishedAt(sandbox)));
        } catch (NoSuchFileException e) {
          // Removed meanwhile.
        }
      }
    }
    finished.sort(Comparator.comparing(Finished::at));
    Deque<Finished> oldestFirst = new ArrayDeque<>(finished);
    List<Collected> collected = new ArrayList<>();
    Instant due = clock.instant().minus(gcDelay);
    while (!oldestFirst.isEmpty() && !oldestFirst.peek().at().isAfter(due)) {
      remove(oldestFirst.poll().sandbox(), Reason.AGE, inUse, collected);
    }
    while (!oldestFirst.isEmpty() && disk.usedFraction(sandboxes.root()) > 1 - diskHeadroom) {
      remove(oldestFirst.poll().sandbox(), Reason.DISK, inUse, collected);
    }
    return collected;
  }

  private void remove(
      Sandbox sandbox, Reason reason, Predicate<Sandbox> inUse, List<Collected> collected) {
    if (inUse.test(sandbox)) {
      return;
    }
    try {
      long bytes = sandboxes.remove(sandbox);
      collected.add(new Collected(sandbox, reason, bytes));
      LOG.info("Collected sandbox {} ({}, {} bytes)", sandbox.dir(), reason, bytes);
      count(reason, bytes);
    } catch (IOException e) {
      LOG.warn("Cannot collect sandbox {}: {}", sandbox.dir(), e.toString());
    }
  }

  private Instant finishedAt(Sandbox sandbox) throws IOException {
    try (SecureDirectoryStream<Path> dir = sandboxes.open(sandbox)) {
      BasicFileAttributes marker = SecureDirs.attributes(dir, Path.of(Sandboxes.FINISHED_MARKER));
      if (marker.isRegularFile()) {
        return marker.lastModifiedTime().toInstant();
      }
    } catch (NoSuchFileException e) {
      // No marker: fall back to the directory.
    }
    return Files.getLastModifiedTime(sandbox.dir(), NOFOLLOW_LINKS).toInstant();
  }

  private void count(Reason reason, long bytes) {
    String tag = reason.name().toLowerCase(Locale.ROOT);
    Counter.builder("mesokube_agent_sandbox_gc_collected")
        .description("Sandboxes of finished tasks deleted, by reason: age or disk")
        .tag("reason", tag)
        .register(meters)
        .increment();
    Counter.builder("mesokube_agent_sandbox_gc_freed_bytes")
        .description("Bytes of regular files deleted with collected sandboxes")
        .tag("reason", tag)
        .register(meters)
        .increment(bytes);
  }

  private record Finished(Sandbox sandbox, Instant at) {}
}
