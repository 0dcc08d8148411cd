package io.mesokube.e2e.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.mesokube.e2e.controlplane.pki.CertificateAuthority;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeconfigTest {

  @Test
  void fabric8ReadsTheWrittenKubeconfig(@TempDir Path dir) throws Exception {
    var ca = CertificateAuthority.create("test-ca");
    var user = ca.issueClient("alice", List.of("devs"));

    var file =
        Kubeconfig.write(
            dir.resolve("a/b.kubeconfig"),
            URI.create("https://127.0.0.1:6443"),
            ca.certificate().certificatePem(),
            user);

    var config = Config.fromKubeconfig(file.toFile());
    assertThat(config.getMasterUrl()).startsWith("https://127.0.0.1:6443");
    assertThat(config.getNamespace()).isEqualTo("default");
    assertThat(decode(config.getClientCertData())).isEqualTo(user.certificatePem());
    assertThat(decode(config.getClientKeyData())).isEqualTo(user.privateKeyPem());
    assertThat(decode(config.getCaCertData())).isEqualTo(ca.certificate().certificatePem());
    assertThat(Files.getPosixFilePermissions(file))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.US_ASCII);
  }
}
