package io.mesokube.agent.tasks;

import io.mesokube.api.v1alpha1.common.PortRange;
import io.mesokube.api.v1alpha1.task.Task;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment a task starts with: Mesos' variables (what the command executor and Marathon
 * set), then the task's own, which may not start with {@code MESOS_} (the schema refuses that).
 */
final class MesosEnvironment {
  /** A PATH for tasks that set none: the environment is cleared, not inherited from the agent. */
  static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private MesosEnvironment() {}

  /**
   * @param agentId the Mesos agent id
   * @param endpoint the agent's HTTP endpoint, host:port
   * @param hostname the host name tasks are reached by
   * @param frameworkId the framework's id ({@code namespace/name} when it has none in status)
   */
  static Map<String, String> of(
      Task task,
      Path sandbox,
      String agentId,
      String endpoint,
      String hostname,
      String frameworkId,
      String user) {
    Map<String, String> env =
        agentVariables(task, sandbox, agentId, endpoint, hostname, frameworkId, user);
    var command = task.getSpec().command();
    if (command != null && command.env() != null) {
      env.putAll(command.env());
    }
    return env;
  }

  /**
   * What the agent sets, without the task's own variables: in a container those come after the
   * image's, and the agent's PATH is only a default there.
   */
  static Map<String, String> agentVariables(
      Task task,
      Path sandbox,
      String agentId,
      String endpoint,
      String hostname,
      String frameworkId,
      String user) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", DEFAULT_PATH);
    env.put("HOME", user == null || user.equals("root") ? "/root" : sandbox.toString());
    env.put("HOST", hostname);
    env.put("MESOS_SANDBOX", sandbox.toString());
    env.put("MESOS_DIRECTORY", sandbox.toString());
    env.put(
        "MESOS_TASK_ID", task.getMetadata().getNamespace() + "/" + task.getMetadata().getName());
    env.put("MESOS_FRAMEWORK_ID", frameworkId);
    env.put("MESOS_AGENT_ID", agentId);
    env.put("MESOS_SLAVE_ID", agentId);
    env.put("MESOS_AGENT_ENDPOINT", endpoint);
    env.put("MESOS_SLAVE_PID", "slave(1)@" + endpoint);
    if (user != null) {
      env.put("USER", user);
      env.put("MESOS_USER", user);
    }
    List<Integer> ports = ports(task);
    List<String> all = new ArrayList<>();
    for (int i = 0; i < ports.size(); i++) {
      env.put("PORT" + i, Integer.toString(ports.get(i)));
      all.add(Integer.toString(ports.get(i)));
    }
    if (!ports.isEmpty()) {
      env.put("PORT", Integer.toString(ports.getFirst()));
      env.put("PORTS", String.join(",", all));
    }
    return env;
  }

  /** The task's ports in order, ranges expanded (Marathon's PORT0, PORT1 ...). */
  static List<Integer> ports(Task task) {
    List<Integer> out = new ArrayList<>();
    List<PortRange> ranges = task.getSpec().resources().ports();
    if (ranges != null) {
      for (PortRange r : ranges) {
        for (int p = r.begin(); p <= r.end(); p++) {
          out.add(p);
        }
      }
    }
    return out;
  }
}
