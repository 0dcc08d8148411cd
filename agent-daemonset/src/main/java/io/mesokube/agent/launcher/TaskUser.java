package io.mesokube.agent.launcher;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The user a task runs as. With a name, its supplementary groups are those of the name (as {@code
 * initgroups(3)} sets them); with bare ids, it has none.
 *
 * @param name the user name, or null for bare ids
 * @param uid the user id
 * @param gid the primary group id
 */
public record TaskUser(String name, int uid, int gid) {

  // POSIX portable user names, plus the trailing $ of Samba machine accounts.
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}\\$?");

  /** Validates the fields. */
  public TaskUser {
    if (uid < 0 || gid < 0) {
      throw new IllegalArgumentException("negative uid or gid: " + uid + ":" + gid);
    }
    if (name != null && !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid user name: " + name);
    }
  }

  /** Bare ids, e.g. from a security policy: no supplementary groups. */
  public static TaskUser ofIds(int uid, int gid) {
    return new TaskUser(null, uid, gid);
  }

  /** {@link #resolve(String, TaskMountNamespace)} in the agent's own mount namespace. */
  public static TaskUser resolve(String name) throws LaunchException {
    return resolve(name, TaskMountNamespace.agents());
  }

  /**
   * Resolves a user name through the host's name service (getent: /etc/passwd, LDAP, sssd, as
   * nsswitch.conf says), the same lookup setpriv's --init-groups does: in {@code namespace}, the
   * tasks', whose /etc is the host's when the agent's (its image's) is not.
   *
   * @throws LaunchException when the host knows no such user
   */
  public static TaskUser resolve(String name, TaskMountNamespace namespace) throws LaunchException {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new LaunchException("invalid user name: '" + name + "'");
    }
    String entry;
    int status;
    try {
      ProcessBuilder builder =
          new ProcessBuilder(namespace.command(List.of("getent", "passwd", name)))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectError(ProcessBuilder.Redirect.DISCARD);
      // nsenter looks getent up along this PATH, in the namespace.
      builder.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
      Process getent = builder.start();
      // One line of output fits the pipe: wait first, so that a hung name service cannot hang us.
      if (!getent.waitFor(10, TimeUnit.SECONDS)) {
        getent.destroyForcibly();
        throw new LaunchException("looking up user '" + name + "' took more than 10 s");
      }
      status = getent.exitValue();
      entry = new String(getent.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new LaunchException("cannot look up user '" + name + "': " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LaunchException("interrupted while looking up user '" + name + "'", e);
    }
    // getent: 2 means "no such key"; nsenter: 126 or 127, getent is not there.
    if (status == 2 || (status == 0 && entry.isEmpty())) {
      throw new LaunchException("unknown user '" + name + "': no such user on this host");
    }
    String[] fields = entry.split(":", -1);
    if (status != 0 || fields.length < 4) {
      throw new LaunchException(
          "cannot look up user '"
              + name
              + "' in "
              + namespace
              + ": getent exited with "
              + status
              + (entry.isEmpty() ? "" : ", saying " + entry));
    }
    try {
      return new TaskUser(name, Integer.parseInt(fields[2]), Integer.parseInt(fields[3]));
    } catch (IllegalArgumentException e) {
      throw new LaunchException(
          "cannot use user '" + name + "' (" + entry + "): " + e.getMessage());
    }
  }
}
