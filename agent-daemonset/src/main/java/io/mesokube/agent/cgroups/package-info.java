/**
 * The agent's cgroups, v1 and v2: one per task under the agent's root, with limits, stats, OOM
 * detection, and killing everything in it.
 */
package io.mesokube.agent.cgroups;
