package io.mesokube.agent.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CidrTest {
  @Test
  void matchesIpLiteralsInTheBlockOnly() {
    Cidr loopback = Cidr.parse("127.0.0.0/8");
    assertThat(loopback.contains("127.0.0.1")).isTrue();
    assertThat(loopback.contains("127.255.1.2")).isTrue();
    assertThat(loopback.contains("128.0.0.1")).isFalse();
    assertThat(loopback.contains("localhost")).as("names are never resolved").isFalse();
    assertThat(loopback.contains("::1")).isFalse();
    assertThat(Cidr.parse("fd00::/8").contains("fd12::3")).isTrue();
    assertThat(Cidr.parse("10.1.2.3/32").contains("10.1.2.3")).isTrue();
    assertThat(Cidr.parse("0.0.0.0/0").contains("8.8.8.8")).isTrue();
  }

  @Test
  void invalidBlocksAreRefused() {
    for (String bad :
        new String[] {"127.0.0.0", "127.0.0.0/33", "host.local/8", "1.2.3.4/x", "/8"}) {
      assertThatThrownBy(() -> Cidr.parse(bad)).as(bad).hasMessageContaining("invalid CIDR");
    }
  }

  @Test
  void registriesAreInsecureByNameOrByBlock() {
    var settings =
        new ImageStore.Settings(
            "docker.io",
            Set.of("127.0.0.0/8", "registry.local:5000", "[fd00::1]:5000"),
            Duration.ofSeconds(1),
            1,
            "skopeo",
            "umoci",
            Duration.ofSeconds(10),
            ImageStore.Settings.LINK_LOCAL);
    assertThat(settings.insecure("127.0.0.1:5000")).isTrue();
    assertThat(settings.insecure("registry.local:5000")).isTrue();
    assertThat(settings.insecure("registry.local:5001")).isFalse();
    assertThat(settings.insecure("10.0.0.1:5000")).isFalse();
    assertThat(settings.insecure("[fd00::1]:5000")).isTrue();
    assertThat(Cidr.host("[fd00::1]:5000")).isEqualTo("fd00::1");
    assertThat(Cidr.host("fd00::1")).isEqualTo("fd00::1");
    assertThatThrownBy(
            () ->
                new ImageStore.Settings(
                    "docker.io",
                    Set.of("10.0.0.0/99"),
                    Duration.ofSeconds(1),
                    1,
                    "a",
                    "b",
                    Duration.ofSeconds(10),
                    ImageStore.Settings.LINK_LOCAL))
        .hasMessageContaining("invalid CIDR block '10.0.0.0/99'");
  }

  @Test
  void registriesInADeniedNetworkAreRefusedByAddressOrByWhatTheirNameResolvesTo() {
    var byDefault =
        new ImageStore.Settings(
            "docker.io",
            Set.of(),
            Duration.ofSeconds(1),
            1,
            "a",
            "b",
            Duration.ofSeconds(10),
            ImageStore.Settings.LINK_LOCAL);
    assertThat(byDefault.denied("169.254.169.254")).get().asString().contains("169.254.0.0/16");
    assertThat(byDefault.denied("169.254.169.254:80")).isPresent();
    assertThat(byDefault.denied("[fe80::1]:5000")).get().asString().contains("fe80::/10");
    assertThat(byDefault.denied("127.0.0.1:5000")).isEmpty();
    assertThat(byDefault.denied("no-such-registry.invalid")).as("left to the pull").isEmpty();

    var loopbackToo =
        new ImageStore.Settings(
            "docker.io",
            Set.of(),
            Duration.ofSeconds(1),
            1,
            "a",
            "b",
            Duration.ofSeconds(10),
            Set.of("127.0.0.0/8"));
    assertThat(loopbackToo.denied("localhost:5000")).as("by its name's address").isPresent();
    assertThat(loopbackToo.denied("169.254.169.254")).as("only what is configured").isEmpty();
    assertThatThrownBy(
            () ->
                new ImageStore.Settings(
                    "docker.io",
                    Set.of(),
                    Duration.ofSeconds(1),
                    1,
                    "a",
                    "b",
                    Duration.ofSeconds(10),
                    Set.of("not-a-block")))
        .hasMessageContaining("invalid CIDR block 'not-a-block'");
  }
}
