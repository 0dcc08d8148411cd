package io.mesokube.e2e.controlplane;

import io.mesokube.e2e.controlplane.pki.IssuedCertificate;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Asks a component's health endpoint whether it is ready. HTTPS requests trust only the control
 * plane's CA and present the admin client certificate (kube-apiserver's /readyz needs none, but the
 * verbose failure reasons are more useful than a 401).
 */
final class HealthProbe implements AutoCloseable {

  /** What one probe saw: ready or not, and a short reason for error messages. */
  record Result(boolean ready, String detail) {}

  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  private final HttpClient client;

  HealthProbe(X509Certificate ca, IssuedCertificate clientCertificate) {
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .sslContext(sslContext(ca, clientCertificate))
            .build();
  }

  /** GETs the URL; ready means HTTP 200. */
  Result probe(URI url) {
    try {
      var response =
          client.send(
              HttpRequest.newBuilder(url).timeout(TIMEOUT).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      var body = response.body().strip();
      return new Result(
          response.statusCode() == 200,
          "HTTP %d from %s: %s".formatted(response.statusCode(), url, abbreviate(body)));
    } catch (IOException e) {
      return new Result(false, url + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(false, url + ": interrupted");
    }
  }

  private static String abbreviate(String body) {
    return body.length() <= 2000 ? body : body.substring(0, 2000) + " ...";
  }

  private static SSLContext sslContext(X509Certificate ca, IssuedCertificate client) {
    try {
      var trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", ca);
      var trustManagers =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trustManagers.init(trust);
      var keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      var password = new char[0];
      keys.setKeyEntry(
          "client",
          client.keyPair().getPrivate(),
          password,
          new X509Certificate[] {client.certificate()});
      var keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(keys, password);
      var context = SSLContext.getInstance("TLS");
      context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the TLS context for health checks", e);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
