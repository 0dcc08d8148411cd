package io.mesokube.agent.images;

import java.util.Locale;

/**
 * Turns skopeo's error line into an {@link ImageException} that says what happened in words a user
 * can act on. skopeo's messages are the registry's own (Docker Registry HTTP API errors such as
 * {@code manifest unknown}, {@code unauthorized}) wrapped in Go's network errors.
 */
final class PullFailure {
  private PullFailure() {}

  static ImageException of(ImageReference ref, ToolRun run, boolean insecure) {
    if (run.exitCode() == -1) {
      return new ImageException(
          ImageException.Kind.TIMEOUT, "pulling " + ref + " timed out: " + run.lastLine());
    }
    String line = run.lastLine();
    String detail = skopeoMessage(line);
    String lower = line.toLowerCase(Locale.ROOT);
    if (lower.contains("unauthorized")
        || lower.contains("authentication required")
        || lower.contains("denied")
        || lower.contains("invalid username/password")) {
      return new ImageException(
          ImageException.Kind.UNAUTHORIZED,
          "registry " + ref.registry() + " refused the credentials for " + ref + ": " + detail);
    }
    if (lower.contains("manifest unknown")
        || lower.contains("name unknown")
        || lower.contains("not found")) {
      return new ImageException(
          ImageException.Kind.NOT_FOUND,
          (ref.digest() != null ? "no image with digest " + ref.digest() + " in " : "no image ")
              + ref
              + " on registry "
              + ref.registry()
              + ": "
              + detail);
    }
    if (lower.contains("digest")
        && (lower.contains("mismatch") || lower.contains("does not match"))) {
      return new ImageException(
          ImageException.Kind.DIGEST_MISMATCH,
          "what registry "
              + ref.registry()
              + " served for "
              + ref
              + " does not match its digest: "
              + detail);
    }
    if (lower.contains("http response to https client")) {
      return new ImageException(
          ImageException.Kind.UNREACHABLE,
          "registry "
              + ref.registry()
              + " speaks plain HTTP; list it in mesokube.agent.containers.insecure-registries"
              + (insecure ? "" : " to pull from it")
              + ": "
              + detail);
    }
    if (lower.contains("connection refused")
        || lower.contains("no such host")
        || lower.contains("i/o timeout")
        || lower.contains("dial tcp")
        || lower.contains("connection reset")
        || lower.contains("tls:")) {
      return new ImageException(
          ImageException.Kind.UNREACHABLE,
          "registry " + ref.registry() + " cannot be reached: " + detail);
    }
    return new ImageException(ImageException.Kind.FAILED, "pulling " + ref + " failed: " + detail);
  }

  /** The {@code msg="..."} of a logrus line, unquoted; the line itself otherwise. */
  static String skopeoMessage(String line) {
    int start = line.indexOf("msg=\"");
    if (start < 0) {
      return line;
    }
    int end = line.lastIndexOf('"');
    String msg = end > start + 5 ? line.substring(start + 5, end) : line.substring(start + 5);
    return msg.replace("\\\"", "\"");
  }
}
