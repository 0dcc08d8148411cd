package io.mesokube.agent.sandbox;

import java.util.regex.Pattern;

/**
 * The Kubernetes name forms a sandbox path is built from. Nothing else may become a path segment:
 * these forms exclude {@code /}, {@code .} and {@code ..}, so a sandbox path cannot leave the root.
 */
enum SandboxNames {
  /** A namespace: a DNS-1123 label. */
  NAMESPACE("namespace", "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?", 63),
  /** A custom resource's name: a DNS-1123 subdomain. */
  TASK_NAME("task name", "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*", 253),
  /** metadata.uid: an RFC 4122 UUID as the API server writes it. */
  TASK_UID("task UID", "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", 36);

  private final String what;
  private final Pattern pattern;
  private final int maxLength;

  SandboxNames(String what, String regex, int maxLength) {
    this.what = what;
    this.pattern = Pattern.compile(regex);
    this.maxLength = maxLength;
  }

  boolean valid(String value) {
    return value != null && value.length() <= maxLength && pattern.matcher(value).matches();
  }

  /** Returns {@code value} or throws {@link IllegalArgumentException} naming the expected form. */
  String check(String value) {
    if (!valid(value)) {
      throw new IllegalArgumentException(
          "Invalid %s '%s': expected %s of at most %d characters"
              .formatted(what, value, pattern, maxLength));
    }
    return value;
  }
}
