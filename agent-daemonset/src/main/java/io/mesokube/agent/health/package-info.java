/**
 * Mesos' task health checks, run by the agent: command, HTTP(S) and TCP checks with Mesos' timing,
 * grace period and kill rules.
 *
 * <p>Semantics follow Mesos' health checker library (docs/health-checks.md and src/checks): the
 * first check runs {@code delay} after {@link io.mesokube.agent.health.HealthChecker#start()}, the
 * next one {@code interval} after the previous one finished, so checks never overlap; a check
 * slower than {@code timeout} fails. A failure is ignored while no check has succeeded yet and the
 * task is younger than its grace period; after the first success every failure counts, even inside
 * the grace period. {@code consecutiveFailures} counted failures in a row mean the task must be
 * killed.
 *
 * <p>Where it differs from Mesos' built-in executors: the listener hears only changes of health
 * (Mesos forwards every unhealthy update), so the agent writes Task status only on a change; HTTP
 * checks do not follow redirects (Mesos' curl runs with {@code -L}), so any 2xx or 3xx answer of
 * the task itself is healthy; checking stops once the kill is requested.
 *
 * <p>This package is plain Java: it depends on the API types and the JDK only.
 */
package io.mesokube.agent.health;
