#!/usr/bin/env bash
# The first-run check: does a new user's first try work? Builds a clean Debian 12 root file system
# with mmdebstrap, clones this repository into it, and runs there, exactly as the README writes
# them and with a timer:
#
#   1. ./mesokube up                      cold: installs Debian packages, builds Kubernetes and etcd
#                                         from their Go modules and the apps with Maven
#   2. the container example              kubectl apply -f deploy/examples/task-container.yaml,
#                                         until its task finished and wrote its file
#   3. ./mesokube down, ./mesokube up     warm: everything built; time to the first task RUNNING
#   4. ./mesokube down, ./mesokube test   the test command, its Go build already cached
#
# and prints a table of the times (for docs/benchmarks/first-run.md). Too slow for every CI run
# (about 45 minutes on 2 cores); run it before changing the README's commands.
#
#   e2e/fresh/run.sh [--keep] [--skip-test]      as root
#
# What the root holds is what a fresh machine of this project's kind holds that the README asks
# for, and no more: Debian's minbase with CA certificates, plus the two toolchains the README
# names as prerequisites and the machine image ships outside Debian, copied from this host: Go
# (go env GOROOT) and the JDK 25 that ./mvnw selects, with the machine's trust store (its own CA
# certificates in /usr/local/share/ca-certificates, and the Java trust store the JDK links to).
# Everything else (Maven, util-linux tools, crun, skopeo, umoci, the registry, busybox, ...) the
# README's commands must install themselves.
#
# The commands run in a new mount namespace whose root is the new root file system (pivot_root,
# as a container runtime makes it; a chroot would leave the host's root as the namespace's root,
# which is where `crun exec` lands a container's health check): /proc, /sys (with the host's
# cgroup hierarchies, where the agents make their cgroups) and /dev come from the host, and so do
# the network (the package registries, loopback) and the process IDs (what `up` starts outlives
# its namespace; `down` stops it). So no other local cluster may run on this host meanwhile: they
# would share ports and cgroup names.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
keep=no
skip_test=no
for arg in "$@"; do
  case "$arg" in
    --keep) keep=yes ;;
    --skip-test) skip_test=yes ;;
    *) echo "usage: e2e/fresh/run.sh [--keep] [--skip-test]" >&2; exit 2 ;;
  esac
done

