package io.mesokube.e2e.controlplane.pki;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;

/** An X.509 certificate with its key pair, writable as PEM files. */
public record IssuedCertificate(X509Certificate certificate, KeyPair keyPair) {

  /** The certificate as PEM text. */
  public String certificatePem() {
    return Pem.encode(certificate);
  }

  /** The private key as PEM text (PKCS#1 for RSA, which Go and Fabric8 both read). */
  public String privateKeyPem() {
    return Pem.encode(keyPair.getPrivate());
  }

  /** Writes the certificate and the private key, each readable by its owner only. */
  public void write(Path certificateFile, Path privateKeyFile) {
    Pem.write(certificateFile, certificatePem());
    Pem.write(privateKeyFile, privateKeyPem());
  }
}
