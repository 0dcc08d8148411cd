package io.mesokube.e2e.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The host's processes as {@code /proc} shows them, read directly (not through the code under
 * test): to find what a task or a health check started, and check it is gone.
 */
public final class HostProcesses {
  private HostProcesses() {}

  /** The pids of the processes whose argv matches; processes that end meanwhile are skipped. */
  public static List<Long> withArgv(Predicate<List<String>> matches) throws IOException {
    List<Long> out = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.toList()) {
        String pid = proc.getFileName().toString();
        if (pid.isEmpty() || !pid.chars().allMatch(Character::isDigit)) {
          continue;
        }
        byte[] cmdline;
        try {
          cmdline = Files.readAllBytes(proc.resolve("cmdline"));
        } catch (IOException ended) {
          continue;
        }
        // NUL-separated, with a final NUL; a kernel thread's is empty.
        String text = new String(cmdline, StandardCharsets.UTF_8);
        if (text.endsWith("\0")) {
          text = text.substring(0, text.length() - 1);
        }
        List<String> argv = text.isEmpty() ? List.of() : List.of(text.split("\0", -1));
        if (!argv.isEmpty() && matches.test(argv)) {
          out.add(Long.parseLong(pid));
        }
      }
    }
    return out;
  }
}