say() { printf '\n==> [fresh %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { printf 'fresh: %s\n' "$*" >&2; exit 1; }
[[ $EUID -eq 0 ]] || die "run as root: mmdebstrap, chroot and the agents need it"
for tool in mmdebstrap unshare chroot pivot_root git go; do
  command -v "$tool" >/dev/null || die "$tool is needed (apt-get install mmdebstrap util-linux git; Go on PATH)"
done
goroot="$(go env GOROOT)"
java_home="$("$repo/mvnw" -v | sed -n 's/^Java version: .*, runtime: //p')"
[[ -x "$java_home/bin/javac" ]] || die "cannot find the JDK that ./mvnw selects"

work="${MESOKUBE_FRESH_DIR:-/var/tmp/mesokube-fresh}"
rootfs="$work/rootfs"
results="$work/results.tsv"
# The chroot's mounts live in mount namespaces of their own, never in this one: a mount here
# under the root would mean something else went wrong, and removing the root would reach into it.
no_mounts() { ! grep -q " $rootfs/" /proc/self/mountinfo || die "something is mounted under $rootfs"; }
no_mounts
rm -rf "$rootfs"
mkdir -p "$work"
rm -f "$work"/*.log
: >"$results"

sources="$work/sources.list"
"$repo/agent-daemonset/src/main/image/apt-sources.sh" bookworm >"$sources"
[[ -s "$sources" ]] || die "no Debian bookworm sources in this host's apt configuration (apt-get update first)"

t0=$SECONDS
say "root file system: Debian 12 minbase with ca-certificates (mmdebstrap)"
mmdebstrap --mode=root --variant=minbase --include=ca-certificates \
  --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
  bookworm "$rootfs" "$sources" >"$work/mmdebstrap.log" 2>&1 \
  || { tail -n 30 "$work/mmdebstrap.log" >&2; die "mmdebstrap failed"; }
# The machine image's toolchains, at the same paths, its trust store, and the host's name service
# files.
mkdir -p "$rootfs$goroot" "$rootfs$java_home" "$rootfs/etc/ssl/certs/java"
cp -a "$goroot/." "$rootfs$goroot/"
cp -a "$java_home/." "$rootfs$java_home/"
cp -a /usr/local/share/ca-certificates/. "$rootfs/usr/local/share/ca-certificates/"
chroot "$rootfs" update-ca-certificates >/dev/null
if [[ -f /etc/ssl/certs/java/cacerts ]]; then
  cp /etc/ssl/certs/java/cacerts "$rootfs/etc/ssl/certs/java/"
fi
cp /etc/resolv.conf /etc/hosts "$rootfs/etc/"
git clone -q --no-local "$repo" "$rootfs/root/mesokube"
git -C "$rootfs/root/mesokube" checkout -q "$(git -C "$repo" rev-parse HEAD)"
say "root ready in $((SECONDS - t0)) s: $(du -sh "$rootfs" | cut -f1) at $rootfs"

# Runs a shell command line in the root, as a user's login shell would: HOME=/root, PATH with Go.
in_root() { # label command-line
  local label="$1" cmd="$2" t=$SECONDS code=0
  say "$label: $cmd"
  unshare --mount --propagation private bash -c '
    set -e
    rootfs="$1"; cmd="$2"
    # The root a mount of its own, and the root of the namespace, as a container runtime makes it:
    # the JDK finds the file system of a path (the agent measures its disk) in
    # /proc/self/mountinfo, and whoever joins a mount namespace made from this one (crun exec)
    # starts at its root. pivot_root . . stacks the old root on the new one; it is then detached.
    mount --bind "$rootfs" "$rootfs"
    mount -t proc proc "$rootfs/proc"
    mount --rbind /sys "$rootfs/sys"
    mount --rbind /dev "$rootfs/dev"
    cd "$rootfs"
    pivot_root . .
    umount -l .
    exec chroot . /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
      PATH="$3/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
      /bin/bash -c "cd /root/mesokube && $cmd"' fresh "$rootfs" "$cmd" "$goroot" \
    2>&1 | tee -a "$work/$label.log" || code=$?
  printf '%s\t%s\t%s\n' "$label" "$((SECONDS - t))" "$([[ $code == 0 ]] && echo pass || echo "FAIL ($code)")" >>"$results"
  say "$label: $([[ $code == 0 ]] && echo passed || echo "FAILED ($code)") in $((SECONDS - t)) s"
  return "$code"
}

# What the container example must show: the task finished and its file says hello.
container_example='export KUBECONFIG="$(cat .mesokube/kubeconfig)"
kubectl="$(e2e/controlplane/build.sh)/kubectl"
$kubectl apply -f deploy/examples/task-container.yaml
for i in $(seq 120); do
  state="$($kubectl get task hello-container -o jsonpath="{.status.state}")"
  case "$state" in TASK_FINISHED) break ;; TASK_FAILED|TASK_ERROR|TASK_LOST) break ;; esac
  sleep 1
done
$kubectl get task hello-container -o wide
[ "$state" = TASK_FINISHED ] || { echo "hello-container ended $state: $($kubectl get task hello-container -o jsonpath="{.status.message}")"; exit 1; }
sandbox="$($kubectl get task hello-container -o jsonpath="{.status.sandbox}")"
grep "hello from a container" "$sandbox/hello.txt"'

status=0
in_root up-cold './mesokube up' || status=1
if ((status == 0)); then
  in_root container-example "$container_example" || status=1
  in_root down './mesokube down' || status=1
  in_root up-warm './mesokube up' || status=1
  in_root down-again './mesokube down' || status=1
fi
if [[ "$skip_test" == no ]]; then
  in_root test './mesokube test' || status=1
fi

say "results (label, seconds, outcome); logs in $work"
column -t -s $'\t' "$results" >&2
grep -h "ran .* s after ./mesokube up started\|Mesokube is up (" "$work"/up-*.log >&2 || true
grep -h "Tests run:.*Fail" "$work/test.log" 2>/dev/null | tail -n 1 >&2 || true
if [[ "$keep" == no ]]; then
  no_mounts
  rm -rf "$rootfs"
fi
exit "$status"
