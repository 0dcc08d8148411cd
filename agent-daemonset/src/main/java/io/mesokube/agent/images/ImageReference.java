package io.mesokube.agent.images;

import io.mesokube.api.v1alpha1.common.Patterns;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * An image reference, {@code [registry[:port]/]repository[:tag][@digest]}, resolved as Docker
 * resolves it: the first path component names a registry only if it holds a dot or a colon or is
 * {@code localhost}; otherwise the image is on the default registry, where a one-component
 * repository is an official image ({@code library/}). Without tag or digest the tag is {@code
 * latest}.
 *
 * <p>The Task schema checks the same pattern ({@link Patterns#IMAGE}); the agent checks again, as
 * Tasks written before a schema change, or by a client that skipped validation, reach it too.
 *
 * @param registry host[:port] of the registry
 * @param repository the repository path, e.g. {@code tools/busybox}
 * @param tag the tag, or null when only a digest is given
 * @param digest {@code sha256:<hex>} or {@code sha512:<hex>}, or null
 */
public record ImageReference(String registry, String repository, String tag, String digest) {
  private static final Pattern VALID = Pattern.compile(Patterns.IMAGE);

  /**
   * A repository path. The schema's pattern lets a first component with capitals through as a
   * registry; by Docker's rule it is none (no dot, no colon), so it must pass as a repository here.
   */
  private static final Pattern REPOSITORY =
      Pattern.compile("^[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*$");

  /** Where images without a registry come from (Docker's default, as in Mesos). */
  public static final String DEFAULT_REGISTRY = "docker.io";

  /** Parses {@code image}, resolving a missing registry to {@code defaultRegistry}. */
  public static ImageReference parse(String image, String defaultRegistry) {
    if (image == null || image.length() > 512 || !VALID.matcher(image).matches()) {
      throw new IllegalArgumentException(
          "invalid image reference '"
              + image
              + "': expected [registry[:port]/]repository[:tag][@sha256:<64 hex digits>]");
    }
    String rest = image;
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
    }
    String registry = defaultRegistry;
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        registry = first;
        rest = rest.substring(slash + 1);
      }
    }
    if (!REPOSITORY.matcher(rest).matches()) {
      throw new IllegalArgumentException(
          "invalid image reference '"
              + image
              + "': repository '"
              + rest
              + "' must be lower-case path components (a registry needs a dot or a port)");
    }
    if (registry.equals(DEFAULT_REGISTRY) && !rest.contains("/")) {
      rest = "library/" + rest;
    }
    if (tag == null && digest == null) {
      tag = "latest";
    }
    return new ImageReference(registry, rest, tag, digest);
  }

  /**
   * The reference in skopeo's {@code docker://} transport. A digest pins the image, so the tag is
   * left out (skopeo takes one or the other).
   */
  public String transport() {
    return "docker://" + registry + "/" + repository + (digest != null ? "@" + digest : ":" + tag);
  }

  /** The canonical form, e.g. {@code registry.local:5000/tools/busybox:1.36}. */
  @Override
  public String toString() {
    return registry
        + "/"
        + repository
        + (tag != null ? ":" + tag : "")
        + (digest != null ? "@" + digest : "");
  }

  /**
   * This reference's name in the agent's image layout: fixed length, made of characters every OCI
   * layout tool accepts, one per canonical reference.
   */
  public String key() {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(toString().getBytes(StandardCharsets.UTF_8));
      return "ref-" + HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
