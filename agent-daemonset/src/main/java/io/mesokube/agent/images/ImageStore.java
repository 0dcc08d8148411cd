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
import java.util.concurrent.CompletionException;
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
   */
  public record Settings(
      String defaultRegistry,
      Set<String> insecureRegistries,
      Duration pullTimeout,
      long maxBytes,
      String skopeo,
      String umoci) {
    public Settings {
      insecureRegistries = Set.copyOf(insecureRegistries);
      insecureRegistries.stream().filter(e -> e.contains("/")).forEach(Cidr::parse);
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

  /** An image in the cache, with when a task last asked for it. */
  private record Cached(Image image, Instant lastUsed) {}

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
  private final Map<String, CompletableFuture<Image>> pulling = new ConcurrentHashMap<>();
  private final MeterRegistry meters;
  private final Counter cacheHits;
  private final AtomicLong cacheBytes = new AtomicLong();

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
    Gauge.builder("mesokube.agent.image.cache.bytes", cacheBytes, AtomicLong::get)
        .description("Bytes of the image cache (layout and root filesystems), as last measured")
        .baseUnit("bytes")
        .register(meters);
    cleanTmp();
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
          ImageReference ref =
              ImageReference.parse(Files.readString(file).strip(), settings.defaultRegistry());
          Optional<OciLayout.Manifest> manifest = layout.manifest(ref.key());
          if (manifest.isPresent() && Files.isDirectory(rootfs(manifest.get().digest()))) {
            Image image =
                new Image(
                    ref,
                    manifest.get().digest(),
                    rootfs(manifest.get().digest()),
                    manifest.get().config());
            ready.put(ref.key(), new Cached(image, clock.instant()));
          } else {
            Files.deleteIfExists(file);
          }
        } catch (IllegalArgumentException | ImageException e) {
          LOG.warn("Forgetting unreadable image record {}: {}", file, e.getMessage());
          Files.deleteIfExists(file);
        }
      }
    }
    measure();
  }

  /** Remembers {@code ref} across restarts. */
  private void remember(ImageReference ref) {
    try {
      AtomicFiles.write(refs.resolve(ref.key()), ref.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      LOG.warn("Cannot record image {}: {}", ref, e.toString());
    }
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
   * Blocks for the pull; concurrent callers for the same reference share one pull.
   *
   * @param authJson a Docker config JSON ({@code {"auths": {...}}}, the content of a {@code
   *     kubernetes.io/dockerconfigjson} Secret) with the registry's credentials, or null
   * @param progress told what happens, in words for a task's status message
   */
  public Image provide(String image, String authJson, Consumer<String> progress)
      throws ImageException {
    ImageReference ref;
    try {
      ref = ImageReference.parse(image, settings.defaultRegistry());
    } catch (IllegalArgumentException e) {
      throw new ImageException(ImageException.Kind.INVALID_REFERENCE, e.getMessage());
    }
    String key = ref.key();
    Cached cached = ready.computeIfPresent(key, (k, c) -> new Cached(c.image(), clock.instant()));
    if (cached != null && Files.isDirectory(cached.image().rootfs())) {
      cacheHits.increment();
      progress.accept("image " + ref + " is cached");
      return cached.image();
    }
    // Pulls are shared by tasks with the same credentials only: another task's wrong or missing
    // credentials must not fail this one.
    String flight = key + (authJson == null ? "" : "-" + Integer.toHexString(authJson.hashCode()));
    CompletableFuture<Image> mine = new CompletableFuture<>();
    CompletableFuture<Image> theirs = pulling.putIfAbsent(flight, mine);
    if (theirs != null) {
      try {
        Image shared = theirs.join();
        cacheHits.increment();
        progress.accept("image " + ref + " was pulled for another task");
        return shared;
      } catch (CompletionException e) {
        if (e.getCause() instanceof ImageException failed) {
          throw new ImageException(failed.kind(), failed.getMessage(), failed);
        }
        throw new ImageException(ImageException.Kind.FAILED, e.getCause().toString(), e);
      }
    }
    try {
      Image provided = fetch(ref, authJson, progress);
      ready.put(key, new Cached(provided, clock.instant()));
      remember(ref);
      mine.complete(provided);
      return provided;
    } catch (ImageException | RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      pulling.remove(flight, mine);
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

  private Image fetch(ImageReference ref, String authJson, Consumer<String> progress)
      throws ImageException {
    writes.lock();
    try {
      Optional<OciLayout.Manifest> known = layout.manifest(ref.key());
      if (known.isPresent() && Files.isDirectory(rootfs(known.get().digest()))) {
        // Pulled before this agent started: the layout remembers it.
        cacheHits.increment();
        return new Image(
            ref, known.get().digest(), rootfs(known.get().digest()), known.get().config());
      }
      Timer.Sample sample = Timer.start(meters);
      String outcome = "failed";
      try {
        progress.accept("pulling image " + ref);
        Instant started = clock.instant();
        OciLayout.Manifest manifest = known.isPresent() ? known.get() : pull(ref, authJson);
        long bytes = manifest.layers().stream().mapToLong(OciLayout.Layer::size).sum();
        Path rootfs = rootfs(manifest.digest());
        if (!Files.isDirectory(rootfs)) {
          try {
            for (OciLayout.Layer layer : manifest.layers()) {
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
        progress.accept(
            "pulled image %s (%d layers, %.1f MB) in %.1f s"
                .formatted(ref, manifest.layers().size(), bytes / 1e6, took.toMillis() / 1000.0));
        outcome = "ok";
        cacheBytes.set(measure());
        return new Image(ref, manifest.digest(), rootfs, manifest.config());
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

  private OciLayout.Manifest pull(ImageReference ref, String authJson)
      throws IOException, InterruptedException, ImageException {
    boolean insecure = settings.insecure(ref.registry());
    List<String> command =
        new ArrayList<>(List.of(settings.skopeo(), "--policy", policy.toString()));
    command.addAll(List.of("copy", "--retry-times", "2"));
    if (insecure) {
      command.add("--src-tls-verify=false");
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
        command.addAll(List.of("--src-authfile", auth.toString()));
      } else {
        // Never the host's or root's own credentials (~/.docker, ${XDG_RUNTIME_DIR}/containers).
        command.add("--src-no-creds");
      }
      command.add(ref.transport());
      command.add("oci:" + layout.dir() + ":" + ref.key());
      ToolRun run = ToolRun.run(command, tmp, settings.pullTimeout());
      if (!run.ok()) {
        throw PullFailure.of(ref, run, insecure);
      }
    } finally {
      if (auth != null) {
        Files.deleteIfExists(auth);
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
    // Whole or not at all: a crash mid-unpack leaves only tmp, cleaned at the next start.
    Files.move(partial, rootfs, StandardCopyOption.ATOMIC_MOVE);
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

  private long measure() throws IOException {
    AtomicLong total = new AtomicLong();
    for (Path dir : List.of(layout.dir(), rootfsDir)) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
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
    }
    cacheBytes.set(total.get());
    return total.get();
  }

  /** Root of the store. */
  public Path root() {
    return root;
  }
}
