package io.mesokube.agent.cgroups;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * File operations on a cgroup file system, every failure a {@link CgroupException}. Not final:
 * tests of the v2 code emulate the kernel's side of a fake tree (files appearing on mkdir, {@code
 * cgroup.kill}) by overriding it.
 */
class CgroupFiles {
  static final CgroupFiles REAL = new CgroupFiles();

  String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new CgroupException("read", file, e);
    }
  }

  /** A flat-keyed file such as {@code memory.events}: one "key value" pair per line. */
  Map<String, Long> readKeyed(Path file) {
    Map<String, Long> values = new HashMap<>();
    for (String line : read(file).split("\n")) {
      String[] kv = line.trim().split("\\s+");
      if (kv.length == 2 && !kv[1].isEmpty() && kv[1].chars().allMatch(Character::isDigit)) {
        values.put(kv[0], Long.parseLong(kv[1]));
      }
    }
    return values;
  }

  long readLong(Path file) {
    String value = read(file).trim();
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new CgroupException("parse", file, "not a number: '" + value + "'");
    }
  }

  /**
   * Writes {@code value} in one write(2), which is how the kernel expects a control file to be
   * written. Without CREATE, so that a missing control file is reported as such.
   */
  void write(Path file, String value) {
    try {
      Files.writeString(
          file,
          value,
          StandardCharsets.US_ASCII,
          StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new CgroupException("write '" + value + "' to", file, e);
    }
  }

  boolean exists(Path file) {
    return Files.exists(file, LinkOption.NOFOLLOW_LINKS);
  }

  /** A cgroup, not a control file of the same name. */
  boolean isDirectory(Path path) {
    return Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
  }

  void mkdir(Path dir) {
    try {
      Files.createDirectory(dir);
    } catch (IOException e) {
      throw new CgroupException("mkdir", dir, e);
    }
  }

  /** Removes the (childless) cgroup directory; false if it did not exist. */
  boolean rmdir(Path dir) {
    try {
      return Files.deleteIfExists(dir);
    } catch (IOException e) {
      throw new CgroupException("rmdir", dir, e);
    }
  }

  /** Whether the cgroup {@code dir} is gone: removed now, or not there; false while it is busy. */
  boolean rmdirQuietly(Path dir) {
    try {
      rmdir(dir);
      return true;
    } catch (CgroupException e) {
      return false;
    }
  }

  /** The child cgroups of {@code dir}, by name; none if {@code dir} does not exist. */
  List<Path> subdirectories(Path dir) {
    if (!isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
    } catch (IOException e) {
      throw new CgroupException("list", dir, e);
    }
  }
}
