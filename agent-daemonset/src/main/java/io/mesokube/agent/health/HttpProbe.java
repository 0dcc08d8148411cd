package io.mesokube.agent.health;

import io.mesokube.api.v1alpha1.task.HealthCheckSpec;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/** An HTTP(S) check: GET {@code scheme://host:port/path}, healthy on 200 to 399 as in Mesos. */
final class HttpProbe implements Probe {
  private final HttpClient client;
  private final ScheduledExecutorService scheduler;
  private final URI uri;
  private final String what;

  HttpProbe(
      HttpClient client,
      ScheduledExecutorService scheduler,
      String host,
      HealthCheckSpec.Http http) {
    this.client = client;
    this.scheduler = scheduler;
    HealthCheckSpec.Http.Scheme scheme =
        http.scheme() == null ? HealthCheckSpec.Http.Scheme.HTTP : http.scheme();
    String path = http.path() == null ? "/" : http.path();
    // Built as text, like Mesos' curl URL, so that a path with a query string stays one.
    this.uri =
        URI.create(
            scheme.name().toLowerCase(Locale.ROOT)
                + "://"
                + (host.contains(":") ? "[" + host + "]" : host)
                + ":"
                + http.port()
                + (path.startsWith("/") ? path : "/" + path));
    this.what = "HTTP GET " + uri;
  }

  @Override
  public CompletableFuture<Outcome> start(Duration timeout) {
    CompletableFuture<HttpResponse<Void>> exchange =
        client.sendAsync(
            HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.discarding());
    CompletableFuture<Outcome> result =
        exchange.handle(
            (response, error) ->
                error != null
                    ? new Outcome(false, what + " failed: " + ProbeSupport.describe(error))
                    : new Outcome(
                        response.statusCode() >= 200 && response.statusCode() < 400,
                        what + " returned " + response.statusCode()));
    // Cancelling the exchange closes its connection; after an answer it is a no-op.
    ProbeSupport.deadline(result, timeout, scheduler, what, () -> exchange.cancel(true));
    return result;
  }

  /**
   * The client all HTTP checks of an agent share (one selector thread, not one per task). It speaks
   * HTTP/1.1 only, like curl on a plain URL, so a task's server never sees an h2c upgrade; it does
   * not follow redirects, so a 3xx is the task's own answer and a check never leaves the task for
   * another host; and, as Mesos' curl {@code -k}, it verifies neither the certificate nor the host
   * name of an HTTPS task: the check asks "does the task answer", and tasks serve self-signed
   * certificates for names that are not 127.0.0.1.
   */
  static HttpClient newClient() {
    try {
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, new TrustManager[] {new TrustingManager()}, null);
      return HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .sslContext(tls)
          .build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no TLS in this JDK", e);
    }
  }

  /**
   * Trusts every server. An {@link X509ExtendedTrustManager}, because for those the JDK leaves host
   * name verification to the trust manager too; a plain one would still get it.
   */
  private static final class TrustingManager extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
