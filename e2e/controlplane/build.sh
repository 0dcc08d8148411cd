#!/usr/bin/env bash
# Builds the pinned Kubernetes control plane (kube-apiserver, kube-controller-manager,
# kube-scheduler, kubectl) and etcd from their Go modules, once, into a cache keyed by
# version and go.sum; later calls reuse it. Prints the bin directory on stdout.
#
#   e2e/controlplane/build.sh            # build if missing, print the bin dir
#   e2e/controlplane/build.sh --check    # exit 0 if built, 1 if not; never builds
#   MESOKUBE_CACHE=/path e2e/controlplane/build.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache_root="${MESOKUBE_CACHE:-$HOME/.cache/mesokube}"

module_version() { # module-dir module-path
  awk -v m="$2" '$1 == m { print $2; exit } $1 == "require" && $2 == m { print $3; exit }' "$here/$1/go.mod"
}
k8s_version="$(module_version kubernetes k8s.io/kubernetes)"
etcd_version="$(module_version etcd go.etcd.io/etcd/server/v3)"
[[ -n "$k8s_version" && -n "$etcd_version" ]] || { echo "build.sh: cannot read pinned versions from go.mod" >&2; exit 2; }

# The cache key covers the versions and every transitive pin, so editing go.mod/go.sum rebuilds.
sum="$(cat "$here"/kubernetes/go.{mod,sum} "$here"/etcd/go.{mod,sum} | sha256sum | cut -c1-12)"
bin="$cache_root/controlplane/k8s-$k8s_version-etcd-$etcd_version-$sum/bin"
binaries=(kube-apiserver kube-controller-manager kube-scheduler kubectl etcd)

complete() { for b in "${binaries[@]}"; do [[ -x "$bin/$b" ]] || return 1; done; }
if complete; then echo "$bin"; exit 0; fi
[[ "${1:-}" != --check ]] || exit 1

# One build at a time per cache: a second caller waits, then finds the binaries in place.
mkdir -p "$cache_root"
exec 9>"$cache_root/.controlplane-build.lock"
flock 9
if complete; then echo "$bin"; exit 0; fi

command -v go >/dev/null || { echo "build.sh: the Go toolchain is required to build the control plane (go not on PATH)" >&2; exit 2; }
mkdir -p "$bin"
log="$bin/../build.log"
export GOFLAGS=-mod=mod CGO_ENABLED=0
start=$SECONDS

# Builds Go commands of one module into $bin, then checks that each binary reports the pinned
# version: a binary that does not (a bad -X flag, say) would fail at every start instead of here.
# A module dir that builds one command names its binary (etcd's package path ends in /v3).
build() { # module-dir ldflags expected-version package...
  local dir="$1" ldflags="$2" version="$3" t0=$SECONDS out target names b reported
  shift 3
  out="$bin/.build-$dir"
  rm -rf "$out"
  mkdir -p "$out"
  if (($# == 1)); then target="$out/$dir" names="$dir"; else target="$out/" names="${*##*/}"; fi
  echo "control plane: building $names ..." >&2
  # One go build for several commands compiles their shared packages once, in parallel.
  if ! (cd "$here/$dir" && go build -trimpath -ldflags "-s -w $ldflags" -o "$target" "$@") >"$log.$dir" 2>&1; then
    echo "build.sh: building $names failed; last lines of $log.$dir:" >&2
    tail -n 30 "$log.$dir" >&2
    return 1
  fi
  for b in "$out"/*; do
    if [[ "${b##*/}" == kubectl ]]; then
      reported="$("$b" version --client 2>&1 | head -n 1 || true)"
    else
      reported="$("$b" --version 2>&1 | head -n 1 || true)"
    fi
    if [[ "$reported" != *"$version"* ]]; then
      echo "build.sh: ${b##*/} reports '$reported', expected version $version" >&2
      return 1
    fi
  done
  mv -f "$out"/* "$bin/"
  rmdir "$out"
  echo "control plane: built $names in $((SECONDS - t0)) s" >&2
}

minor="${k8s_version#v1.}"; minor="${minor%%.*}"
kv=k8s.io/component-base/version
kflags="-X $kv.gitVersion=$k8s_version -X $kv.gitMajor=1 -X $kv.gitMinor=$minor -X $kv.gitTreeState=clean"
kflags="$kflags -X $kv.buildDate=1970-01-01T00:00:00Z"
# etcd is a module of its own: built beside Kubernetes, so that its downloads and links overlap.
build etcd "" "${etcd_version#v}" go.etcd.io/etcd/server/v3 &
etcd_pid=$!
k8s_ok=0
build kubernetes "$kflags" "$k8s_version" \
  k8s.io/kubernetes/cmd/{kube-apiserver,kube-controller-manager,kube-scheduler,kubectl} || k8s_ok=$?
etcd_ok=0
wait "$etcd_pid" || etcd_ok=$?
((k8s_ok == 0 && etcd_ok == 0)) || exit 1
complete || { echo "build.sh: the build left binaries missing in $bin" >&2; exit 1; }
echo "control plane: Kubernetes $k8s_version and etcd $etcd_version ready in $((SECONDS - start)) s at $bin" >&2
echo "$bin"
