package io.mesokube.operator.http;

import java.util.Locale;

/** How a proxied files request ended: the {@code outcome} tag of its timer. */
enum Outcome {
  /** The agent answered 2xx and the body was passed on whole. */
  OK,
  /** The agent answered with an error (4xx, 5xx), passed on whole. */
  AGENT_ERROR,
  /** The agent name is not a DNS-1123 subdomain: 400. */
  BAD_NAME,
  /** Not browse, read or download: 404. */
  UNKNOWN_OPERATION,
  /** No Agent of that name: 404. */
  UNKNOWN_AGENT,
  /** The Agent is not Active, has no usable endpoint, or the cache is not synced yet: 503. */
  UNAVAILABLE,
  /** The agent refused the connection, broke it, or answered with a redirect: 502. */
  BAD_GATEWAY,
  /** No connection or no answer in time: 504. */
  TIMEOUT,
  /** The body broke off (agent silent, gone, or the client went away): truncated. */
  TRUNCATED;

  String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
