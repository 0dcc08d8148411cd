package io.mesokube.agent.health;

/**
 * What a {@link HealthChecker} tells the agent: changes of a task's health, and when to kill it.
 */
public interface HealthCheckListener {

  /**
   * The task's health changed; its first counted result is a change. Failures ignored in the grace
   * period are not results, so a task stays of unknown health until then.
   *
   * <p>Called with the checker's lock held, so that {@link HealthChecker#stop()} can promise no
   * call after it returns: return quickly and do not wait on another thread that uses the checker.
   */
  void onHealthChanged(boolean healthy, String message);

  /**
   * The configured number of checks failed in a row: the task must be killed. Called once; the
   * checker stops checking. Same threading rules as {@link #onHealthChanged}.
   */
  void onUnhealthy(String message);
}
