package io.mesokube.e2e.controlplane.pki;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/** PEM encoding of keys and certificates, and writing them to owner-only files. */
public final class Pem {

  private Pem() {}

  /** PEM text of a certificate, a private key (PKCS#1 for RSA) or a public key. */
  public static String encode(Object keyOrCertificate) {
    var text = new StringWriter();
    try (var writer = new JcaPEMWriter(text)) {
      writer.writeObject(keyOrCertificate);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  /** Writes PEM text to a file readable by its owner only, creating parent directories. */
  public static void write(Path file, String pem) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, pem);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
