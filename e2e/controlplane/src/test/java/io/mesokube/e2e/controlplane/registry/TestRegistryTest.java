package io.mesokube.e2e.controlplane.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Proves the registry and image utilities against the real tools: registry, skopeo, umoci. */
class TestRegistryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void pushesBusyboxWithItsConfigOnceBuilt() throws IOException {
    ImageConfig config =
        ImageConfig.NONE
            .withEntrypoint("/bin/sh", "-c")
            .withCmd("echo hello")
            .withEnv("GREETING=hello", "EMPTY=")
            .withWorkingDir("/tmp")
            .withUser("65534:65534");
    try (TestRegistry registry = TestRegistry.start(dir.resolve("registry"))) {
      String digest = TestImages.pushBusybox(registry, "tools/busybox", "1", config);

      assertThat(digest).matches("sha256:[0-9a-f]{64}");
      assertThat(TestImages.digestOf(registry, "tools/busybox", "1")).isEqualTo(digest);
      JsonNode inspected =
          JSON.readTree(
                  Commands.run(
                      "skopeo",
                      "inspect",
                      "--config",
                      "--tls-verify=false",
                      TestImages.reference(registry, "tools/busybox", "1")))
              .required("config");
      assertThat(strings(inspected.required("Entrypoint"))).containsExactly("/bin/sh", "-c");
      assertThat(strings(inspected.required("Cmd"))).containsExactly("echo hello");
      assertThat(strings(inspected.required("Env"))).contains("GREETING=hello", "EMPTY=");
      assertThat(inspected.required("WorkingDir").asText()).isEqualTo("/tmp");
      assertThat(inspected.required("User").asText()).isEqualTo("65534:65534");
      Map<String, TarArchiveEntry> rootfs = onlyLayer(registry, "tools/busybox", "1");
      assertThat(rootfs.get("bin/busybox").getSize())
          .isEqualTo(Files.size(Path.of("/bin/busybox")));
      assertThat(rootfs.get("bin/nc").getLinkName()).isEqualTo("busybox");
      assertThat(rootfs.get("tmp/").getMode() & 07777).isEqualTo(01777);
      assertThat(rootfs).containsKeys("etc/passwd", "etc/group");
      // The same image under another name is the same manifest: the layout was not rebuilt.
      assertThat(TestImages.pushBusybox(registry, "other", "2", config)).isEqualTo(digest);
    }
  }

  @Test
  void pushesLayerEntriesVerbatim() throws IOException {
    List<TarEntrySpec> entries =
        List.of(
            TarEntrySpec.dir("etc"),
            TarEntrySpec.file("../escape.txt", "out"),
            TarEntrySpec.file("/etc/evil", "absolute"),
            TarEntrySpec.charDevice("dev/evil", 1, 3),
            TarEntrySpec.symlink("link", "/etc"),
            TarEntrySpec.file("link/passwd", "through the link"),
            TarEntrySpec.hardlink("hard", "../../x"));
    try (TestRegistry registry = TestRegistry.start(dir.resolve("registry"))) {
      String digest = TestImages.pushLayers(registry, "evil", "1", entries);
      assertThat(TestImages.digestOf(registry, "evil", "1")).isEqualTo(digest);

      Map<String, TarArchiveEntry> layer = onlyLayer(registry, "evil", "1");

      assertThat(layer)
          .containsOnlyKeys(
              "etc/", "../escape.txt", "/etc/evil", "dev/evil", "link", "link/passwd", "hard");
      assertThat(layer.get("dev/evil").isCharacterDevice()).isTrue();
      assertThat(layer.get("dev/evil").getDevMajor()).isEqualTo(1);
      assertThat(layer.get("dev/evil").getDevMinor()).isEqualTo(3);
      assertThat(layer.get("link").isSymbolicLink()).isTrue();
      assertThat(layer.get("link").getLinkName()).isEqualTo("/etc");
      assertThat(layer.get("hard").isLink()).isTrue();
      assertThat(layer.get("hard").getLinkName()).isEqualTo("../../x");
    }
  }

  @Test
  void authRegistryTakesOnlyPushesWithCredentials() {
    try (TestRegistry registry =
        TestRegistry.startWithAuth(dir.resolve("registry"), "alice", "s3cret")) {
      assertThatThrownBy(() -> TestImages.pushBusybox(registry, "private", "1", ImageConfig.NONE))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("unauthorized");
      assertThatThrownBy(
              () ->
                  TestImages.pushBusybox(
                      registry, "alice", "wrong", "private", "1", ImageConfig.NONE))
          .hasMessageContaining("unauthorized");

      String digest =
          TestImages.pushBusybox(registry, "alice", "s3cret", "private", "1", ImageConfig.NONE);

      assertThat(TestImages.digestOf(registry, "private", "1")).isEqualTo(digest);
    }
  }

  @Test
  void stoppedRegistryRefusesConnections() {
    try (TestRegistry registry = TestRegistry.start(dir.resolve("registry"))) {
      TestImages.pushBusybox(registry, "busybox", "1", ImageConfig.NONE);
      String host = registry.host();

      registry.stop();

      assertThat(registry.host()).isEqualTo(host);
      assertThatThrownBy(() -> TestImages.digestOf(registry, "busybox", "1"))
          .hasMessageContaining("connection refused");
      assertThat(registry.log()).content().contains("listening on " + host);
    }
  }

  private static List<String> strings(JsonNode array) {
    return JSON.convertValue(
        array, JSON.getTypeFactory().constructCollectionType(List.class, String.class));
  }

  /** The entries, by name, of the only layer of {@code repository:tag}, copied back with skopeo. */
  private Map<String, TarArchiveEntry> onlyLayer(
      TestRegistry registry, String repository, String tag) throws IOException {
    Path layout = Files.createTempDirectory(dir, "pulled");
    Commands.run(
        "skopeo",
        "--insecure-policy",
        "copy",
        "--src-tls-verify=false",
        TestImages.reference(registry, repository, tag),
        "oci:" + layout + ":pulled");
    JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
    JsonNode manifest = JSON.readTree(blob(layout, index.required("manifests").get(0)).toFile());
    assertThat(manifest.required("layers")).hasSize(1);
    Map<String, TarArchiveEntry> entries = new HashMap<>();
    try (InputStream file = Files.newInputStream(blob(layout, manifest.required("layers").get(0)));
        TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(file))) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        entries.put(entry.getName(), entry);
      }
    }
    return entries;
  }

  private static Path blob(Path layout, JsonNode descriptor) {
    return layout
        .resolve("blobs/sha256")
        .resolve(descriptor.required("digest").asText().substring("sha256:".length()));
  }
}
