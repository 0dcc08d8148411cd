package io.mesokube.agent.containers;

import io.mesokube.agent.images.ImageException;
import io.mesokube.agent.images.ImageStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * What container tasks need on this agent: the image store, the OCI runtime, where pulls run (never
 * on the task manager's thread: a pull may take minutes) and how pull secrets are read. Or, on a
 * host without the tools, why container tasks cannot run here.
 */
public final class Containers {
  /** Reads registry credentials: the Docker config JSON of a pull secret. */
  @FunctionalInterface
  public interface PullSecrets {
    /**
     * The {@code .dockerconfigjson} of Secret {@code name} in {@code namespace}.
     *
     * @throws ImageException when it does not exist or is not a {@code
     *     kubernetes.io/dockerconfigjson} Secret
     */
    String dockerConfig(String namespace, String name) throws ImageException;
  }

  private final ImageStore images;
  private final OciRuntime runtime;
  private final ExecutorService pulls;
  private final PullSecrets secrets;
  private final String unavailable;

  private Containers(
      ImageStore images,
      OciRuntime runtime,
      ExecutorService pulls,
      PullSecrets secrets,
      String unavailable) {
    this.images = images;
    this.runtime = runtime;
    this.pulls = pulls;
    this.secrets = secrets;
    this.unavailable = unavailable;
  }

  /** Container support. */
  public static Containers of(
      ImageStore images, OciRuntime runtime, ExecutorService pulls, PullSecrets secrets) {
    return new Containers(images, runtime, pulls, secrets, null);
  }

  /** No container support, and why (a missing tool, say): container tasks fail with it. */
  public static Containers unavailable(String why) {
    return new Containers(null, null, null, null, why);
  }

  /** Why container tasks cannot run here, or null if they can. */
  public String unavailable() {
    return unavailable;
  }

  /** The OCI runtime; only when available. */
  public OciRuntime runtime() {
    return runtime;
  }

  /** The image store; only when available. */
  public ImageStore images() {
    return images;
  }

  /**
   * Provides {@code image} on the pull executor, with the credentials of {@code pullSecret} (in
   * {@code namespace}) if one is named; {@code progress} is told how a pull advances (see {@link
   * ImageStore#provide}). Cancelling the future (the task was killed) stops waiting for the image,
   * and stops its pull if no other task waits for it.
   */
  public CompletableFuture<ImageStore.Provided> provide(
      String namespace, String image, String pullSecret, Consumer<String> progress) {
    var result = new CompletableFuture<ImageStore.Provided>();
    Future<?> work =
        pulls.submit(
            () -> {
              try {
                String auth =
                    pullSecret == null ? null : secrets.dockerConfig(namespace, pullSecret);
                result.complete(images.provide(image, auth, progress));
              } catch (InterruptedException e) {
                result.cancel(false);
              } catch (ImageException | RuntimeException e) {
                result.completeExceptionally(e);
              }
            });
    result.whenComplete(
        (provided, error) -> {
          if (result.isCancelled()) {
            work.cancel(true);
          }
        });
    return result;
  }
}
