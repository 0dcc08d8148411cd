/**
 * The agent's cgroups, v1 and v2: one per task, with limits, stats, OOM detection and killing.
 *
 * <h2>Layout</h2>
 *
 * <p>In each hierarchy, under the agent's root ({@code mesokube/<agent-name>}): {@code task/<name>}
 * per task, and {@code supervisors} for the tasks' supervisor processes, outside any task's limits.
 * The directory is {@code task}, not {@code tasks}: every v1 cgroup has a control file called
 * {@code tasks}. A task name that is a control file's name in {@code task/} (such as "tasks" or
 * "cpu.shares" on v1) is refused by the kernel's mkdir (EEXIST). {@link Cgroups#detect} picks the
 * version; {@link CgroupsV1} and {@link CgroupsV2} also take explicit mount points.
 *
 * <h2>What the tests run for real, and what against a fake tree</h2>
 *
 * <p>The tests run as root on the development VM and in CI alike: Debian 12, kernel 6.18, cgroup v1
 * hierarchies for cpu and cpuacct mounted apart (with memory, pids, freezer and others), and a
 * cgroup2 mount at {@code /sys/fs/cgroup/unified} offering only {@code hugetlb}.
 *
 * <ul>
 *   <li>v1, for real ({@code CgroupsV1Test}): limits written and read back, updated in both
 *       directions (the kernel enforces the memory/memory+swap order); a shell joining all five
 *       hierarchies before exec; a busy loop under 0.5 cpus held to about half a core by the CFS
 *       quota, with throttling counted; a 300 MiB allocation OOM-killed under 64 MiB and seen by
 *       {@code oomKilled()}; a pids limit refusing a fork; SIGTERM ignored by one process; {@code
 *       killAll()} by freezer against that process and a fork loop; {@code destroy()}; a failed
 *       mkdir and a limit the kernel refuses leaving nothing; recovery by a new instance.
 *   <li>v2, for real on the hybrid mount ({@code CgroupsV2UnifiedTest}), which has no controller
 *       for the limits, so they are created with none enforced: joining, CPU time from {@code
 *       cpu.stat} (the kernel keeps {@code usage_usec} without the cpu controller), {@code
 *       cgroup.events} populated, SIGTERM, {@code killAll()} by {@code cgroup.kill} and by {@code
 *       cgroup.freeze} (the fallback for kernels before 5.14), destroy with a child cgroup the task
 *       made, recovery, and {@link CgroupsV2} refusing the mount for lacking cpu, memory and pids.
 *   <li>v2 limits, against a fake tree ({@code CgroupsV2FakeTreeTest}), laid out as a kernel 6.x
 *       cgroup2 mount owning every controller: controllers enabled top-down in {@code
 *       cgroup.subtree_control}, {@code cpu.weight}, {@code cpu.max}, {@code memory.max}, {@code
 *       memory.swap.max} (and its absence), {@code pids.max}, stats parsed from realistic {@code
 *       cpu.stat}, {@code memory.events} and others, rollback of a refused limit. So memory.max OOM
 *       kills, cpu.max throttling and pids.max are not shown on a real kernel. The reason: a
 *       controller is on the v1 hierarchy or on the v2 one, system-wide; on this machine v1 holds
 *       them. An experiment in a private mount namespace ({@code unshare --mount --propagation
 *       private}) confirmed it cannot be undone there: a fresh cgroup2 mount offers only hugetlb,
 *       and still does after unmounting the v1 memory hierarchy in that namespace (the hierarchy
 *       lives on while the host mounts it and has cgroups); "+memory" in {@code
 *       cgroup.subtree_control} fails with ENOENT, and mounting cpu and cpuacct together fails with
 *       EBUSY. Only another boot (cgroup_no_v1=all, or systemd's unified layout) would do.
 *   <li>v1 in the common {@code cpu,cpuacct} layout and without swap accounting, against a fake
 *       tree copied from this kernel's files ({@code CgroupsV1FakeTreeTest}).
 *   <li>Detection ({@code CgroupsDetectorTest}): this machine's mountinfo for real; the combined v1
 *       layout, a pure v2 host, a v2 mount lacking a controller, and mounts outside the base as
 *       mountinfo text over fake trees.
 * </ul>
 */
package io.mesokube.agent.cgroups;
