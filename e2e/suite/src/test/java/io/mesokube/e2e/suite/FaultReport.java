package io.mesokube.e2e.suite;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The rows the fault tests collect, printed as one table at the end of the suite. */
final class FaultReport {

  /**
   * One fault's figures. A recovery or ratio that could not be measured is null.
   *
   * @param recovery see {@code measured} for what it spans
   * @param tasksRun task attempts the agents launched (their launch logs)
   * @param lost attempts that ended TASK_LOST
   * @param duplicated uids launched more than once
   * @param shareRatio heavy role's mean dominant share over the light role's, after recovery
   * @param shareSamples samples that ratio is made of
   * @param runTime first runner start to last runner exit
   */
  record Row(
      String fault,
      Duration recovery,
      String measured,
      int tasksRun,
      int lost,
      int duplicated,
      Double shareRatio,
      int shareSamples,
      Duration runTime) {}

  private final List<Row> rows = new ArrayList<>();

  synchronized void add(Row row) {
    rows.add(row);
  }

  synchronized String table() {
    var out = new StringBuilder();
    String format = "%-28s %10s  %-44s %9s %5s %10s %13s %8s%n";
    out.append(
        String.format(
            Locale.ROOT,
            format,
            "fault",
            "recovery s",
            "recovery measured from ... to ...",
            "tasks run",
            "lost",
            "duplicated",
            "share ratio*",
            "run s"));
    for (Row row : rows) {
      out.append(
          String.format(
              Locale.ROOT,
              format,
              row.fault(),
              seconds(row.recovery()),
              row.measured(),
              row.tasksRun(),
              row.lost(),
              row.duplicated(),
              row.shareRatio() == null
                  ? "-"
                  : String.format(Locale.ROOT, "%.2f (n=%d)", row.shareRatio(), row.shareSamples()),
              seconds(row.runTime())));
    }
    out.append(
        "* heavy role (weight 3) mean dominant share / light role (weight 1), sampled every 250 ms"
            + " after recovery while both runners had tasks waiting; the weighted fair ratio is"
            + " 3\n");
    return out.toString();
  }

  private static String seconds(Duration d) {
    return d == null ? "-" : String.format(Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
  }
}
