#!/usr/bin/env bash
# Starts a local Kubernetes control plane for Mesokube (etcd, kube-apiserver,
# kube-controller-manager, optionally kube-scheduler; real processes on 127.0.0.1, no Docker)
# and keeps it up until Ctrl-C, which stops it cleanly.
#
#   e2e/controlplane/run.sh [--crds DIR] [--scheduler] [--node] [--keep-work-dir]
#
# --node adds a node on this machine: containerd and a kubelet (root only; one per machine).
#   MESOKUBE_JAVA_OPTS="-Dmesokube.controlplane.startTimeoutSeconds=300" e2e/controlplane/run.sh
#
# Steps: build.sh builds the binaries once (cached) and prints their directory; this module is
# compiled with its runtime dependencies copied to target/lib when a source or POM changed; then
# ControlPlaneMain runs on the JDK that ./mvnw selects, read from `./mvnw -v` ("Java version:
# 25..., runtime: /path") so that the JDK choice stays in one place (mvnw).
set -euo pipefail

started_ms="$(date +%s%3N)"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

t0=$SECONDS
bin="$("$here/build.sh")"
echo "run.sh: control-plane binaries ready in $((SECONDS - t0)) s ($bin)" >&2

stamp="$here/target/lib/.run.sh-stamp"
# MESOKUBE_PREBUILT=1: the caller built this module (./mesokube's tests, inside the Maven build).
if [[ "${MESOKUBE_PREBUILT:-}" == 1 && -d "$here/target/lib" ]]; then
  :
elif [[ ! -f "$stamp" ]] ||
  [[ -n "$(find "$here/src" "$here/pom.xml" "$here/../pom.xml" "$root/pom.xml" -newer "$stamp" -print -quit)" ]]; then
  t0=$SECONDS
  echo "run.sh: building e2e/controlplane ..." >&2
  "$root/mvnw" -q -B -f "$here/pom.xml" package -DskipTests
  touch "$stamp"
  echo "run.sh: built e2e/controlplane in $((SECONDS - t0)) s" >&2
fi

java_home="$("$root/mvnw" -v | sed -n 's/^Java version: .*, runtime: //p')"
[[ -n "$java_home" && -x "$java_home/bin/java" ]] || { echo "run.sh: cannot find the JDK that ./mvnw uses" >&2; exit 1; }

# exec: Ctrl-C and SIGTERM reach the JVM, whose shutdown hook stops the components in order.
# Netty (under Fabric8) still uses sun.misc.Unsafe; allow it quietly on JDK 25.
# shellcheck disable=SC2086 # MESOKUBE_JAVA_OPTS is a list of options
exec "$java_home/bin/java" --sun-misc-unsafe-memory-access=allow ${MESOKUBE_JAVA_OPTS:-} \
  -Dmesokube.controlplane.bin="$bin" \
  -Dmesokube.run.startedAtMillis="$started_ms" \
  -cp "$here/target/classes:$here/target/lib/*" \
  io.mesokube.e2e.controlplane.ControlPlaneMain "$@"
