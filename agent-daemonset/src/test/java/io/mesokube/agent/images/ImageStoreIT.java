package io.mesokube.agent.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mesokube.agent.images.registry.SilentRegistry;
import io.mesokube.agent.images.registry.ThrottledProxy;
import io.mesokube.e2e.controlplane.registry.ImageConfig;
import io.mesokube.e2e.controlplane.registry.TarEntrySpec;
import io.mesokube.e2e.controlplane.registry.TestImages;
import io.mesokube.e2e.controlplane.registry.TestRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image store against a real registry (the CNCF distribution registry on loopback) with images
 * the test builds and pushes, and the real skopeo and umoci.
 */
class ImageStoreIT {
  private static final ImageConfig BUSYBOX =
      ImageConfig.NONE
          .withEntrypoint("/bin/sh", "-c")
          .withCmd("echo default")
          .withEnv("PATH=/bin", "GREETING=hello")
          .withWorkingDir("/srv")
          .withUser("65534");

  @TempDir static Path shared;
  private static TestRegistry registry;
  private static TestRegistry authRegistry;
  private static String digest;

  @TempDir Path dir;
  private static final Duration PROGRESS = Duration.ofMillis(500);

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  /** How far the store's clock is ahead of the system's. */
  private Duration later = Duration.ZERO;

