#!/usr/bin/env bash
# What this machine needs from Debian to run Mesokube locally (`run`) or to run its tests (`test`).
# As root, installs what is missing with apt-get; otherwise stops at once and names the one
# command that installs it. Quiet when nothing is missing. Used by `./mesokube up` and
# `./mesokube test` (and so by CI): one list, not one per caller.
#
#   e2e/deps.sh run|test
#
# Not from Debian, and checked here with a message: Go 1.26 (builds the control plane from its Go
# modules; Debian 12's is too old) and a JDK 25 (./mvnw finds it under /usr/lib/jvm or through
# MESOKUBE_JAVA_HOME).
set -euo pipefail

profile="${1:-}"
[[ "$profile" == run || "$profile" == test ]] || { echo "usage: e2e/deps.sh run|test" >&2; exit 2; }
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

missing=()
need() { # command debian-package
  command -v "$1" >/dev/null 2>&1 || [[ " ${missing[*]} " == *" $2 "* ]] || missing+=("$2")
}

# ./mvnw resolves its pinned Maven as an artifact, through any Maven on PATH, once.
maven_version="$(sed -n 's/^maven.version=//p' "$root/.mvn/wrapper.properties")"
[[ -x "$HOME/.m2/wrapper/dists/apache-maven-$maven_version/bin/mvn" ]] || need mvn maven
# setsid and flock for the process harness and build locks; setpriv for the agents' user switch.
need setsid util-linux
need flock util-linux
need setpriv util-linux
# Container tasks: the OCI runtime, image pull and unpack; `up` starts a local registry
# (the CNCF distribution registry) with a sample image built from Debian's static busybox.
need crun crun
need skopeo skopeo
need umoci umoci
need docker-registry docker-registry
if ! { [[ -x /bin/busybox ]] && ! ldd /bin/busybox >/dev/null 2>&1; }; then
  missing+=(busybox-static)
fi
if [[ "$profile" == test ]]; then
  # runc, the alternative runtime; htpasswd (bcrypt) for the registry's auth tests; mmdebstrap
  # for the agent's base image, and objcopy (binutils), which jlink's --strip-debug runs.
  need runc runc
  need htpasswd apache2-utils
  need mmdebstrap mmdebstrap
  need objcopy binutils
  # The test node (kubelet and containerd built from source): runc for containerd, the CNI
  # plugins for the pod network, ip for the node's bridge.
  [[ -x /usr/lib/cni/bridge ]] || missing+=(containernetworking-plugins)
  need ip iproute2
fi

if ((${#missing[@]})); then
  if [[ $EUID -ne 0 ]]; then
    echo "mesokube: missing Debian packages; install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  echo "==> installing Debian packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
elif [[ "$profile" == test && $EUID -eq 0 ]] && ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
  # The agent's base image takes its Debian mirrors from what apt knows: it needs package lists.
  echo "==> apt-get update (no package lists)" >&2
  apt-get update -qq
fi

if ! command -v go >/dev/null 2>&1; then
  echo "mesokube: the Go toolchain (1.26 or newer) is needed to build the control plane: put its bin" \
    "directory on PATH" >&2
  exit 1
fi
# ./mvnw names the JDK it needs when it finds none.
"$root/mvnw" -q -v >/dev/null
