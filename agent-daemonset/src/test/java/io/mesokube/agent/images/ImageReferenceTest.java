package io.mesokube.agent.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageReferenceTest {
  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  @Test
  void aRegistryIsNamedByADotAColonOrLocalhost() {
    assertThat(ImageReference.parse("registry.local:5000/tools/busybox:1.36", "docker.io"))
        .isEqualTo(new ImageReference("registry.local:5000", "tools/busybox", "1.36", null));
    assertThat(ImageReference.parse("127.0.0.1:5000/busybox", "docker.io"))
        .isEqualTo(new ImageReference("127.0.0.1:5000", "busybox", "latest", null));
    assertThat(ImageReference.parse("localhost/tools/x", "docker.io").registry())
        .isEqualTo("localhost");
    assertThat(ImageReference.parse("tools/busybox:1", "docker.io"))
        .as("tools is a namespace on the default registry")
        .isEqualTo(new ImageReference("docker.io", "tools/busybox", "1", null));
  }

  @Test
  void officialImagesOfTheDefaultRegistryAreInLibrary() {
    assertThat(ImageReference.parse("busybox", "docker.io"))
        .isEqualTo(new ImageReference("docker.io", "library/busybox", "latest", null));
    assertThat(ImageReference.parse("busybox", "mirror.local").repository())
        .as("only Docker's default registry has library/")
        .isEqualTo("busybox");
  }

  @Test
  void aDigestPinsTheImageAndWinsOverTheTagInTheTransport() {
    var ref = ImageReference.parse("registry.local/tools/busybox:1.36@" + DIGEST, "docker.io");
    assertThat(ref.tag()).isEqualTo("1.36");
    assertThat(ref.digest()).isEqualTo(DIGEST);
    assertThat(ref.transport()).isEqualTo("docker://registry.local/tools/busybox@" + DIGEST);
    assertThat(ref.toString()).isEqualTo("registry.local/tools/busybox:1.36@" + DIGEST);
    var pinned = ImageReference.parse("registry.local/tools/busybox@" + DIGEST, "docker.io");
    assertThat(pinned.tag()).isNull();
  }

  @Test
  void keysAreStableFixedLengthAndDistinct() {
    var a = ImageReference.parse("registry.local/tools/busybox:1.36", "docker.io");
    var b = ImageReference.parse("registry.local/tools/busybox:1.37", "docker.io");
    assertThat(a.key()).isEqualTo(ImageReference.parse(a.toString(), "x").key());
    assertThat(a.key()).matches("ref-[0-9a-f]{32}").isNotEqualTo(b.key());
  }

  @Test
  void invalidReferencesAreRefusedWithTheExpectedForm() {
    for (String bad :
        new String[] {
          "",
          "registry.local/../etc",
          "busybox:1.36@sha256:short",
          "a b",
          "-x/y",
          "registry.local/tools/busybox:" + "t".repeat(129)
        }) {
      assertThatThrownBy(() -> ImageReference.parse(bad, "docker.io"))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[registry[:port]/]repository[:tag]");
    }
    assertThatThrownBy(() -> ImageReference.parse("UPPER/case", "docker.io"))
        .as("not a registry (no dot, no port), so not a valid repository")
        .hasMessageContaining("repository 'UPPER/case' must be lower-case");
    assertThatThrownBy(() -> ImageReference.parse(null, "docker.io"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
