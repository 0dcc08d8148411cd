package io.mesokube.agent.images;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** skopeo's error lines as skopeo 1.9 prints them against a distribution registry. */
class PullFailureTest {
  private static final ImageReference REF =
      ImageReference.parse("127.0.0.1:5999/tools/busybox:1.36", "docker.io");

  @Test
  void classifiesWhatTheRegistrySaid() {
    assertKind(
        "time=\"2026-11-26T03:14:24Z\" level=fatal msg=\"initializing source"
            + " docker://127.0.0.1:5999/tools/nothere:1: reading manifest 1 in"
            + " 127.0.0.1:5999/tools/nothere: manifest unknown: manifest unknown\"",
        ImageException.Kind.NOT_FOUND,
        "no image 127.0.0.1:5999/tools/busybox:1.36 on registry 127.0.0.1:5999: initializing");
    assertKind(
        "level=fatal msg=\"initializing source docker://127.0.0.1:5998/tools/busybox:1.36: pinging"
            + " container registry 127.0.0.1:5998: Get \\\"http://127.0.0.1:5998/v2/\\\": dial tcp"
            + " 127.0.0.1:5998: connect: connection refused\"",
        ImageException.Kind.UNREACHABLE,
        "cannot be reached: initializing source");
    assertKind(
        "level=fatal msg=\"initializing source docker://x: reading manifest 1.36 in x: unauthorized:"
            + " authentication required\"",
        ImageException.Kind.UNAUTHORIZED,
        "refused the credentials");
    assertKind(
        "level=fatal msg=\"pinging container registry 127.0.0.1:5999: Get"
            + " \\\"https://127.0.0.1:5999/v2/\\\": http: server gave HTTP response to HTTPS"
            + " client\"",
        ImageException.Kind.UNREACHABLE,
        "list it in mesokube.agent.containers.insecure-registries");
    assertKind(
        "level=fatal msg=\"writing blob: Digest did not match, expected sha256:a, got sha256:b:"
            + " digest mismatch\"",
        ImageException.Kind.DIGEST_MISMATCH,
        "does not match its digest");
    assertKind("something else entirely", ImageException.Kind.FAILED, "something else entirely");
  }

  @Test
  void aKilledPullTimedOut() {
    ImageException e = PullFailure.of(REF, new ToolRun(-1, "copying blob"), true);
    assertThat(e.kind()).isEqualTo(ImageException.Kind.TIMEOUT);
  }

  private static void assertKind(String line, ImageException.Kind kind, String message) {
    ImageException e =
        PullFailure.of(REF, new ToolRun(1, "Getting image source\n" + line + "\n"), false);
    assertThat(e.kind()).as(line).isEqualTo(kind);
    assertThat(e.getMessage()).contains(message).doesNotContain("level=fatal");
  }
}
