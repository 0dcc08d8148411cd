package io.mesokube.e2e.controlplane.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

class CertificateAuthorityTest {

  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  private final CertificateAuthority ca = CertificateAuthority.create("test-ca");

  @Test
  void caIsSelfSignedAndMayOnlySignCertificates() throws Exception {
    var certificate = ca.certificate().certificate();

    certificate.verify(certificate.getPublicKey());
    assertThat(certificate.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(certificate.getKeyUsage()[5]).as("keyCertSign").isTrue();
    assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=test-ca");
  }

  @Test
  void serverCertificateHasTheSubjectAlternativeNames() throws Exception {
    var server =
        ca.issueServer(
                List.of("localhost", "kubernetes.default.svc"),
                List.of(InetAddress.getLoopbackAddress()))
            .certificate();

    server.verify(ca.certificate().certificate().getPublicKey());
    assertThat(server.getBasicConstraints()).isEqualTo(-1);
    assertThat(server.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
    assertThat(sans(server))
        .containsExactlyInAnyOrder("localhost", "kubernetes.default.svc", "127.0.0.1");
    assertThat(server.getIssuerX500Principal())
        .isEqualTo(ca.certificate().certificate().getSubjectX500Principal());
  }

  @Test
  void clientCertificateCarriesUserAsCommonNameAndGroupsAsOrganizations() throws Exception {
    var client = ca.issueClient("alice", List.of("system:masters", "team")).certificate();

    client.verify(ca.certificate().certificate().getPublicKey());
    assertThat(client.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
    assertThat(client.getSubjectX500Principal().getName(X500Principal.RFC2253))
        .contains("CN=alice", "O=system:masters", "O=team");
    assertThat(client.getSerialNumber().signum()).isPositive();
  }

  @Test
  void pemTextRoundTripsThroughTheStandardHeaders() {
    var issued = ca.issueClient("bob", List.of());

    assertThat(issued.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(issued.privateKeyPem()).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    assertThat(Pem.encode(issued.keyPair().getPublic())).startsWith("-----BEGIN PUBLIC KEY-----");
  }

  private static List<String> sans(X509Certificate certificate) throws Exception {
    return certificate.getSubjectAlternativeNames().stream()
        .map(entry -> entry.get(1).toString())
        .toList();
  }
}
