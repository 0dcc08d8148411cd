package io.mesokube.operator.it;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API-server write accounting for benchmarks: the server's own {@code apiserver_request_total}
 * write counters, and a client-side counter that attributes writes to one client (the framework,
 * the simulated agents), so that the operator's share is the difference. Keys read {@code
 * "resource[/subresource] VERB"}.
 */
final class ApiWrites {
  /** The resources whose writes the benchmark reports. */
  static final Set<String> RESOURCES =
      Set.of(
          "offers",
          "tasks",
          "tasks/status",
          "frameworks",
          "frameworks/status",
          "agents/status",
          "events",
          "leases");

  private static final Set<String> VERBS = Set.of("POST", "PUT", "PATCH", "DELETE", "APPLY");
  private static final Pattern SAMPLE =
      Pattern.compile("^apiserver_request_total\\{([^}]*)} ([0-9.e+]+)$");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private final Map<String, AtomicLong> counted = new ConcurrentHashMap<>();

  /** The server's write counters for {@link #RESOURCES}, summed over codes and groups. */
  static Map<String, Long> scrape(KubernetesClient admin) {
    Map<String, Long> out = new TreeMap<>();
    for (String line : admin.raw("/metrics").split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      Map<String, String> labels = new TreeMap<>();
      Matcher l = LABEL.matcher(m.group(1));
      while (l.find()) {
        labels.put(l.group(1), l.group(2));
      }
      String resource = labels.getOrDefault("resource", "");
      String sub = labels.getOrDefault("subresource", "");
      String key = sub.isEmpty() ? resource : resource + "/" + sub;
      String verb = labels.getOrDefault("verb", "");
      if (RESOURCES.contains(key) && VERBS.contains(verb)) {
        out.merge(key + " " + verb, (long) Double.parseDouble(m.group(2)), Long::sum);
      }
    }
    return out;
  }

  /** {@code after - before}, key by key, zeros left out. */
  static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> out = new TreeMap<>();
    after.forEach(
        (k, v) -> {
          long d = v - before.getOrDefault(k, 0L);
          if (d != 0) {
            out.put(k, d);
          }
        });
    return out;
  }

  /** {@code total - parts}, key by key. */
  static Map<String, Long> minus(Map<String, Long> total, List<Map<String, Long>> parts) {
    Map<String, Long> out = new TreeMap<>(total);
    for (Map<String, Long> part : parts) {
      part.forEach((k, v) -> out.merge(k, -v, Long::sum));
    }
    out.values().removeIf(v -> v == 0);
    return out;
  }

  /** Sums by resource, verbs merged. */
  static Map<String, Long> byResource(Map<String, Long> writes) {
    Map<String, Long> out = new TreeMap<>();
    writes.forEach((k, v) -> out.merge(k.substring(0, k.indexOf(' ')), v, Long::sum));
    return out;
  }

  /** A client whose writes to {@link #RESOURCES} this counter counts (every attempt). */
  KubernetesClient countingClient(Path kubeconfig, String namespace) {
    Config config = Config.fromKubeconfig(kubeconfig.toFile());
    config.setNamespace(namespace);
    Interceptor interceptor =
        new Interceptor() {
          @Override
          public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            count(request);
          }
        };
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("write-count", interceptor))
        .build();
  }

  /** What the clients of this counter wrote, by key. */
  Map<String, Long> counted() {
    Map<String, Long> out = new TreeMap<>();
    counted.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  private void count(HttpRequest request) {
    String verb = request.method();
    if (!VERBS.contains(verb)) {
      return;
    }
    String key = resourceOf(request.uri().getPath());
    if (key != null && RESOURCES.contains(key)) {
      counted.computeIfAbsent(key + " " + verb, k -> new AtomicLong()).incrementAndGet();
    }
  }

  /**
   * The operator's writes per launched task, as a printable table: the server's count over the run
   * less what the framework and the agents wrote (counted on their clients). Two exceptions: Task
   * deletions are the garbage collector's (the operator never deletes a Task; the framework's
   * teardown deletes them through owner references), and Lease writes are the observed renewals of
   * the operator Lease, as the control plane renews Leases of its own.
   */
  static String report(
      String title,
      Map<String, Long> total,
      Map<String, Long> framework,
      Map<String, Long> agents,
      long operatorLeaseWrites,
      int launched) {
    Map<String, Long> operator = minus(total, List.of(framework, agents));
    operator.keySet().removeIf(k -> k.startsWith("leases ") || k.equals("tasks DELETE"));
    if (operatorLeaseWrites > 0) {
      operator.put("leases PATCH", operatorLeaseWrites);
    }
    StringBuilder out = new StringBuilder();
    out.append("=== ")
        .append(title)
        .append(": API writes, ")
        .append(launched)
        .append(" tasks launched\n");
    out.append(
        String.format(
            "%-26s %8s %10s %8s %10s %9s%n",
            "resource verb", "server", "framework", "agents", "operator", "op/task"));
    long sum = 0;
    for (String key : new java.util.TreeSet<>(total.keySet())) {
      long op = operator.getOrDefault(key, 0L);
      sum += op;
      out.append(
          String.format(
              "%-26s %8d %10d %8d %10d %9.3f%n",
              key,
              total.get(key),
              framework.getOrDefault(key, 0L),
              agents.getOrDefault(key, 0L),
              op,
              op / (double) launched));
    }
    if (!total.containsKey("leases PATCH") && operatorLeaseWrites > 0) {
      sum += operatorLeaseWrites;
    }
    out.append(
        String.format(
            "operator writes per launched task: %.3f (%d / %d)%n",
            sum / (double) launched, sum, launched));
    out.append("operator by resource: ").append(byResource(operator)).append('\n');
    return out.toString();
  }

  /** {@code /apis/g/v/namespaces/ns/tasks/x/status} is {@code tasks/status}; null if unknown. */
  static String resourceOf(String path) {
    List<String> s = Arrays.stream(path.split("/")).filter(p -> !p.isEmpty()).toList();
    int start;
    if (s.size() >= 2 && s.get(0).equals("api")) {
      start = 2;
    } else if (s.size() >= 3 && s.get(0).equals("apis")) {
      start = 3;
    } else {
      return null;
    }
    List<String> rest = s.subList(start, s.size());
    if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
      rest = rest.subList(2, rest.size());
    }
    if (rest.isEmpty()) {
      return null;
    }
    return rest.size() >= 3 ? rest.get(0) + "/" + rest.get(2) : rest.get(0);
  }
}
