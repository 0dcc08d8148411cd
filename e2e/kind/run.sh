#!/usr/bin/env bash
# Mesokube on a Kind cluster, for hosts with Docker (and kind and kubectl on PATH; mmdebstrap and
# root, or sudo, for the agent's base image): builds the agent's base image and the operator and
# agent images with Jib into the local Docker daemon, creates the cluster, loads the
# images, installs the chart (charts/mesokube: CRDs, RBAC, operator and agents), and runs a task.
# helm is the one on PATH, else built from its Go module (e2e/controlplane/build.sh helm).
#
#   e2e/kind/run.sh          create (or reuse) the cluster "mesokube" and install
#   e2e/kind/run.sh delete   delete the cluster
#
# Not run in this project's CI: its machines have no Docker engine. The same pieces are tested
# there as local processes (./mvnw verify, e2e/suite).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cluster="${MESOKUBE_KIND_CLUSTER:-mesokube}"
# The chart's appVersion, which its default image tags are (ChartE2EIT keeps it the project's).
version="$(awk -F'"' '$1 == "appVersion: " { print $2 }' "$root/charts/mesokube/Chart.yaml")"
say() { printf '==> %s\n' "$*" >&2; }

if [[ "${1:-}" == delete ]]; then
  kind delete cluster --name "$cluster"
  exit
fi
for tool in docker kind kubectl mmdebstrap skopeo umoci; do
  command -v "$tool" >/dev/null || { echo "e2e/kind/run.sh: $tool is required" >&2; exit 1; }
done

# The agent's base (Debian with crun, runc, skopeo, umoci, util-linux and a jlinked Java 25) is
# built without Docker and copied into the Docker daemon, where the agent's Jib build finds it
# (quarkus.jib.base-jvm-image=docker://mesokube/agent-base:bookworm-jre25). Needs root and
# mmdebstrap; cached under ~/.cache/mesokube, so a re-run only copies it.
say "building the agent's base image (mmdebstrap, jlink, umoci)"
if [[ "$(id -u)" == 0 ]]; then
  "$root/agent-daemonset/src/main/image/build-base.sh" docker-daemon:mesokube/agent-base:bookworm-jre25
else
  sudo "$root/agent-daemonset/src/main/image/build-base.sh" docker-daemon:mesokube/agent-base:bookworm-jre25
fi

say "building the images (Jib, into the local Docker daemon)"
"$root/mvnw" -q -B -pl operator/core,agent-daemonset -am package -DskipTests \
  -Dquarkus.container-image.build=true -Dquarkus.container-image.tag="$version"

if ! kind get clusters | grep -qx "$cluster"; then
  say "creating the Kind cluster $cluster"
  kind create cluster --name "$cluster" --wait 120s
fi
kubectl config use-context "kind-$cluster" >/dev/null

say "loading the images"
kind load docker-image --name "$cluster" "mesokube/operator:$version" "mesokube/agent:$version"

say "installing the chart: CRDs, RBAC, the operator and the agents"
helm="$(command -v helm || echo "$("$root/e2e/controlplane/build.sh" helm)/helm")"
# The images are in the nodes' runtime (kind load), tagged with the chart's appVersion.
"$helm" upgrade --install mesokube "$root/charts/mesokube" \
  --namespace mesokube-system --create-namespace \
  --set operator.image.pullPolicy=Never --set agent.image.pullPolicy=Never \
  --wait --timeout 5m

say "running a task"
kubectl apply -f "$root/deploy/examples/rolepolicies.yaml"
kubectl apply -f "$root/deploy/examples/framework-managed.yaml" -f "$root/deploy/examples/task-argv.yaml"
kubectl wait --for=jsonpath='{.status.state}'=TASK_FINISHED task/hello-once --timeout=120s
kubectl get mesokube -o wide
