package io.mesokube.agent.cgroups;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A cgroup file system in a temporary directory, with the kernel's side emulated where the code
 * under test relies on it: a new cgroup's files appear on mkdir (copied from a template taken from
 * a real kernel, in {@code src/test/resources/cgroups}); on v2 a child's {@code cgroup.controllers}
 * is its parent's {@code cgroup.subtree_control}, which only accepts offered controllers; {@code
 * cgroup.kill}, {@code cgroup.procs}, the freezers and rmdir behave as the kernel's. Everything
 * else is plain files the test writes the "kernel's" values into.
 */
final class FakeCgroupFs extends CgroupFiles {
  private final Map<Path, Path> childTemplates = new LinkedHashMap<>();
  private final Map<String, String> failures = new HashMap<>();
  private final Set<String> omitted = new HashSet<>();

  /** Every write, as "path=value", in order. */
  final List<String> writes = new ArrayList<>();

  /** A hierarchy mounted at {@code mount}: its root from one template, new cgroups from another. */
  void mount(Path mount, String rootTemplate, String childTemplate) {
    copy(resource(rootTemplate), mount);
    childTemplates.put(mount, resource(childTemplate));
  }

  /** Writes to any file named {@code fileName} fail with errno text {@code reason}. */
  void failWrites(String fileName, String reason) {
    failures.put(fileName, reason);
  }

  /** New cgroups lack {@code fileName}, as on a kernel without the feature behind it. */
  void omit(String fileName) {
    omitted.add(fileName);
  }

  @Override
  void mkdir(Path dir) {
    super.mkdir(dir);
    copy(templateFor(dir), dir);
    for (String name : omitted) {
      try {
        Files.deleteIfExists(dir.resolve(name));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Path subtreeControl = dir.getParent().resolve("cgroup.subtree_control");
    if (exists(dir.resolve("cgroup.type")) && exists(subtreeControl)) {
      set(dir.resolve("cgroup.controllers"), read(subtreeControl));
    }
  }

  @Override
  boolean rmdir(Path dir) {
    if (!exists(dir)) {
      return false;
    }
    if (!read(dir.resolve("cgroup.procs")).isBlank() || !subdirectories(dir).isEmpty()) {
      throw new CgroupException("rmdir", dir, "Device or resource busy");
    }
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path file : entries.toList()) {
        Files.delete(file);
      }
      Files.delete(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return true;
  }

  @Override
  void write(Path file, String value) {
    String name = file.getFileName().toString();
    if (failures.containsKey(name)) {
      throw new CgroupException("write '" + value + "' to", file, failures.get(name));
    }
    if (!exists(file)) {
      throw new CgroupException("write '" + value + "' to", file, "No such file or directory");
    }
    writes.add(file + "=" + value);
    Path dir = file.getParent();
    switch (name) {
      case "cgroup.subtree_control" -> enable(dir, value);
      case "cgroup.procs" -> {
        set(file, read(file) + value + "\n");
        set(dir.resolve("cgroup.events"), "populated 1\nfrozen 0\n");
      }
      case "cgroup.kill" -> {
        set(dir.resolve("cgroup.procs"), "");
        set(dir.resolve("cgroup.events"), "populated 0\nfrozen 0\n");
      }
      case "cgroup.freeze" -> {
        set(file, value + "\n");
        boolean populated = !read(dir.resolve("cgroup.procs")).isBlank();
        set(
            dir.resolve("cgroup.events"),
            "populated " + (populated ? 1 : 0) + "\nfrozen " + value.trim() + "\n");
      }
      default -> set(file, value + "\n");
    }
  }

  /** The kernel's answer to "+a +b": ENOENT for a controller the cgroup is not offered. */
  private void enable(Path dir, String value) {
    Set<String> offered = CgroupsV2.words(read(dir.resolve("cgroup.controllers")));
    Set<String> enabled =
        new HashSet<>(CgroupsV2.words(read(dir.resolve("cgroup.subtree_control"))));
    for (String token : value.trim().split("\\s+")) {
      if (!offered.contains(token.substring(1))) {
        throw new CgroupException("write to", dir, "No such file or directory");
      }
      enabled.add(token.substring(1));
    }
    set(
        dir.resolve("cgroup.subtree_control"),
        enabled.stream().sorted().collect(Collectors.joining(" ", "", "\n")));
  }

  /** Overwrites a file as the kernel would, bypassing the checks on what a caller may write. */
  void set(Path file, String content) {
    try {
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path templateFor(Path dir) {
    return childTemplates.entrySet().stream()
        .filter(e -> dir.startsWith(e.getKey()))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no hierarchy holds " + dir));
  }

  private static Path resource(String name) {
    try {
      return Path.of(FakeCgroupFs.class.getResource("/cgroups/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void copy(Path template, Path dir) {
    try (Stream<Path> files = Files.list(template)) {
      Files.createDirectories(dir);
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Files.copy(file, dir.resolve(file.getFileName().toString()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
