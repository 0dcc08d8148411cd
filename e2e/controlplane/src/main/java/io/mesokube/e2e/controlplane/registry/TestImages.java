package io.mesokube.e2e.controlplane.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds test images and pushes them with skopeo to a {@link TestRegistry}: Debian's static busybox
 * with a chosen configuration, or one layer of arbitrary (even malicious) tar entries.
 *
 * <p>Every push returns the digest of the pushed manifest ({@code sha256:...}); every failing tool
 * throws an {@link IllegalStateException} naming the command and showing its output.
 */
public final class TestImages {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestImages() {}

  /**
   * Pushes, anonymously, busybox (with sh, echo, cat, sleep, ls, id, env, yes, head, dd, wc, nc,
   * wget, true, false, mkdir, touch; /tmp; root and nobody in /etc/passwd and /etc/group) as {@code
   * repository:tag}, with {@code config}.
   */
  public static String pushBusybox(
      TestRegistry registry, String repository, String tag, ImageConfig config) {
    return pushBusybox(registry, Optional.empty(), repository, tag, config);
  }

  /**
   * As {@link #pushBusybox(TestRegistry, String, String, ImageConfig)}, logged in as {@code user}.
   */
  public static String pushBusybox(
      TestRegistry registry,
      String user,
      String password,
      String repository,
      String tag,
      ImageConfig config) {
    return pushBusybox(registry, Optional.of(user + ":" + password), repository, tag, config);
  }

  /**
   * A layer's entries: {@code data/} and {@code data/noise}, the base64 of {@code bytes} random
   * bytes (from {@code seed}): about {@code bytes} once gzip has done what it can, so that a pull
   * of it takes its time through a {@link ThrottledProxy}. The file has {@code 4 * bytes / 3}
   * characters.
   */
  public static List<TarEntrySpec> noise(int bytes, long seed) {
    byte[] noise = new byte[bytes];
    new java.util.Random(seed).nextBytes(noise);
    return List.of(
        TarEntrySpec.dir("data/"),
        TarEntrySpec.file("data/noise", java.util.Base64.getEncoder().encodeToString(noise)));
  }

  /**
   * As {@link #pushBusybox(TestRegistry, String, String, ImageConfig)}, with one more layer on top
   * holding {@code layer}.
   */
  public static String pushBusyboxWith(
      TestRegistry registry,
      String repository,
      String tag,
      ImageConfig config,
      List<TarEntrySpec> layer) {
    BusyboxLayout busybox = BusyboxLayout.get();
    synchronized (busybox) {
      try {
        return copy(busybox.source(config, layer), registry, Optional.empty(), repository, tag);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot add a layer to busybox", e);
      }
    }
  }

  /**
   * Pushes, anonymously, an image of one layer holding {@code entries} in order, verbatim, as
   * {@code repository:tag}; its configuration has nothing set.
   */
  public static String pushLayers(
      TestRegistry registry, String repository, String tag, List<TarEntrySpec> entries) {
    Path layout = null;
    try {
      layout = Files.createTempDirectory("mesokube-layers");
      SingleLayerLayout.write(layout, tag, entries);
      return copy("oci:" + layout + ":" + tag, registry, Optional.empty(), repository, tag);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the layout of " + repository + ":" + tag, e);
    } finally {
      if (layout != null) {
        Trees.delete(layout);
      }
    }
  }

  /**
   * The digest of the manifest that {@code repository:tag} names in {@code registry}, read with the
   * registry's own credentials if it has some.
   */
  public static String digestOf(TestRegistry registry, String repository, String tag) {
    List<String> command =
        new ArrayList<>(List.of("skopeo", "inspect", "--tls-verify=false", "--no-tags"));
    registry
        .credentials()
        .ifPresentOrElse(
            credentials -> command.addAll(List.of("--creds", credentials)),
            () -> command.add("--no-creds"));
    command.add(reference(registry, repository, tag));
    try {
      return JSON.readTree(Commands.run(command)).required("Digest").asText();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read what " + String.join(" ", command) + " says", e);
    }
  }

  /** {@code docker://HOST/REPOSITORY:TAG}, the skopeo name of an image in {@code registry}. */
  static String reference(TestRegistry registry, String repository, String tag) {
    return "docker://" + registry.host() + "/" + repository + ":" + tag;
  }

  private static String pushBusybox(
      TestRegistry registry,
      Optional<String> credentials,
      String repository,
      String tag,
      ImageConfig config) {
    BusyboxLayout busybox = BusyboxLayout.get();
    synchronized (busybox) {
      return copy(busybox.source(config), registry, credentials, repository, tag);
    }
  }

  /** Copies {@code source} to the registry with skopeo; returns the pushed manifest's digest. */
  private static String copy(
      String source,
      TestRegistry registry,
      Optional<String> credentials,
      String repository,
      String tag) {
    Path digestFile = null;
    try {
      digestFile = Files.createTempFile("mesokube-digest", ".txt");
      // --insecure-policy: the machine's signature policy has nothing to say about test images.
      List<String> command =
          new ArrayList<>(
              List.of(
                  "skopeo",
                  "--insecure-policy",
                  "copy",
                  "--quiet",
                  "--dest-tls-verify=false",
                  "--digestfile",
                  digestFile.toString()));
      // --dest-no-creds: no login left in an auth file may slip into an anonymous push.
      credentials.ifPresentOrElse(
          c -> command.addAll(List.of("--dest-creds", c)), () -> command.add("--dest-no-creds"));
      command.addAll(List.of(source, reference(registry, repository, tag)));
      Commands.run(command);
      return Files.readString(digestFile).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot push " + source, e);
    } finally {
      if (digestFile != null) {
        Trees.delete(digestFile);
      }
    }
  }
}
