package io.mesokube.agent.images;

import io.mesokube.agent.checkpoint.AtomicFiles;
import io.mesokube.agent.checkpoint.FileTrees;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's images: pulled from registries with skopeo into one OCI image layout (so layers are
 * stored once, by digest, whatever image they belong to), checked ({@link LayerCheck}) and unpacked
 * with umoci into one root filesystem per manifest digest, shared read-only by every task that uses
 * it. Well-kept tools rather than registry and tar code of our own: skopeo speaks every registry
 * dialect and auth scheme, umoci unpacks whiteouts and ownership exactly and keeps every path
 * inside the root filesystem.
 *
 * <p>A reference is pulled once: concurrent tasks asking for the same one wait for the same pull,
 * later ones find it cached (also after an agent restart, from the layout). As in Mesos and a
 * kubelet's {@code IfNotPresent}, a cached tag is not pulled again. The cache is kept under {@code
 * maxBytes} by {@link #collect}: least recently used images that no task runs are removed, then
 * umoci garbage-collects the blobs no image references any more.
 *
 * <p>Writes to the layout (pulls, unpacks, collection) are serialized: skopeo and umoci rewrite its
 * {@code index.json} without a lock of their own.
 */
public final class ImageStore {
  private static final Logger LOG = LoggerFactory.getLogger(ImageStore.class);

  /** Images provided this recently are never collected: their container may not run yet. */
  static final Duration RECENT = Duration.ofMinutes(1);

  /**
   * How the store works.
   *
   * @param defaultRegistry registry of references that name none
   * @param insecureRegistries registries reached over plain HTTP or without TLS verification:
   *     {@code host[:port]}, or a CIDR block such as {@code 127.0.0.0/8} for every registry at an
   *     IP address in it (Docker's rule and default)
   * @param pullTimeout the longest one pull may take
   * @param maxBytes the cache size that {@link #collect} keeps to (layout plus root filesystems)
   * @param skopeo the skopeo program
   * @param umoci the umoci program
   * @param progressInterval how often a pull says how far it got
   * @param deniedNetworks CIDR blocks no registry may be in: a registry whose address (its IP
   *     literal, or any address its name resolves to) is in one is not pulled from, so that a
   *     tenant's image reference cannot make the agent probe them (cloud metadata services live at
   *     link-local addresses)
   */
  public record Settings(
      String defaultRegistry,
      Set<String> insecureRegistries,
      Duration pullTimeout,
      long maxBytes,
      String skopeo,
      String umoci,
      Duration progressInterval,
      Set<String> deniedNetworks) {
    /** Link-local, IPv4 and IPv6: where cloud metadata services answer. */
    public static final Set<String> LINK_LOCAL = Set.of("169.254.0.0/16", "fe80::/10");

    public Settings {
      insecureRegistries = Set.copyOf(insecureRegistries);
      insecureRegistries.stream().filter(e -> e.contains("/")).forEach(Cidr::parse);
      deniedNetworks = Set.copyOf(deniedNetworks);
      deniedNetworks.forEach(Cidr::parse);
    }

    /**
     * Why {@code registry} (host[:port]) may not be pulled from, or empty. A name is resolved here;
     * one that does not resolve is left to the pull, which says so. skopeo resolves it again: a
     * name whose answers change in between (DNS rebinding) is caught only if its first answer was
     * denied, which a literal address never escapes.
     */
    java.util.Optional<String> denied(String registry) {
      if (deniedNetworks.isEmpty()) {
        return java.util.Optional.empty();
      }
      String host = Cidr.host(registry);
      java.net.InetAddress[] addresses;
      try {
        addresses = java.net.InetAddress.getAllByName(host);
      } catch (java.net.UnknownHostException e) {
        return java.util.Optional.empty();
      }
      for (java.net.InetAddress address : addresses) {
        for (String block : deniedNetworks) {
          if (Cidr.parse(block).contains(address.getHostAddress())) {
            return java.util.Optional.of(
                "registry "
                    + registry
                    + " is at "
                    + address.getHostAddress()
                    + ", in "
                    + block
                    + ", where this agent pulls from no registry"
                    + " (mesokube.agent.containers.denied-registry-networks)");
          }
        }
      }
      return java.util.Optional.empty();
    }

    /** Whether {@code registry} (host[:port]) is reached without TLS verification. */
    boolean insecure(String registry) {
      if (insecureRegistries.contains(registry)) {
        return true;
      }
      String host = Cidr.host(registry);
      return insecureRegistries.stream()
          .filter(e -> e.contains("/"))
          .anyMatch(block -> Cidr.parse(block).contains(host));
    }
  }

  /** The grant of a pull or check made without credentials: the image is public. */
  private static final String ANONYMOUS = "anonymous";

  /**
   * An image in the cache, with when a task last asked for it and the credentials (by {@link
   * #grant}) its registry let read it.
   */
  private record Cached(Image image, Instant lastUsed, Set<String> grants) {
    Cached {
      grants = Set.copyOf(grants);
    }

    Cached used(Instant now) {
      return new Cached(image, now, grants);
    }

    /** Whether a task with {@code grant} may use it without asking the registry. */
    boolean grants(String grant) {
      return grants.contains(ANONYMOUS) || grants.contains(grant);
    }

    Cached with(String grant) {
      Set<String> more = new java.util.HashSet<>(grants);
      more.add(grant);
      return new Cached(image, lastUsed, more);
    }
  }

  /** An image ready for a task, and how it came: pulled, cached, shared, in words. */
  public record Provided(Image image, String summary) {}

  /**
   * One pull, shared by the tasks that wait for it with the same credentials. It runs on its own
   * thread, so that a waiter that gives up (its task was killed) leaves it to the others; the last
   * one to give up stops it. Its progress goes to every waiter.
   */
  private static final class Flight {
    final CompletableFuture<Provided> result = new CompletableFuture<>();
    final List<Consumer<String>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile int waiters; // changed only in the pulling map's compute
    Thread puller;

    void say(String message) {
      listeners.forEach(l -> l.accept(message));
    }
  }

  private final Path root;
  private final OciLayout layout;
  private final Path rootfsDir;
  private final Path tmp;
  private final Path refs;
  private final Path policy;
  private final Settings settings;
  private final Clock clock;
  private final ReentrantLock writes = new ReentrantLock();
  private final Map<String, Cached> ready = new ConcurrentHashMap<>();
  private final Map<String, Flight> pulling = new ConcurrentHashMap<>();
  private final MeterRegistry meters;
  private final Counter cacheHits;
  private final byte[] grantKey;
  private final Counter pulledBytes;
  private final AtomicLong cacheBytes = new AtomicLong();

  /** Bytes of each root filesystem, by its directory name. */
  private final Map<String, Long> rootfsBytes = new ConcurrentHashMap<>();

  /** A store in {@code root} (created), e.g. {@code <state dir>/images}. */
  public ImageStore(Path root, Settings settings, MeterRegistry meters, Clock clock)
      throws IOException {
    this.root = root.toAbsolutePath();
    this.layout = new OciLayout(this.root.resolve("layout"));
    this.rootfsDir = this.root.resolve("rootfs");
    this.tmp = this.root.resolve("tmp");
    this.refs = this.root.resolve("refs");
    this.settings = settings;
    this.clock = clock;
    this.meters = meters;
    for (Path dir : List.of(this.root, rootfsDir, tmp)) {
      Files.createDirectories(dir);
    }
    // Root only: unpacked images keep their setuid files and root ownership, and registry
    // credentials pass through tmp. The runtime (root) reaches them; no task user must.
    Files.setPosixFilePermissions(this.root, PosixFilePermissions.fromString("rwx------"));
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
    // Our own trust policy, not the host's /etc/containers/policy.json: a digest in the reference
    // is what pins an image here; signatures are not checked (as in Mesos).
    this.policy = this.root.resolve("policy.json");
    Files.writeString(
        policy, "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}\n", StandardCharsets.UTF_8);
    this.cacheHits =
        Counter.builder("mesokube.agent.image.cache.hits")
            .description("Image requests served from the agent's cache, without a pull")
            .register(meters);
    this.pulledBytes =
        Counter.builder("mesokube.agent.image.pulled.bytes")
            .description("Bytes of image blobs received from registries")
            .baseUnit("bytes")
            .register(meters);
    Gauge.builder("mesokube.agent.image.cache.bytes", cacheBytes, AtomicLong::get)
        .description("Bytes of the image cache (layout and root filesystems), as last measured")
        .baseUnit("bytes")
        .register(meters);
    this.grantKey = grantKey(this.root.resolve("grant.key"));
    cleanTmp();
    removePartialBlobs();
    reload();
  }

  /**
   * The images a previous run of the agent pulled, from the references it remembered: cached for
   * tasks, and collectable, as if asked for now.
   */
  private void reload() throws IOException {
    Files.createDirectories(refs);
    try (Stream<Path> known = Files.list(refs)) {
      for (Path file : known.toList()) {
        try {
          // The reference, then the grants the registry gave for it, a line each.
          List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
          ImageReference ref =
              ImageReference.parse(
                  lines.isEmpty() ? "" : lines.getFirst().strip(), settings.defaultRegistry());
          Set<String> grants =
              lines.stream()
                  .skip(1)
                  .map(String::strip)
                  .filter(l -> !l.isEmpty())
                  .collect(java.util.stream.Collectors.toSet());
          Optional<OciLayout.Manifest> manifest = layout.manifest(ref.key());
          if (manifest.isPresent() && Files.isDirectory(rootfs(manifest.get().digest()))) {
            Image image =
                new Image(
                    ref,
                    manifest.get().digest(),
                    rootfs(manifest.get().digest()),
                    manifest.get().config());
            ready.put(ref.key(), new Cached(image, clock.instant(), grants));
          } else {
            Files.deleteIfExists(file);
          }
        } catch (IllegalArgumentException | ImageException e) {
          LOG.warn("Forgetting unreadable image record {}: {}", file, e.getMessage());
          Files.deleteIfExists(file);
        }
      }
    }
    try (Stream<Path> unpacked = Files.list(rootfsDir)) {
      for (Path dir : unpacked.toList()) {
        rootfsBytes.put(dir.getFileName().toString(), size(dir));
      }
    }
    measure();
  }

  /** Remembers a cached image, and who may use it, across restarts. */
  private void remember(Cached cached) {
    ImageReference ref = cached.image().reference();
    var text = new StringBuilder(ref.toString()).append('\n');
    cached.grants().stream().sorted().forEach(g -> text.append(g).append('\n'));
    try {
      AtomicFiles.write(refs.resolve(ref.key()), text.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      LOG.warn("Cannot record image {}: {}", ref, e.toString());
    }
  }

  /**
   * What stands for {@code authJson} in the grants: an HMAC-SHA256 of it under this store's own
   * random key ({@code grant.key}, root only), or {@link #ANONYMOUS}. Kept on disk, never the
   * credentials themselves; keyed, so that a copy of the records cannot be used to test guessed
   * passwords offline.
   */
  private String grant(String authJson) {
    if (authJson == null) {
      return ANONYMOUS;
    }
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(grantKey, "HmacSHA256"));
      return "hmac-sha256:"
          + java.util.HexFormat.of()
              .formatHex(mac.doFinal(authJson.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has HmacSHA256", e);
    }
  }

  /** This store's grant key: made once, 32 random bytes, readable by root only. */
  private static byte[] grantKey(Path file) throws IOException {
    if (Files.exists(file)) {
      byte[] key = Files.readAllBytes(file);
      if (key.length == 32) {
        return key;
      }
      // Unreadable as a key: grants made with it cannot be checked; they are asked for again.
      LOG.warn("Replacing the image grant key {} ({} bytes)", file, key.length);
    }
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    AtomicFiles.write(file, key);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return key;
  }

  private void forget(String key) {
    try {
      Files.deleteIfExists(refs.resolve(key));
    } catch (IOException e) {
      LOG.warn("Cannot forget image record {}: {}", key, e.toString());
    }
  }

  /** Removes {@code key}'s name from the layout (its blobs go at the next collection). */
  private void untag(String key) {
    try {
      ToolRun rm =
          ToolRun.run(
              List.of(settings.umoci(), "rm", "--image", layout.dir() + ":" + key),
              null,
              settings.pullTimeout());
      if (!rm.ok()) {
        LOG.warn("umoci rm of {} failed: {}", key, rm.lastLine());
      }
    } catch (IOException e) {
      LOG.warn("umoci rm of {} failed: {}", key, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The image {@code image} refers to, pulled and unpacked if this agent does not have it yet.
   * Blocks for the pull; concurrent callers for the same reference and credentials share one pull.
   *
   * <p>A cached image that was pulled with credentials is served to a task with other credentials
   * (or none) only once the registry has let those read the reference too: one manifest request,
   * remembered. Without that check, any task on this agent could run a private image another
   * namespace pulled (Kubernetes' "ensure secret pulled images"). Images pulled without credentials
   * are public and need no check.
   *
   * @param authJson a Docker config JSON ({@code {"auths": {...}}}, the content of a {@code
   *     kubernetes.io/dockerconfigjson} Secret) with the registry's credentials, or null
   * @param progress told, in words for a task's status message, when a pull starts and then every
   *     {@link Settings#progressInterval} how far it got; not told when the image is ready (that is
   *     the summary)
   * @throws InterruptedException if the calling thread is interrupted while it waits: it no longer
   *     waits, and a pull nobody waits for any more is stopped
   */
  public Provided provide(String image, String authJson, Consumer<String> progress)
      throws ImageException, InterruptedException {
    ImageReference ref;
    try {
      ref = ImageReference.parse(image, settings.defaultRegistry());
    } catch (IllegalArgumentException e) {
      throw new ImageException(ImageException.Kind.INVALID_REFERENCE, e.getMessage());
    }
    String key = ref.key();
    String grant = grant(authJson);
    Cached cached = ready.computeIfPresent(key, (k, c) -> c.used(clock.instant()));
    if (cached != null && Files.isDirectory(cached.image().rootfs())) {
      if (!cached.grants(grant)) {
        check(ref, authJson);
        Cached granted = ready.computeIfPresent(key, (k, c) -> c.with(grant));
        if (granted != null) {
          remember(granted);
        }
        cacheHits.increment();
        return new Provided(
            cached.image(),
            "image " + ref + " is cached (the registry let these credentials read it)");
      }
      cacheHits.increment();
      return new Provided(cached.image(), "image " + ref + " is cached");
    }
    // Pulls are shared by tasks with the same credentials only: another task's wrong or missing
    // credentials must not fail this one.
    String id = key + "-" + grant;
    boolean[] joined = new boolean[1];
    Flight flight =
        pulling.compute(
            id,
            (k, f) -> {
              if (f == null) {
                f = new Flight();
              } else {
                joined[0] = true;
              }
              f.waiters++;
              f.listeners.add(progress);
              return f;
            });
    if (!joined[0]) {
      Flight mine = flight;
      mine.puller =
          Thread.ofVirtual()
              .name("image-pull-" + key)
              .start(() -> pull(mine, id, ref, authJson, grant));
    }
    try {
      Provided provided = flight.result.get();
      if (joined[0]) {
        cacheHits.increment();
        return new Provided(provided.image(), "image " + ref + " was pulled for another task");
      }
      return provided;
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof ImageException failed) {
        throw new ImageException(failed.kind(), failed.getMessage(), failed);
      }
      throw new ImageException(ImageException.Kind.FAILED, String.valueOf(e.getCause()), e);
    } catch (InterruptedException e) {
      pulling.computeIfPresent(
          id,
          (k, f) -> {
            if (f != flight) {
              return f;
            }
            f.listeners.remove(progress);
            if (--f.waiters > 0) {
              return f;
            }
            LOG.info("Stopping the pull of {}: no task waits for it any more", ref);
            f.puller.interrupt();
            return null;
          });
      throw e;
    }
  }

  /** How many callers wait for a pull of {@code image} (any credentials); for tests. */
  int waiting(String image) {
    String key = ImageReference.parse(image, settings.defaultRegistry()).key();
    return pulling.entrySet().stream()
        .filter(e -> e.getKey().startsWith(key + "-"))
        .mapToInt(e -> e.getValue().waiters)
        .sum();
  }

  /** Runs {@code flight}'s pull on its own thread. */
  private void pull(Flight flight, String id, ImageReference ref, String authJson, String grant) {
    try {
      Provided fetched = fetch(ref, authJson, flight::say);
      Image provided = fetched.image();
      Cached cached = new Cached(provided, clock.instant(), Set.of(grant));
      ready.merge(
          ref.key(),
          cached,
          (old, mine) -> new Cached(provided, clock.instant(), union(old.grants(), mine.grants())));
      remember(ready.get(ref.key()));
      flight.result.complete(fetched);
    } catch (ImageException | RuntimeException e) {
      flight.result.completeExceptionally(e);
    } finally {
      pulling.remove(id, flight);
    }
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new java.util.HashSet<>(a);
    all.addAll(b);
    return all;
  }

  /**
   * Asks the registry whether {@code authJson} (or no credentials) may read {@code ref}, without
   * pulling it: skopeo fetches the manifest only.
   *
   * @throws ImageException as a pull would fail: refused credentials, an unknown image, a registry
   *     that cannot be reached
   */
  private void check(ImageReference ref, String authJson)
      throws ImageException, InterruptedException {
    try {
      skopeo(ref, authJson, List.of("inspect", "--raw", "--retry-times", "2"), "--", null);
    } catch (IOException e) {
      throw new ImageException(ImageException.Kind.FAILED, "checking " + ref + ": " + e, e);
    }
  }

  /**
   * Keeps the cache under its size: removes least recently used images that no running task uses
   * (by manifest digest), then the blobs no image references. Returns the cache's size after.
   */
  public long collect(Set<String> inUse) throws IOException, InterruptedException {
    // A pull holds the lock for as long as it takes: collect at the next round instead.
    if (!writes.tryLock()) {
      return cacheBytes.get();
    }
    try {
      long size = measure();
      if (size <= settings.maxBytes()) {
        return size;
      }
      List<Map.Entry<String, Cached>> byAge =
          ready.entrySet().stream()
              .sorted(Comparator.comparing(e -> e.getValue().lastUsed()))
              .toList();
      boolean removed = false;
      for (Map.Entry<String, Cached> entry : byAge) {
        if (size <= settings.maxBytes()) {
          break;
        }
        Image image = entry.getValue().image();
        // Recently provided images may be about to start a container that does not show yet.
        if (inUse.contains(image.manifestDigest())
            || entry.getValue().lastUsed().isAfter(clock.instant().minus(RECENT))) {
          continue;
        }
        if (!ready.remove(entry.getKey(), entry.getValue())) {
          // Asked for again while this ran: it stays.
          continue;
        }
        forget(entry.getKey());
        untag(entry.getKey());
        boolean shared =
            ready.values().stream()
                .anyMatch(c -> c.image().manifestDigest().equals(image.manifestDigest()));
        if (!shared) {
          FileTrees.delete(image.rootfs());
          rootfsBytes.remove(image.rootfs().getFileName().toString());
        }
        removed = true;
        LOG.info(
            "Removed image {} from the cache (last used {})",
            image.reference(),
            entry.getValue().lastUsed());
        size = measure();
      }
      if (removed) {
        ToolRun gc =
            ToolRun.run(
                List.of(settings.umoci(), "gc", "--layout", layout.dir().toString()),
                null,
                settings.pullTimeout());
        if (!gc.ok()) {
          LOG.warn("umoci gc failed: {}", gc.lastLine());
        }
        size = measure();
      }
      return size;
    } finally {
      writes.unlock();
    }
  }

  /** The manifest digests of the cached images, by reference. */
  public Map<String, String> cached() {
    Map<String, String> out = new java.util.TreeMap<>();
    ready
        .values()
        .forEach(c -> out.put(c.image().reference().toString(), c.image().manifestDigest()));
    return out;
  }

  // ---------------------------------------------------------------- pull and unpack

  private Provided fetch(ImageReference ref, String authJson, Consumer<String> progress)
      throws ImageException {
    try {
      // Interruptible: a pull abandoned while it waits for another one never starts.
      writes.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageException(
          ImageException.Kind.FAILED, "interrupted while waiting to pull " + ref, e);
    }
    try {
      Optional<OciLayout.Manifest> known = layout.manifest(ref.key());
      if (known.isPresent()) {
        // In the layout but not remembered (the agent stopped before it recorded the pull): who
        // may read it is not known, so the registry is asked, as for a cached private image.
        check(ref, authJson);
      }
      if (known.isPresent() && Files.isDirectory(rootfs(known.get().digest()))) {
        cacheHits.increment();
        return new Provided(
            new Image(
                ref, known.get().digest(), rootfs(known.get().digest()), known.get().config()),
            "image " + ref + " is cached");
      }
      Timer.Sample sample = Timer.start(meters);
      String outcome = "failed";
      try {
        progress.accept("pulling image " + ref);
        Instant started = clock.instant();
        OciLayout.Manifest manifest =
            known.isPresent() ? known.get() : pull(ref, authJson, progress, started);
        long bytes = manifest.layers().stream().mapToLong(OciLayout.Layer::size).sum();
        Path rootfs = rootfs(manifest.digest());
        if (!Files.isDirectory(rootfs)) {
          try {
            for (OciLayout.Layer layer : manifest.layers()) {
              if (Thread.interrupted()) {
                throw new InterruptedException();
              }
              LayerCheck.check(
                  layout.blob(layer.digest()),
                  LayerCheck.Compression.of(layer.mediaType()),
                  layer.digest());
            }
            unpack(ref, rootfs);
          } catch (ImageException e) {
            // Not kept under its name: a fixed image pushed under the same tag is pulled again.
            untag(ref.key());
            throw e;
          }
        }
        Duration took = Duration.between(started, clock.instant());
        outcome = "ok";
        cacheBytes.set(measure());
        return new Provided(
            new Image(ref, manifest.digest(), rootfs, manifest.config()),
            "pulled image %s (%d layers, %.1f MB) in %.1f s"
                .formatted(ref, manifest.layers().size(), bytes / 1e6, took.toMillis() / 1000.0));
      } catch (ImageException e) {
        outcome = e.kind().name().toLowerCase(java.util.Locale.ROOT);
        throw e;
      } finally {
        sample.stop(
            Timer.builder("mesokube.agent.image.pulls")
                .description("Image pulls (and unpacks), by outcome")
                .tag("outcome", outcome)
                .register(meters));
      }
    } catch (IOException e) {
      throw new ImageException(ImageException.Kind.FAILED, "image " + ref + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageException(ImageException.Kind.FAILED, "interrupted while pulling " + ref, e);
    } finally {
      writes.unlock();
    }
  }

  /**
   * Pulls {@code ref} into the layout, telling {@code progress} every {@link
   * Settings#progressInterval} how many bytes arrived: the blobs skopeo finished, and the ones it
   * is writing ({@code oci-put-blob*} files in the layout's root, renamed into {@code blobs} when
   * complete). Pulls run one at a time, so whatever is new in the layout is this pull's.
   */
  private OciLayout.Manifest pull(
      ImageReference ref, String authJson, Consumer<String> progress, Instant started)
      throws IOException, InterruptedException, ImageException {
    Set<Path> before = blobs();
    Thread ticker =
        Thread.ofVirtual()
            .name("image-progress-" + ref.key())
            .start(
                () -> {
                  try {
                    while (true) {
                      Thread.sleep(settings.progressInterval());
                      progress.accept(
                          "pulling image %s: %.1f MB received in %d s"
                              .formatted(
                                  ref,
                                  received(before) / 1e6,
                                  Duration.between(started, clock.instant()).toSeconds()));
                    }
                  } catch (InterruptedException e) {
                    // The pull ended.
                  } catch (IOException | RuntimeException e) {
                    LOG.debug("No more progress of the pull of {}: {}", ref, e.toString());
                  }
                });
    try {
      skopeo(
          ref,
          authJson,
          List.of("copy", "--retry-times", "2"),
          "--src-",
          "oci:" + layout.dir() + ":" + ref.key());
    } catch (IOException | InterruptedException | ImageException | RuntimeException e) {
      // A copy that failed or was stopped leaves the blobs it was writing; nothing names them.
      removePartialBlobs();
      throw e;
    } finally {
      ticker.interrupt();
      ticker.join();
      try {
        pulledBytes.increment(received(before));
      } catch (IOException e) {
        LOG.debug("Cannot count the bytes pulled for {}: {}", ref, e.toString());
      }
    }
    return layout
        .manifest(ref.key())
        .orElseThrow(
            () ->
                new ImageException(
                    ImageException.Kind.FAILED,
                    "skopeo pulled " + ref + " but the layout does not name it"));
  }

  /**
   * Runs skopeo {@code verb} on {@code ref} with {@code authJson}'s credentials (never the host's),
   * in a file only root reads for as long as skopeo runs.
   *
   * @param prefix how the verb's source options are named: {@code --src-} for copy, {@code --} for
   *     inspect
   * @param destination the copy's destination, or null
   */
  private void skopeo(
      ImageReference ref, String authJson, List<String> verb, String prefix, String destination)
      throws IOException, InterruptedException, ImageException {
    var denied = settings.denied(ref.registry());
    if (denied.isPresent()) {
      throw new ImageException(ImageException.Kind.DENIED, denied.get());
    }
    boolean insecure = settings.insecure(ref.registry());
    List<String> command =
        new ArrayList<>(List.of(settings.skopeo(), "--policy", policy.toString()));
    command.addAll(verb);
    if (insecure) {
      command.add(prefix + "tls-verify=false");
    }
    Path auth = null;
    try {
      if (authJson != null) {
        auth =
            Files.createTempFile(
                tmp,
                "auth-",
                ".json",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(auth, authJson, StandardCharsets.UTF_8);
        command.addAll(List.of(prefix + "authfile", auth.toString()));
      } else {
        // Never the host's or root's own credentials (~/.docker, ${XDG_RUNTIME_DIR}/containers).
        command.add(prefix + "no-creds");
      }
      command.add(ref.transport());
      if (destination != null) {
        command.add(destination);
      }
      ToolRun run = ToolRun.run(command, tmp, settings.pullTimeout());
      if (!run.ok()) {
        throw PullFailure.of(ref, run, insecure);
      }
    } finally {
      if (auth != null) {
        Files.deleteIfExists(auth);
      }
    }
  }

  /**
   * Removes the blobs skopeo was writing when it failed or was stopped ({@code oci-put-blob*} in
   * the layout's root; complete blobs are renamed into {@code blobs}). Only while no pull runs:
   * under the write lock, or before the store serves anyone.
   */
  private void removePartialBlobs() {
    if (!Files.isDirectory(layout.dir())) {
      return;
    }
    try (Stream<Path> files = Files.list(layout.dir())) {
      for (Path file : files.toList()) {
        if (file.getFileName().toString().startsWith("oci-put-blob")) {
          Files.deleteIfExists(file);
        }
      }
    } catch (IOException e) {
      LOG.warn("Cannot remove partial blobs in {}: {}", layout.dir(), e.toString());
    }
  }

  /** The layout's complete blobs. */
  private Set<Path> blobs() throws IOException {
    Path dir = layout.dir().resolve("blobs/sha256");
    if (!Files.isDirectory(dir)) {
      return Set.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.collect(java.util.stream.Collectors.toSet());
    }
  }

  /** Bytes in the layout that were not there {@code before}: new blobs, and blobs being written. */
  private long received(Set<Path> before) throws IOException {
    long total = 0;
    for (Path blob : blobs()) {
      if (!before.contains(blob)) {
        total += sizeIfThere(blob);
      }
    }
    try (Stream<Path> files = Files.list(layout.dir())) {
      for (Path file : files.toList()) {
        if (file.getFileName().toString().startsWith("oci-put-blob")) {
          total += sizeIfThere(file);
        }
      }
    }
    return total;
  }

  /** A file's size, or 0 if it went meanwhile (renamed or removed by skopeo). */
  private static long sizeIfThere(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  private void unpack(ImageReference ref, Path rootfs)
      throws IOException, InterruptedException, ImageException {
    Path partial = tmp.resolve("unpack-" + rootfs.getFileName());
    FileTrees.delete(partial);
    ToolRun run =
        ToolRun.run(
            List.of(
                settings.umoci(),
                "raw",
                "unpack",
                "--image",
                layout.dir() + ":" + ref.key(),
                partial.toString()),
            null,
            settings.pullTimeout());
    if (!run.ok()) {
      FileTrees.delete(partial);
      throw new ImageException(
          ImageException.Kind.FAILED, "unpacking image " + ref + " failed: " + run.lastLine());
    }
    // The runtime's mount points, so that it never writes into the shared rootfs (it would create
    // missing ones there, for every task's container, when the rootfs is mounted read-only).
    for (String dir : List.of("proc", "dev", "sys", "tmp", "mnt/mesos/sandbox")) {
      Path d = partial.resolve(dir);
      if (!Files.exists(d, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(d);
      }
    }
    for (String file : List.of("etc/resolv.conf", "etc/hosts")) {
      Path f = partial.resolve(file);
      if (!Files.exists(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(f.getParent());
        Files.createFile(f);
      }
    }
    long bytes = size(partial);
    // Whole or not at all: a crash mid-unpack leaves only tmp, cleaned at the next start.
    Files.move(partial, rootfs, StandardCopyOption.ATOMIC_MOVE);
    rootfsBytes.put(rootfs.getFileName().toString(), bytes);
  }

  private Path rootfs(String manifestDigest) {
    return rootfsDir.resolve(manifestDigest.replace(':', '-'));
  }

  // ---------------------------------------------------------------- files

  private void cleanTmp() throws IOException {
    try (Stream<Path> left = Files.list(tmp)) {
      for (Path p : left.toList()) {
        FileTrees.delete(p);
      }
    }
  }

  /**
   * The cache's size: the layout's blobs, walked (a few files per image), plus each root filesystem
   * as measured once, when it was unpacked or found at start. Root filesystems are never written to
   * (tasks write to their own overlay), so walking their many files again would only cost I/O.
   */
  private long measure() throws IOException {
    long total = size(layout.dir());
    for (long bytes : rootfsBytes.values()) {
      total += bytes;
    }
    cacheBytes.set(total);
    return total;
  }

  /** Bytes of the regular files under {@code dir}, or 0 if it does not exist. */
  private static long size(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    AtomicLong total = new AtomicLong();
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile()) {
              total.addAndGet(attrs.size());
            }
            return FileVisitResult.CONTINUE;
          }
        });
    return total.get();
  }

  /** Root of the store. */
  public Path root() {
    return root;
  }
}
