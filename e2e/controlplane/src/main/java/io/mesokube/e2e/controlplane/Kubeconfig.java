package io.mesokube.e2e.controlplane;

import io.mesokube.e2e.controlplane.pki.IssuedCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

/** Writes self-contained kubeconfig files (certificates embedded) for client-certificate users. */
final class Kubeconfig {

  private Kubeconfig() {}

  /** Writes a kubeconfig with one cluster, one user and one current context named "mesokube". */
  static Path write(Path file, URI server, String caPem, IssuedCertificate user) {
    var yaml =
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mesokube
          cluster:
            server: %s
            certificate-authority-data: %s
        users:
        - name: %s
          user:
            client-certificate-data: %s
            client-key-data: %s
        contexts:
        - name: mesokube
          context:
            cluster: mesokube
            user: %s
            namespace: default
        current-context: mesokube
        """
            .formatted(
                server,
                base64(caPem),
                userName(user),
                base64(user.certificatePem()),
                base64(user.privateKeyPem()),
                userName(user));
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, yaml);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return file;
  }

  private static String userName(IssuedCertificate user) {
    // A YAML-safe, stable name; the identity itself is in the certificate.
    return "user-" + user.certificate().getSerialNumber().toString(16);
  }

  private static String base64(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
  }
}
