package io.mesokube.agent.sandbox;

import java.nio.file.Path;

/**
 * One task run's sandbox: {@code <root>/<namespace>/<taskName>/<taskUid>/}.
 *
 * @param namespace the Task's namespace (a DNS-1123 label)
 * @param taskName the Task's name (a DNS-1123 subdomain)
 * @param taskUid the Task's metadata.uid, which tells runs of a re-created Task apart
 * @param dir the sandbox directory, as configured (not resolved through symbolic links)
 */
public record Sandbox(String namespace, String taskName, String taskUid, Path dir) {
  /** The directory's path below the sandboxes root. */
  Path relative() {
    return Path.of(namespace, taskName, taskUid);
  }
}
