package io.mesokube.e2e.controlplane;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The last lines of a log file, for error messages. */
final class LogTail {

  private static final int MAX_BYTES = 64 * 1024;

  private LogTail() {}

  /** Up to {@code lines} last lines of the file, or a note saying why there are none. */
  static String lastLines(Path file, int lines) {
    try (var in = new RandomAccessFile(file.toFile(), "r")) {
      long start = Math.max(0, in.length() - MAX_BYTES);
      var bytes = new byte[(int) (in.length() - start)];
      in.seek(start);
      in.readFully(bytes);
      var all = new String(bytes, StandardCharsets.UTF_8).split("\n");
      return Arrays.stream(all, Math.max(0, all.length - lines), all.length)
          .collect(Collectors.joining("\n"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