  private final Clock clock =
      new Clock() {
        @Override
        public java.time.ZoneId getZone() {
          return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public java.time.Instant instant() {
          return Clock.systemUTC().instant().plus(later);
        }
      };

  @BeforeAll
  static void registries() {
    registry = TestRegistry.start(shared.resolve("registry"));
    authRegistry = TestRegistry.startWithAuth(shared.resolve("auth-registry"), "alice", "s3cret");
    digest = TestImages.pushBusybox(registry, "tools/busybox", "1.36", BUSYBOX);
    TestImages.pushBusybox(authRegistry, "alice", "s3cret", "private/busybox", "1", BUSYBOX);
  }

  @AfterAll
  static void stopRegistries() {
    if (registry != null) {
      registry.close();
    }
    if (authRegistry != null) {
      authRegistry.close();
    }
  }

  @Test
  void pullsUnpacksAndThenServesFromTheCache() throws Exception {
    ImageStore store = store(dir, Long.MAX_VALUE);
    List<String> progress = new ArrayList<>();
    ImageStore.Provided provided =
        store.provide(registry.host() + "/tools/busybox:1.36", null, progress::add);
    Image image = provided.image();

    assertThat(image.manifestDigest()).isEqualTo(digest);
    assertThat(image.config().entrypoint()).containsExactly("/bin/sh", "-c");
    assertThat(image.config().cmd()).containsExactly("echo default");
    assertThat(image.config().env()).containsExactly("PATH=/bin", "GREETING=hello");
    assertThat(image.config().workingDir()).isEqualTo("/srv");
    assertThat(image.config().user()).isEqualTo("65534");
    assertThat(image.rootfs().resolve("bin/busybox")).isRegularFile().isExecutable();
    assertThat(progress)
        .containsExactly("pulling image " + registry.host() + "/tools/busybox:1.36");
    assertThat(provided.summary()).matches("pulled image .* \\(1 layers, .* MB\\) in .* s");

    ImageStore.Provided again =
        store.provide(registry.host() + "/tools/busybox:1.36", null, progress::add);
    assertThat(again.image().rootfs()).isEqualTo(image.rootfs());
    assertThat(again.summary())
        .isEqualTo("image " + registry.host() + "/tools/busybox:1.36 is cached");
    assertThat(pulls()).isOne();
    assertThat(meters.counter("mesokube.agent.image.cache.hits").count()).isOne();

    // By digest: the same manifest, so the same root filesystem, without a second unpack.
    Image pinned =
        store.provide(registry.host() + "/tools/busybox@" + digest, null, progress::add).image();
    assertThat(pinned.rootfs()).isEqualTo(image.rootfs());
  }

  @Test
  void twentyTasksAskingAtOnceShareOnePull() throws Exception {
    ImageStore store = store(dir, Long.MAX_VALUE);
    String ref = registry.host() + "/tools/busybox:1.36";
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Image>> images = new ArrayList<>();
    try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 20; i++) {
        images.add(
            threads.submit(
                () -> {
                  start.await();
                  return store.provide(ref, null, m -> {}).image();
                }));
      }
      start.countDown();
      for (Future<Image> image : images) {
        assertThat(image.get().manifestDigest()).isEqualTo(digest);
      }
    }
    assertThat(pulls()).as("pulls").isOne();
    assertThat(meters.counter("mesokube.agent.image.cache.hits").count()).isEqualTo(19);
  }

  @Test
  void aRestartedAgentFindsItsImagesWithoutTheRegistry() throws Exception {
    String ref = registry.host() + "/tools/busybox:1.36";
    Image first = store(dir, Long.MAX_VALUE).provide(ref, null, m -> {}).image();
    try (TestRegistry gone = TestRegistry.start(dir.resolve("gone"))) {
      TestImages.pushBusybox(gone, "tools/busybox", "1", BUSYBOX);
      String goneRef = gone.host() + "/tools/busybox:1";
      store(dir, Long.MAX_VALUE).provide(goneRef, null, m -> {});
      gone.stop();
      ImageStore restarted = store(dir, Long.MAX_VALUE);
      assertThat(restarted.provide(goneRef, null, m -> {}).image().manifestDigest())
          .isEqualTo(digest);
      assertThat(restarted.provide(ref, null, m -> {}).image().rootfs()).isEqualTo(first.rootfs());
    }
    // What an earlier run pulled is known, so it can be collected too.
    ImageStore again = store(dir, 1);
    assertThat(again.cached()).containsKeys(registry.host() + "/tools/busybox:1.36");
    later = ImageStore.RECENT.plusSeconds(1);
    again.collect(Set.of());
    assertThat(again.cached()).isEmpty();
    assertThat(first.rootfs()).doesNotExist();
  }

  @Test
  void failuresSayWhatWentWrong() throws Exception {
    ImageStore store = store(dir, Long.MAX_VALUE);
    assertFails(
        store,
        registry.host() + "/tools/nothere:1",
        null,
        ImageException.Kind.NOT_FOUND,
        "no image " + registry.host() + "/tools/nothere:1 on registry");
    String zeros = "sha256:" + "0".repeat(64);
    assertFails(
        store,
        registry.host() + "/tools/busybox@" + zeros,
        null,
        ImageException.Kind.NOT_FOUND,
        "no image with digest " + zeros);
    assertFails(
        store,
        "127.0.0.1:1/tools/busybox:1.36",
        null,
        ImageException.Kind.UNREACHABLE,
        "registry 127.0.0.1:1 cannot be reached");
    assertFails(
        store,
        "Tools/Busybox",
        null,
        ImageException.Kind.INVALID_REFERENCE,
        "invalid image reference");

    String privateRef = authRegistry.host() + "/private/busybox:1";
    assertFails(
        store, privateRef, null, ImageException.Kind.UNAUTHORIZED, "refused the credentials");
    assertFails(
        store,
        privateRef,
        auth(authRegistry, "alice", "wrong"),
        ImageException.Kind.UNAUTHORIZED,
        "refused the credentials");
    assertThat(
            store
                .provide(privateRef, auth(authRegistry, "alice", "s3cret"), m -> {})
                .image()
                .manifestDigest())
        .isEqualTo(digest);
    try (var leftovers = Files.list(store.root().resolve("tmp"))) {
      assertThat(leftovers).as("credentials files left behind").isEmpty();
    }

    // A registry that speaks plain HTTP but is not listed as insecure.
    ImageStore strict =
        new ImageStore(
            dir.resolve("strict"), settings(Set.of(), Long.MAX_VALUE), meters, Clock.systemUTC());
    assertFails(
        strict,
        registry.host() + "/tools/busybox:1.36",
        null,
        ImageException.Kind.UNREACHABLE,
        "list it in mesokube.agent.containers.insecure-registries");
  }

  @Test
  void aRegistryThatStopsMidwayFailsTheNextPullOnly() throws Exception {
    try (TestRegistry flaky = TestRegistry.start(dir.resolve("flaky"))) {
      TestImages.pushBusybox(flaky, "tools/busybox", "1", BUSYBOX);
      ImageStore store = store(dir.resolve("store"), Long.MAX_VALUE);
      store.provide(flaky.host() + "/tools/busybox:1", null, m -> {});
      flaky.stop();
      assertFails(
          store,
          flaky.host() + "/tools/other:1",
          null,
          ImageException.Kind.UNREACHABLE,
          "cannot be reached");
      assertThat(store.provide(flaky.host() + "/tools/busybox:1", null, m -> {})).isNotNull();
    }
  }

  @Test
  void unsafeLayersAreRefusedBeforeAnythingIsUnpacked() throws Exception {
    ImageStore store = store(dir, Long.MAX_VALUE);
    List<TarEntrySpec> bad =
        List.of(
            TarEntrySpec.file("../escape.txt", "x"),
            TarEntrySpec.file("/etc/evil", "x"),
            TarEntrySpec.charDevice("dev/evil", 1, 3),
            TarEntrySpec.hardlink("hard", "../../x"));
    for (TarEntrySpec entry : bad) {
      String repository = "evil/e" + Math.abs(entry.name().hashCode());
      TestImages.pushLayers(registry, repository, "1", List.of(TarEntrySpec.dir("etc/"), entry));
      assertFails(
          store,
          registry.host() + "/" + repository + ":1",
          null,
          ImageException.Kind.UNSAFE_LAYER,
          "entry '" + entry.name() + "'");
    }
    try (var unpacked = Files.list(store.root().resolve("rootfs"))) {
      assertThat(unpacked).as("root filesystems").isEmpty();
    }
    assertThat(store.root().resolveSibling("escape.txt")).doesNotExist();
    assertThat(Path.of("/etc/evil")).doesNotExist();
  }

  @Test
  void aSymlinkInALayerCannotCarryAFileOutOfTheRootfs() throws Exception {
    byte[] hostPasswd = Files.readAllBytes(Path.of("/etc/passwd"));
    TestImages.pushLayers(
        registry,
        "evil/through-link",
        "1",
        List.of(
            TarEntrySpec.dir("etc/"),
            TarEntrySpec.symlink("link", "/etc"),
            TarEntrySpec.file("link/passwd", "owned\n")));
    Image image =
        store(dir, Long.MAX_VALUE)
            .provide(registry.host() + "/evil/through-link:1", null, m -> {})
            .image();
    assertThat(Files.readAllBytes(Path.of("/etc/passwd"))).isEqualTo(hostPasswd);
    assertThat(image.rootfs().resolve("etc/passwd")).hasContent("owned");
  }

  @Test
  void collectionRemovesLeastRecentlyUsedImagesNoTaskRuns() throws Exception {
    String other =
        TestImages.pushBusybox(registry, "tools/other", "1", BUSYBOX.withCmd("echo other"));
    ImageStore store = store(dir, 1);
    Image busybox = store.provide(registry.host() + "/tools/busybox:1.36", null, m -> {}).image();
    Image second = store.provide(registry.host() + "/tools/other:1", null, m -> {}).image();
    assertThat(second.manifestDigest()).isEqualTo(other);

    store.collect(Set.of(busybox.manifestDigest()));
    assertThat(second.rootfs())
        .as("asked for a moment ago: its task may not run yet")
        .isDirectory();

    later = ImageStore.RECENT.plusSeconds(1);
    long size = store.collect(Set.of(busybox.manifestDigest()));
    assertThat(second.rootfs()).as("not in use: removed").doesNotExist();
    assertThat(busybox.rootfs()).as("in use: kept").isDirectory();
    assertThat(store.cached()).containsOnlyKeys(registry.host() + "/tools/busybox:1.36");
    assertThat(size).isPositive().isEqualTo(walk(store.root()));
    assertThat(meters.get("mesokube.agent.image.cache.bytes").gauge().value()).isEqualTo(size);
    // A restarted store measures what it finds.
    var fresh = new SimpleMeterRegistry();
    new ImageStore(
        dir.resolve("images"), settings(Set.of("127.0.0.0/8"), Long.MAX_VALUE), fresh, clock);
    assertThat(fresh.get("mesokube.agent.image.cache.bytes").gauge().value()).isEqualTo(size);

    store.provide(registry.host() + "/tools/other:1", null, m -> {});
    assertThat(pulls()).as("pulled again after removal").isEqualTo(3);
  }

  @Test
  void aCachedPrivateImageIsServedOnlyToCredentialsItsRegistryAccepts() throws Exception {
    try (TestRegistry owned =
        TestRegistry.startWithAuth(
            dir.resolve("owned"), "alice", "s3cret", java.util.Map.of("bob", "hunter2"))) {
      TestImages.pushBusybox(owned, "alice", "s3cret", "private/busybox", "1", BUSYBOX);
      String ref = owned.host() + "/private/busybox:1";
      String alice = auth(owned, "alice", "s3cret");
      String bob = auth(owned, "bob", "hunter2");
      ImageStore store = store(dir, Long.MAX_VALUE);
      Image image = store.provide(ref, alice, m -> {}).image();

      // Cached, yet a task without credentials, or with wrong ones, does not get it.
      assertFails(store, ref, null, ImageException.Kind.UNAUTHORIZED, "refused the credentials");
      assertFails(
          store,
          ref,
          auth(owned, "alice", "wrong"),
          ImageException.Kind.UNAUTHORIZED,
          "refused the credentials");
      // Other credentials the registry accepts: checked with one manifest request, not pulled.
      List<String> progress = new ArrayList<>();
      ImageStore.Provided forBob = store.provide(ref, bob, progress::add);
      assertThat(forBob.image().rootfs()).isEqualTo(image.rootfs());
      assertThat(forBob.summary())
          .isEqualTo("image " + ref + " is cached (the registry let these credentials read it)");
      assertThat(progress).as("no pull").isEmpty();
      assertThat(pulls()).isOne();
      try (var leftovers = Files.list(store.root().resolve("tmp"))) {
        assertThat(leftovers).as("credentials files left behind").isEmpty();
      }

      // What the registry granted is remembered across a restart: served while it is down.
      owned.stop();
      ImageStore restarted = store(dir, Long.MAX_VALUE);
      assertThat(restarted.provide(ref, alice, m -> {}).image().rootfs()).isEqualTo(image.rootfs());
      assertThat(restarted.provide(ref, bob, m -> {}).image().rootfs()).isEqualTo(image.rootfs());
      // Anyone else must wait for the registry to say yes.
      assertFails(restarted, ref, null, ImageException.Kind.UNREACHABLE, "cannot be reached");
      try (var records = Files.list(restarted.root().resolve("refs"))) {
        String record = Files.readString(records.findFirst().orElseThrow());
        assertThat(record).doesNotContain("s3cret", "hunter2", alice, bob);
      }
    }
  }

  @Test
  void aPublicImageNeedsNoCheckWhateverCredentialsATaskBrings() throws Exception {
    try (TestRegistry open = TestRegistry.start(dir.resolve("open"))) {
      TestImages.pushBusybox(open, "tools/busybox", "1", BUSYBOX);
      String ref = open.host() + "/tools/busybox:1";
      ImageStore store = store(dir, Long.MAX_VALUE);
      store.provide(ref, null, m -> {});
      open.stop();
      assertThat(store.provide(ref, auth(open, "someone", "anything"), m -> {})).isNotNull();
    }
  }

  @Test
  void aPullNobodyWaitsForAnyMoreIsStopped() throws Exception {
    try (var silent = SilentRegistry.start();
        var threads = Executors.newVirtualThreadPerTaskExecutor()) {
      String ref = silent.host() + "/tools/slow:1";
      ImageStore store = store(dir, Long.MAX_VALUE);
      Future<Image> first = threads.submit(() -> store.provide(ref, null, m -> {}).image());
      Future<Image> second = threads.submit(() -> store.provide(ref, null, m -> {}).image());
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> store.waiting(ref) == 2 && SilentRegistry.skopeoPulling(ref).isPresent());
      ProcessHandle skopeo = SilentRegistry.skopeoPulling(ref).orElseThrow();

      first.cancel(true);
      org.awaitility.Awaitility.await()
          .during(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(2))
          .until(() -> skopeo.isAlive() && !second.isDone() && store.waiting(ref) == 1);

      second.cancel(true);
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !skopeo.isAlive());
      // The store is free for the next pull, and the stopped one left nothing in the layout.
      assertThat(store.provide(registry.host() + "/tools/busybox:1.36", null, m -> {})).isNotNull();
      try (var left = Files.list(store.root().resolve("layout"))) {
        assertThat(left.map(p -> p.getFileName().toString()))
            .noneMatch(name -> name.startsWith("oci-put-blob"));
      }
    }
  }

  /** Bytes of the regular files of the layout and the root filesystems, walked now. */
  private static long walk(Path root) throws java.io.IOException {
    long total = 0;
    for (String dir : List.of("layout", "rootfs")) {
      try (var files = Files.walk(root.resolve(dir))) {
        for (Path file :
            files
                .filter(f -> Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                .toList()) {
          total += Files.size(file);
        }
      }
    }
    return total;
  }

  @Test
  void aSlowPullSaysHowFarItGotToEveryTaskWaitingForIt() throws Exception {
    // A layer of about 4.5 MB (gzip cannot shrink random bytes in base64 much more) through a
    // proxy that passes 1.5 MB/s: three seconds.
    TestImages.pushLayers(registry, "tools/big", "1", TestImages.noise(4_500_000, 7));
    try (var slow = ThrottledProxy.start(registry.host(), 1_500_000);
        var threads = Executors.newVirtualThreadPerTaskExecutor()) {
      String ref = slow.host() + "/tools/big:1";
      ImageStore store = store(dir, Long.MAX_VALUE);
      List<String> first = new CopyOnWriteArrayList<>();
      List<String> second = new CopyOnWriteArrayList<>();
      Future<ImageStore.Provided> one = threads.submit(() -> store.provide(ref, null, first::add));
      Future<ImageStore.Provided> two = threads.submit(() -> store.provide(ref, null, second::add));

      // Which of the two started the pull and which joined it depends on the threads.
      boolean firstPulled = one.get().summary().startsWith("pulled image");
      ImageStore.Provided puller = firstPulled ? one.get() : two.get();
      ImageStore.Provided joiner = firstPulled ? two.get() : one.get();
      List<String> pullerHeard = firstPulled ? first : second;
      List<String> joinerHeard = firstPulled ? second : first;
      assertThat(puller.summary()).matches("pulled image .* \\(1 layers, \\d+\\.\\d MB\\) in .* s");
      assertThat(joiner.summary()).isEqualTo("image " + ref + " was pulled for another task");
      assertThat(pullerHeard.getFirst()).isEqualTo("pulling image " + ref);
      List<String> ticks =
          pullerHeard.stream().filter(m -> m.startsWith("pulling image " + ref + ": ")).toList();
      assertThat(ticks).as(pullerHeard.toString()).hasSizeGreaterThanOrEqualTo(3);
      assertThat(ticks)
          .allMatch(m -> m.matches("pulling image .*: \\d+\\.\\d MB received in \\d+ s"));
      // The bytes received grow (the first tick may come before any byte has arrived).
      List<Double> received =
          ticks.stream()
              .map(m -> Double.parseDouble(m.replaceAll(".*: (\\d+\\.\\d) MB.*", "$1")))
              .toList();
      assertThat(received).isSorted();
      assertThat(received.getLast()).isGreaterThan(1.0);
      // The task that joined the pull hears of it too.
      assertThat(joinerHeard).anyMatch(m -> m.startsWith("pulling image " + ref + ": "));
      assertThat(meters.counter("mesokube.agent.image.pulled.bytes").count())
          .isGreaterThan(4_000_000);
    }
  }

  private static void assertFails(
      ImageStore store, String image, String auth, ImageException.Kind kind, String message) {
    List<String> progress = new CopyOnWriteArrayList<>();
    assertThatThrownBy(() -> store.provide(image, auth, progress::add))
        .as(image)
        .isInstanceOfSatisfying(ImageException.class, e -> assertThat(e.kind()).isEqualTo(kind))
        .hasMessageContaining(message);
  }

  private ImageStore store(Path root, long maxBytes) throws Exception {
    return new ImageStore(
        root.resolve("images"), settings(Set.of("127.0.0.0/8"), maxBytes), meters, clock);
  }

  private static ImageStore.Settings settings(Set<String> insecure, long maxBytes) {
    return new ImageStore.Settings(
        "docker.io",
        insecure,
        Duration.ofSeconds(60),
        maxBytes,
        "skopeo",
        "umoci",
        PROGRESS,
        ImageStore.Settings.LINK_LOCAL);
  }

  private long pulls() {
    return meters.get("mesokube.agent.image.pulls").tag("outcome", "ok").timer().count();
  }

  private static String auth(TestRegistry registry, String user, String password) {
    String token =
        Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return "{\"auths\":{\"" + registry.host() + "\":{\"auth\":\"" + token + "\"}}}";
  }
}
