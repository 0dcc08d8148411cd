package io.mesokube.api.v1alpha1.common;

/** Regular expressions used by the schema (OpenAPI {@code pattern}) and by Java-side checks. */
public final class Patterns {
  /**
   * A Mesos role path: {@code *}, or segments such as {@code eng/frontend} separated by single
   * slashes. A segment starts with a letter, digit or underscore (so {@code .}, {@code ..} and
   * {@code -x} are refused) and continues with letters, digits, {@code _ . -}.
   */
  public static final String ROLE =
      "^(\\*|[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*)$";

  /**
   * A Kubernetes object name (DNS-1123 subdomain: dot-separated labels of lower-case letters,
   * digits and inner '-'), used for references to other objects.
   */
  public static final String OBJECT_NAME =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /**
   * An HTTP path to request: starts with '/', then visible ASCII only (no space or control
   * character, which no request line can carry).
   */
  public static final String HTTP_PATH = "^/[\\x21-\\x7E]*$";

  /**
   * An OCI image reference: optional registry host[:port], a lower-case repository path, and a tag
   * and/or a sha256/sha512 digest.
   */
  public static final String IMAGE =
      "^([A-Za-z0-9][A-Za-z0-9.-]*(:[0-9]+)?/)?[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*"
          + "(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64}|@sha512:[a-f0-9]{128})?$";

  /** A POSIX user name, for the user a task runs as. */
  public static final String USER = "^[a-z_][a-z0-9_-]*[$]?$";

  /** A Mesos reason code, e.g. {@code REASON_CONTAINER_LIMITATION_MEMORY}. */
  public static final String REASON = "^REASON_[A-Z0-9_]+$";

  private Patterns() {}
}
