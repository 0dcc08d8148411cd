package io.mesokube.agent.images;

/** An image that cannot be provided, with why, in words for a Task's status message. */
public final class ImageException extends Exception {
  /** What went wrong, for metrics and for the task's reason. */
  public enum Kind {
    /** The reference is not a valid image reference. */
    INVALID_REFERENCE,
    /** The registry has no such repository, tag or digest. */
    NOT_FOUND,
    /** The registry is in a network the agent pulls from no registry in. */
    DENIED,
    /** The registry could not be reached. */
    UNREACHABLE,
    /** The registry refused the credentials, or needs some and got none. */
    UNAUTHORIZED,
    /** What the registry served does not match the digest asked for. */
    DIGEST_MISMATCH,
    /** A layer would escape the root filesystem or create a device. */
    UNSAFE_LAYER,
    /** A format or media type the agent does not handle. */
    UNSUPPORTED,
    /** The pull did not finish within its timeout. */
    TIMEOUT,
    /** Anything else: the tool's own message says what. */
    FAILED
  }

  private final Kind kind;

  public ImageException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public ImageException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  /** What went wrong. */
  public Kind kind() {
    return kind;
  }
}
