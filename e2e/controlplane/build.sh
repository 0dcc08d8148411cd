#!/usr/bin/env bash
# Builds the test infrastructure from pinned Go modules, once, into caches keyed by version and
# go.sum; later calls reuse them. Prints the bin directory on stdout. Three sets:
#
#   controlplane  kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, kubelet
#                 (k8s.io/kubernetes) and etcd
#   containerd    containerd, containerd-shim-runc-v2 and ctr (github.com/containerd/containerd/v2),
#                 the test node's container runtime
#   helm          helm (helm.sh/helm/v4), for the chart's tests
#
#   e2e/controlplane/build.sh [SET]            # build if missing, print the bin dir (default:
#                                              # controlplane)
#   e2e/controlplane/build.sh --check [SET]    # exit 0 if built, 1 if not; never builds
#   MESOKUBE_CACHE=/path e2e/controlplane/build.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache_root="${MESOKUBE_CACHE:-$HOME/.cache/mesokube}"
check=0
if [[ "${1:-}" == --check ]]; then check=1; shift; fi
set_name="${1:-controlplane}"

module_version() { # module-dir module-path
  awk -v m="$2" '$1 == m { print $2; exit } $1 == "require" && $2 == m { print $3; exit }' "$here/$1/go.mod"
}
# The cache key covers the versions and every transitive pin, so editing go.mod/go.sum rebuilds.
module_sum() { # module-dir...
  local dir
  for dir; do cat "$here/$dir"/go.{mod,sum}; done | sha256sum | cut -c1-12
}

case "$set_name" in
  controlplane)
    k8s_version="$(module_version kubernetes k8s.io/kubernetes)"
    etcd_version="$(module_version etcd go.etcd.io/etcd/server/v3)"
    versions="$k8s_version $etcd_version"
    bin="$cache_root/controlplane/k8s-$k8s_version-etcd-$etcd_version-$(module_sum kubernetes etcd)/bin"
    binaries=(kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet etcd)
    ;;
  containerd)
    containerd_version="$(module_version containerd github.com/containerd/containerd/v2)"
    versions="$containerd_version"
    bin="$cache_root/containerd/containerd-$containerd_version-$(module_sum containerd)/bin"
    binaries=(containerd containerd-shim-runc-v2 ctr)
    ;;
  helm)
    helm_version="$(module_version helm helm.sh/helm/v4)"
    versions="$helm_version"
    bin="$cache_root/helm/helm-$helm_version-$(module_sum helm)/bin"
    binaries=(helm)
    ;;
  *)
    echo "build.sh: unknown set '$set_name' (controlplane, containerd or helm)" >&2
    exit 2
    ;;
esac
for v in $versions; do
  [[ "$v" == v* ]] || { echo "build.sh: cannot read the pinned versions of $set_name from go.mod" >&2; exit 2; }
done

complete() { for b in "${binaries[@]}"; do [[ -x "$bin/$b" ]] || return 1; done; }
if complete; then echo "$bin"; exit 0; fi
((check == 0)) || exit 1

# One build of a set at a time per cache: a second caller waits, then finds the binaries in place.
mkdir -p "$cache_root"
exec 9>"$cache_root/.$set_name-build.lock"
flock 9
if complete; then echo "$bin"; exit 0; fi

command -v go >/dev/null || { echo "build.sh: the Go toolchain is required to build the $set_name binaries (go not on PATH)" >&2; exit 2; }
mkdir -p "$bin"
log="$bin/../build.log"
export GOFLAGS=-mod=mod CGO_ENABLED=0
start=$SECONDS

# What a binary says its version is: each command has its own flag.
reported_version() { # binary
  case "${1##*/}" in
    kubectl) "$1" version --client 2>&1 | head -n 1 ;;
    helm) "$1" version --template '{{.Version}}' 2>&1 ;;
    containerd-shim-runc-v2) "$1" -v 2>&1 | head -n 2 | tail -n 1 ;;
    *) "$1" --version 2>&1 | head -n 1 ;;
  esac
}

# Builds Go commands of one module into $bin, then checks that each binary reports the pinned
# version: a binary that does not (a bad -X flag, say) would fail at every start instead of here.
# A module dir that builds one command names its binary (etcd's package path ends in /v3).
build() { # module-dir build-tags ldflags expected-version package...
  local dir="$1" tags="$2" ldflags="$3" version="$4" t0=$SECONDS out target names b reported
  shift 4
  out="$bin/.build-$dir"
  rm -rf "$out"
  mkdir -p "$out"
  if (($# == 1)); then target="$out/$dir" names="$dir"; else target="$out/" names="${*##*/}"; fi
  echo "$set_name: building $names ..." >&2
  # One go build for several commands compiles their shared packages once, in parallel.
  if ! (cd "$here/$dir" && go build -trimpath -tags "$tags" -ldflags "-s -w $ldflags" -o "$target" "$@") >"$log.$dir" 2>&1; then
    echo "build.sh: building $names failed; last lines of $log.$dir:" >&2
    tail -n 30 "$log.$dir" >&2
    return 1
  fi
  for b in "$out"/*; do
    reported="$(reported_version "$b" || true)"
    if [[ "$reported" != *"$version"* ]]; then
      echo "build.sh: ${b##*/} reports '$reported', expected version $version" >&2
      return 1
    fi
  done
  mv -f "$out"/* "$bin/"
  rmdir "$out"
  echo "$set_name: built $names in $((SECONDS - t0)) s" >&2
}

case "$set_name" in
  controlplane)
    minor="${k8s_version#v1.}"; minor="${minor%%.*}"
    kv=k8s.io/component-base/version
    kflags="-X $kv.gitVersion=$k8s_version -X $kv.gitMajor=1 -X $kv.gitMinor=$minor"
    kflags="$kflags -X $kv.gitTreeState=clean -X $kv.buildDate=1970-01-01T00:00:00Z"
    # etcd is a module of its own: built beside Kubernetes, so that its downloads and links overlap.
    build etcd "" "" "${etcd_version#v}" go.etcd.io/etcd/server/v3 &
    etcd_pid=$!
    k8s_ok=0
    build kubernetes "" "$kflags" "$k8s_version" \
      k8s.io/kubernetes/cmd/{kube-apiserver,kube-controller-manager,kube-scheduler,kubectl,kubelet} || k8s_ok=$?
    etcd_ok=0
    wait "$etcd_pid" || etcd_ok=$?
    ((k8s_ok == 0 && etcd_ok == 0)) || exit 1
    ;;
  containerd)
    # no_btrfs: the btrfs snapshotter needs cgo and btrfs headers; the node uses overlayfs.
    build containerd no_btrfs "-X github.com/containerd/containerd/v2/version.Version=$containerd_version" \
      "$containerd_version" github.com/containerd/containerd/v2/cmd/{containerd,containerd-shim-runc-v2,ctr} || exit 1
    ;;
  helm)
    build helm "" "-X helm.sh/helm/v4/internal/version.version=$helm_version" \
      "$helm_version" helm.sh/helm/v4/cmd/helm || exit 1
    ;;
esac
complete || { echo "build.sh: the build left binaries missing in $bin" >&2; exit 1; }
echo "$set_name: $versions ready in $((SECONDS - start)) s at $bin" >&2
echo "$bin"
