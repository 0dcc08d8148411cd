#!/bin/sh
# Mesokube container start, one per container task. The task's supervisor runs it as root, in a
# mount namespace of its own (unshare -m --propagation private), in the task's cgroups:
#
#   unshare -m --propagation private sh container.sh [-U] [-l LOWER -u UPPER -w WORK -t TARGET]
#                                                    -- RUNTIME [ARG]...
#
#   -l/-u/-w/-t  mount an overlay at TARGET: LOWER the image's shared root filesystem (never
#                written), UPPER and WORK the task's own writable layer
#   -U           unmount /sys/fs/cgroup/unified first: crun refuses a host whose cgroup2 mount
#                beside the v1 hierarchies holds controllers ("hybrid mode"), even with its cgroup
#                manager disabled, which needs no cgroup file system at all
#
# then execs the OCI runtime in place, so that the supervisor waits on it and records its exit
# status (the container's). The mounts live in this namespace only: they go away with it, also if
# the agent is not there to clean up.
set -eu
set -f

lower= upper= work= target= unified=
while getopts l:u:w:t:U opt; do
  case $opt in
    l) lower=$OPTARG ;;
    u) upper=$OPTARG ;;
    w) work=$OPTARG ;;
    t) target=$OPTARG ;;
    U) unified=1 ;;
    *) echo "container.sh: usage: see the head of $0" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { echo "container.sh: no runtime to run" >&2; exit 2; }

if [ -n "$unified" ] && grep -q ' /sys/fs/cgroup/unified cgroup2 ' /proc/self/mounts; then
  umount /sys/fs/cgroup/unified
fi
if [ -n "$target" ]; then
  mount -t overlay overlay -o "lowerdir=$lower,upperdir=$upper,workdir=$work" "$target"
fi
exec "$@"
