package io.mesokube.operator.http;

import static java.nio.charset.StandardCharsets.UTF_8;

import jakarta.ws.rs.core.HttpHeaders;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The agent's side of the files proxy: the URI asked for, and the response headers passed on. */
final class AgentUris {
  private static final Set<String> SCHEMES = Set.of("http", "https");

  /** What comes back of an agent's headers; anything else (cookies, caching...) stays behind. */
  private static final List<String> PASSED_ON =
      List.of(
          HttpHeaders.CONTENT_TYPE, HttpHeaders.CONTENT_LENGTH, HttpHeaders.CONTENT_DISPOSITION);

  private AgentUris() {}

  /**
   * {@code <endpoint>/files/<operation>?path=&offset=&length=} with the parameters that are not
   * null, or empty if {@code endpoint} is not an http(s) base URL. A base URL has a host and may
   * have a path, but no user info (no credentials in a status), query or fragment.
   */
  static Optional<URI> files(
      String endpoint, String operation, String path, String offset, String length) {
    if (endpoint == null) {
      return Optional.empty();
    }
    URI base;
    try {
      base = new URI(endpoint);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
    String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
    if (!SCHEMES.contains(scheme)
        || base.getHost() == null
        || base.getRawUserInfo() != null
        || base.getRawQuery() != null
        || base.getRawFragment() != null) {
      return Optional.empty();
    }
    String prefix = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
    StringBuilder query = new StringBuilder();
    param(query, "path", path);
    param(query, "offset", offset);
    param(query, "length", length);
    return Optional.of(
        URI.create(
            scheme
                + "://"
                + base.getRawAuthority()
                + prefix
                + "/files/"
                + operation
                + (query.isEmpty() ? "" : "?" + query)));
  }

  // Form encoding, but a space as %20: '+' means a space only to form decoders, and a literal '+'
  // is already %2B by then.
  private static void param(StringBuilder query, String name, String value) {
    if (value == null) {
      return;
    }
    if (!query.isEmpty()) {
      query.append('&');
    }
    query.append(name).append('=').append(URLEncoder.encode(value, UTF_8).replace("+", "%20"));
  }

  /** The agent's headers that the caller gets too, by their canonical names. */
  static Map<String, String> passedOn(java.net.http.HttpHeaders headers) {
    Map<String, String> kept = new LinkedHashMap<>();
    for (String name : PASSED_ON) {
      headers.firstValue(name).ifPresent(value -> kept.put(name, value));
    }
    return kept;
  }
}
