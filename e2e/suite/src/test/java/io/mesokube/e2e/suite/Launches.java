package io.mesokube.e2e.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agents' own word on what they started: each agent appends {@code <uid> <namespace/name>
 * <time>} to {@code <stateDir>/launches.log} before it reports a launch, and keeps the file across
 * restarts. Read straight from the files (this suite does not use the agent's classes).
 *
 * @param byUid for each task uid of one namespace, its launch lines, prefixed with the agent
 */
record Launches(Map<String, List<String>> byUid) {
  static final String FILE = "launches.log";

  /** The launches of tasks in {@code namespace} recorded under any of {@code stateDirs}. */
  static Launches read(Map<String, Path> stateDirs, String namespace) throws IOException {
    Map<String, List<String>> byUid = new LinkedHashMap<>();
    for (var agent : stateDirs.entrySet()) {
      Path log = agent.getValue().resolve(FILE);
      if (!Files.exists(log)) {
        continue;
      }
      for (String line : Files.readAllLines(log)) {
        String[] fields = line.strip().split(" ");
        if (fields.length >= 2 && fields[1].startsWith(namespace + "/")) {
          byUid
              .computeIfAbsent(fields[0], uid -> new ArrayList<>())
              .add(agent.getKey() + ": " + line);
        }
      }
    }
    return new Launches(byUid);
  }

  /** How many times the agents launched {@code uid}. */
  int count(String uid) {
    return byUid.getOrDefault(uid, List.of()).size();
  }

  /** Uids launched more than once, with their launch lines. */
  Map<String, List<String>> duplicated() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    byUid.forEach(
        (uid, lines) -> {
          if (lines.size() > 1) {
            out.put(uid, lines);
          }
        });
    return out;
  }

  /** Launched uids not among {@code known}: launches of tasks the API server never showed. */
  List<String> unknown(Collection<String> known) {
    return byUid.keySet().stream().filter(uid -> !known.contains(uid)).toList();
  }
}
