package io.mesokube.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads gauges from Prometheus text, as scraped from the operator's {@code /q/metrics}. */
final class Gauges {
  private Gauges() {}

  /** The value of series {@code name}, with a tag {@code label} (e.g. {@code phase="Gone"}). */
  static double gauge(String metrics, String name, String label) {
    Pattern line =
        Pattern.compile(
            "(?m)^"
                + Pattern.quote(name)
                + (label == null ? "" : "\\{[^}]*" + Pattern.quote(label) + "[^}]*\\}")
                + "\\s+(\\S+)$");
    Matcher m = line.matcher(metrics);
    assertThat(m.find()).as("series %s{%s} in:%n%s", name, label, metrics).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
