package io.mesokube.agent.cgroups;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the cgroup version from the cgroup mounts under a base directory, per mountinfo. */
final class CgroupsDetector {
  private static final Logger LOG = LoggerFactory.getLogger(CgroupsDetector.class);

  /** A cgroup file system mounted at {@code mountPoint}; v1 {@code options} name controllers. */
  record Mount(Path mountPoint, boolean v2, Set<String> options) {}

  private final Path base;
  private final Path mountinfo;
  private final CgroupFiles files;

  CgroupsDetector(Path base, Path mountinfo, CgroupFiles files) {
    this.base = base;
    this.mountinfo = mountinfo;
    this.files = files;
  }

  Cgroups detect(String mode, String root) {
    List<Mount> mounts = parse(files.read(mountinfo));
    Optional<Mount> unified =
        mounts.stream().filter(m -> m.v2() && m.mountPoint().equals(base)).findFirst();
    Map<String, Path> v1 = v1Mounts(mounts);
    Cgroups cgroups =
        switch (mode.toLowerCase(Locale.ROOT)) {
          case "v2" -> new CgroupsV2(requireUnified(unified), root, CgroupsV2.CONTROLLERS, files);
          case "v1" -> new CgroupsV1(requireV1(v1), root, files);
          case "auto" -> auto(unified, v1, root);
          default ->
              throw new IllegalArgumentException(
                  "cgroups version must be auto, v1 or v2, not '" + mode + "'");
        };
    List<Path> others =
        mounts.stream()
            .map(Mount::mountPoint)
            .filter(point -> point.startsWith(base))
            .distinct()
            .filter(point -> !cgroups.hierarchies().contains(point))
            .toList();
    cgroups.alsoMounted(others);
    LOG.info(
        "Using cgroup {} ({}), root {}; other hierarchies {}",
        cgroups.version(),
        cgroups.hierarchies(),
        root,
        others);
    return cgroups;
  }

  private Cgroups auto(Optional<Mount> unified, Map<String, Path> v1, String root) {
    if (unified.isPresent()) {
      Set<String> offered = CgroupsV2.words(files.read(base.resolve("cgroup.controllers")));
      if (offered.containsAll(CgroupsV2.CONTROLLERS)) {
        return new CgroupsV2(base, root, CgroupsV2.CONTROLLERS, files);
      }
    }
    if (v1.keySet().containsAll(CgroupsV1.CONTROLLERS)) {
      return new CgroupsV1(v1, root, files);
    }
    throw new CgroupException(
        "find cgroup v2 with " + CgroupsV2.CONTROLLERS + " or v1 with " + CgroupsV1.CONTROLLERS,
        base,
        unified.isPresent()
            ? "cgroup2 lacks controllers and v1 has only " + v1.keySet()
            : "not a cgroup2 mount, and v1 has only " + v1.keySet());
  }

  private Path requireUnified(Optional<Mount> unified) {
    return unified
        .orElseThrow(() -> new CgroupException("use cgroup v2 at", base, "not a cgroup2 mount"))
        .mountPoint();
  }

  private Map<String, Path> requireV1(Map<String, Path> v1) {
    List<String> missing = CgroupsV1.CONTROLLERS.stream().filter(c -> !v1.containsKey(c)).toList();
    if (!missing.isEmpty()) {
      throw new CgroupException("use cgroup v1 under", base, "no mount of " + missing);
    }
    return v1;
  }

  /** The mount point of each v1 controller under the base; the first mount wins. */
  private Map<String, Path> v1Mounts(List<Mount> mounts) {
    Map<String, Path> v1 = new LinkedHashMap<>();
    for (Mount mount : mounts) {
      if (!mount.v2() && mount.mountPoint().startsWith(base)) {
        mount.options().forEach(option -> v1.putIfAbsent(option, mount.mountPoint()));
      }
    }
    v1.keySet().retainAll(CgroupsV1.CONTROLLERS);
    return v1;
  }

  /**
   * The cgroup mounts of a mountinfo file (proc(5)): "id parent major:minor root mount-point
   * options [optional fields...] - fstype source super-options"; v1 controllers are super-options.
   */
  static List<Mount> parse(String mountinfo) {
    List<Mount> mounts = new ArrayList<>();
    for (String line : mountinfo.split("\n")) {
      List<String> fields = Arrays.asList(line.trim().split(" "));
      int separator = fields.indexOf("-");
      if (separator < 6 || fields.size() < separator + 4) {
        continue;
      }
      String type = fields.get(separator + 1);
      if (type.equals("cgroup") || type.equals("cgroup2")) {
        Set<String> options = new HashSet<>(Arrays.asList(fields.get(separator + 3).split(",")));
        mounts.add(new Mount(Path.of(unescape(fields.get(4))), type.equals("cgroup2"), options));
      }
    }
    return mounts;
  }

  /** Mountinfo writes space, tab, newline and backslash in paths as octal escapes ("\040"). */
  static String unescape(String field) {
    StringBuilder out = new StringBuilder(field.length());
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\'
          && i + 3 < field.length()
          && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
