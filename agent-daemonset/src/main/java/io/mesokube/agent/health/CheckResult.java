package io.mesokube.agent.health;

import java.time.Duration;
import java.time.Instant;

/**
 * The outcome of one check, before the grace period is applied.
 *
 * @param healthy whether the check passed
 * @param message what was checked and what came back, for Task status and logs
 * @param finishedAt when the check ended
 * @param duration how long the check took
 */
public record CheckResult(boolean healthy, String message, Instant finishedAt, Duration duration) {}
