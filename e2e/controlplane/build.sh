#!/usr/bin/env bash
# Builds the pinned Kubernetes control plane (kube-apiserver, kube-controller-manager,
# kube-scheduler, kubectl) and etcd from their Go modules, once, into a cache keyed by
# version and go.sum; later calls reuse it. Prints the bin directory on stdout.
#
#   e2e/controlplane/build.sh            # build if missing, print the bin dir
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

# One build at a time per cache: a second caller waits, then finds the binaries in place.
mkdir -p "$cache_root"
exec 9>"$cache_root/.controlplane-build.lock"
flock 9
if complete; then echo "$bin"; exit 0; fi

command -v go >/dev/null || { echo "build.sh: the Go toolchain is required to build the control plane (go not on PATH)" >&2; exit 2; }
mkdir -p "$bin"
log="$bin/../build.log"
: >"$log"
export GOFLAGS=-mod=mod CGO_ENABLED=0
start=$SECONDS

build() { # module-dir package output ldflags expected-version
  local t0=$SECONDS
  echo "control plane: building $3 from $2 ..." >&2
  if ! (cd "$here/$1" && go build -trimpath -ldflags "-s -w $4" -o "$bin/.$3.tmp" "$2") >>"$log" 2>&1; then
    echo "build.sh: building $3 from $2 failed; last lines of $log:" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
  # A binary that does not report the pinned version (a bad -X flag, say) would fail at every
  # start instead of here.
  local reported
  if [[ "$3" == kubectl ]]; then
    reported="$("$bin/.$3.tmp" version --client 2>&1 | head -n 1 || true)"
  else
    reported="$("$bin/.$3.tmp" --version 2>&1 | head -n 1 || true)"
  fi
  if [[ "$reported" != *"$5"* ]]; then
    rm -f "$bin/.$3.tmp"
    echo "build.sh: $3 reports '$reported', expected version $5" >&2
    exit 1
  fi
  mv -f "$bin/.$3.tmp" "$bin/$3"
  echo "control plane: built $3 in $((SECONDS - t0)) s" >&2
}

minor="${k8s_version#v1.}"; minor="${minor%%.*}"
kv=k8s.io/component-base/version
kflags="-X $kv.gitVersion=$k8s_version -X $kv.gitMajor=1 -X $kv.gitMinor=$minor -X $kv.gitTreeState=clean"
kflags="$kflags -X $kv.buildDate=1970-01-01T00:00:00Z"
for b in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
  [[ -x "$bin/$b" ]] || build kubernetes "k8s.io/kubernetes/cmd/$b" "$b" "$kflags" "$k8s_version"
done
[[ -x "$bin/etcd" ]] || build etcd go.etcd.io/etcd/server/v3 etcd "" "${etcd_version#v}"
echo "control plane: Kubernetes $k8s_version and etcd $etcd_version ready in $((SECONDS - start)) s at $bin" >&2
echo "$bin"
