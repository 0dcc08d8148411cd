package io.mesokube.agent.sandbox;

/** A {@code /files} request refused, with the HTTP status Mesos answers it with. */
public final class FilesException extends RuntimeException {
  private final int status;

  FilesException(int status, String message) {
    super(message);
    this.status = status;
  }

  static FilesException badRequest(String message) {
    return new FilesException(400, message);
  }

  static FilesException forbidden(String message) {
    return new FilesException(403, message);
  }

  static FilesException notFound(String path) {
    return new FilesException(404, "No such file or directory: " + path);
  }

  /** 400 for a malformed request, 403 for a path that leaves the sandboxes, 404 if not found. */
  public int status() {
    return status;
  }
}
