package io.mesokube.agent.cgroups;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/** A cgroup operation failed: says what was done to which path and why (the errno text). */
public final class CgroupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path path;
  private final String reason;

  /** A failure the kernel or the file system reported through {@code cause}. */
  public CgroupException(String operation, Path path, IOException cause) {
    this(operation, path, reasonOf(cause), cause);
  }

  /**
   * A failure detected by this package, {@code reason} in the words of the kernel where possible.
   */
  public CgroupException(String operation, Path path, String reason) {
    this(operation, path, reason, null);
  }

  private CgroupException(String operation, Path path, String reason, Throwable cause) {
    super(operation + " " + path + ": " + reason, cause);
    this.path = path;
    this.reason = reason;
  }

  /** The cgroup file or directory concerned. */
  public Path path() {
    return path;
  }

  /** Why it failed, such as "Device or resource busy". */
  public String reason() {
    return reason;
  }

  /**
   * The strerror text of an I/O failure. The JDK keeps it in the message or {@link
   * FileSystemException#getReason()}, except for the errnos it maps to dedicated subclasses.
   */
  static String reasonOf(IOException e) {
    return switch (e) {
      case NoSuchFileException _ -> "No such file or directory";
      case FileAlreadyExistsException _ -> "File exists";
      case DirectoryNotEmptyException _ -> "Directory not empty";
      case AccessDeniedException _ -> "Permission denied";
      case NotDirectoryException _ -> "Not a directory";
      case FileSystemException fse when fse.getReason() != null -> fse.getReason();
      default -> String.valueOf(e.getMessage());
    };
  }
}
