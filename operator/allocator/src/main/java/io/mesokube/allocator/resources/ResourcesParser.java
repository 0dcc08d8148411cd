package io.mesokube.allocator.resources;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Parses Mesos' {@code name:value;...} text form of unreserved resources. */
final class ResourcesParser {
  private ResourcesParser() {}

  static Resources parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("Resources text must not be null");
    }
    List<Resource> out = new ArrayList<>();
    for (String part : text.split(";")) {
      String entry = part.trim();
      if (entry.isEmpty()) {
        continue;
      }
      int colon = entry.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("Expected name:value in '" + entry + "'");
      }
      String name = entry.substring(0, colon).trim();
      String value = entry.substring(colon + 1).trim();
      out.add(parseOne(name, value));
    }
    return Resources.of(out);
  }

  private static Resource parseOne(String name, String value) {
    if (value.startsWith("[") && value.endsWith("]")) {
      return Resource.ranges(name, parseRanges(value.substring(1, value.length() - 1)));
    }
    if (value.startsWith("{") && value.endsWith("}")) {
      Set<String> items = new LinkedHashSet<>();
      for (String item : value.substring(1, value.length() - 1).split(",")) {
        if (!item.isBlank()) {
          items.add(item.trim());
        }
      }
      return Resource.set(name, items);
    }
    try {
      return Resource.scalar(name, Double.parseDouble(value));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Bad scalar value '" + value + "' for " + name, e);
    }
  }

  private static Ranges parseRanges(String body) {
    Ranges ranges = Ranges.EMPTY;
    for (String piece : body.split(",")) {
      String p = piece.trim();
      if (p.isEmpty()) {
        continue;
      }
      String[] ends = p.split("-");
      try {
        long begin = Long.parseLong(ends[0].trim());
        long end = ends.length > 1 ? Long.parseLong(ends[1].trim()) : begin;
        if (ends.length > 2) {
          throw new IllegalArgumentException("Bad range '" + p + "'");
        }
        ranges = ranges.add(Ranges.of(begin, end));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("Bad range '" + p + "'", e);
      }
    }
    return ranges;
  }
}
