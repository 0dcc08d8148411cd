package io.mesokube.agent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxGcTest {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final Duration DELAY = Duration.ofDays(7);

  @TempDir Path state;
  Sandboxes sandboxes;
  SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @BeforeEach
  void createRoot() {
    sandboxes = new Sandboxes(state.resolve("sandboxes"));
  }

  @Test
  void collectsOldFinishedSandboxesAndKeepsTheRest() throws IOException {
    Sandbox old = finished("old", NOW.minus(DELAY).minusSeconds(1));
    Sandbox recent = finished("recent", NOW.minus(DELAY).plusSeconds(60));
    Sandbox running = finished("running", NOW.minus(Duration.ofDays(30)));
    Sandbox unmarked = sandboxes.create("ns", "unmarked", SandboxesTest.uid(), -1, -1);
    Files.setLastModifiedTime(unmarked.dir(), FileTime.from(NOW.minus(Duration.ofDays(8))));

    List<SandboxGc.Collected> collected = gc(0.0, path -> 0.5).collect(Set.of(running)::contains);

    assertThat(collected)
        .extracting(SandboxGc.Collected::sandbox, SandboxGc.Collected::reason)
        .containsExactlyInAnyOrder(
            tuple(old, SandboxGc.Reason.AGE), tuple(unmarked, SandboxGc.Reason.AGE));
    assertThat(sandboxes.list()).containsExactlyInAnyOrder(recent, running);
    assertThat(meters.counter("mesokube_agent_sandbox_gc_collected", "reason", "age").count())
        .isEqualTo(2);
  }

  @Test
  void overTheDiskThresholdCollectsTheLongestFinishedFirst() throws IOException {
    Sandbox running = finished("running", NOW.minus(Duration.ofDays(6)));
    Sandbox first = finished("first", NOW.minus(Duration.ofDays(5)));
    Sandbox second = finished("second", NOW.minus(Duration.ofDays(4)));
    Sandbox third = finished("third", NOW.minus(Duration.ofDays(3)));
    Sandbox fourth = finished("fourth", NOW.minus(Duration.ofDays(2)));
    // Each sandbox fills a tenth of the disk: 0.2 + 5 x 0.1 = 0.7 used against 0.5 allowed.
    DiskUsage disk = path -> 0.2 + 0.1 * new Sandboxes(path).list().size();

    List<SandboxGc.Collected> collected = gc(0.5, disk).collect(Set.of(running)::contains);

    assertThat(collected)
        .extracting(SandboxGc.Collected::sandbox, SandboxGc.Collected::reason)
        .containsExactly(tuple(first, SandboxGc.Reason.DISK), tuple(second, SandboxGc.Reason.DISK));
    assertThat(sandboxes.list()).containsExactlyInAnyOrder(running, third, fourth);
  }

  @Test
  void neverCollectsASandboxInUseWhateverTheDisk() throws IOException {
    Sandbox running = finished("running", NOW.minus(Duration.ofDays(30)));

    assertThat(gc(0.5, path -> 1.0).collect(sandbox -> true)).isEmpty();
    assertThat(sandboxes.list()).containsExactly(running);
  }

  @Test
  void countsTheBytesFreed() throws IOException {
    Sandbox old = finished("old", NOW.minus(Duration.ofDays(8)));
    Files.writeString(old.dir().resolve("stdout"), "12345");
    Files.writeString(Files.createDirectory(old.dir().resolve("work")).resolve("out"), "678");

    assertThat(gc(0.0, path -> 0).collect(sandbox -> false))
        .containsExactly(new SandboxGc.Collected(old, SandboxGc.Reason.AGE, 8));
    assertThat(meters.counter("mesokube_agent_sandbox_gc_freed_bytes", "reason", "age").count())
        .isEqualTo(8);
  }

  private SandboxGc gc(double headroom, DiskUsage disk) {
    return new SandboxGc(
        sandboxes, DELAY, headroom, disk, Clock.fixed(NOW, ZoneOffset.UTC), meters);
  }

  private Sandbox finished(String task, Instant at) throws IOException {
    Sandbox sandbox = sandboxes.create("ns", task, SandboxesTest.uid(), -1, -1);
    sandboxes.markFinished(sandbox, at);
    return sandbox;
  }
}
