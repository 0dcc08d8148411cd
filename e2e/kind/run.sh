#!/usr/bin/env bash
# Mesokube on a Kind cluster, for hosts with Docker (and kind and kubectl on PATH; mmdebstrap and
# root, or sudo, for the agent's base image): builds the agent's base image and the operator and
# agent images with Jib into the local Docker daemon, creates the cluster, loads the
# images, installs the CRDs, RBAC, operator and agents, and runs a task.
#
#   e2e/kind/run.sh          create (or reuse) the cluster "mesokube" and install
#   e2e/kind/run.sh delete   delete the cluster
#
# Not run in this project's CI: its machines have no Docker engine. The same pieces are tested
# there as local processes (./mvnw verify, e2e/suite).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cluster="${MESOKUBE_KIND_CLUSTER:-mesokube}"
version=0.1.0-SNAPSHOT
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

say "installing CRDs, RBAC, the operator and the agents"
kubectl apply --server-side -f "$root/crds/yaml"
kubectl wait --for=condition=Established crd --all --timeout=60s
kubectl apply -f "$root/deploy/rbac"
kubectl apply -f "$root/deploy/kubernetes"
kubectl -n mesokube-system rollout status deployment/mesokube-operator --timeout=180s
kubectl -n mesokube-system rollout status daemonset/mesokube-agent --timeout=180s

say "running a task"
kubectl apply -f "$root/deploy/examples/rolepolicies.yaml"
kubectl apply -f "$root/deploy/examples/framework-managed.yaml" -f "$root/deploy/examples/task-argv.yaml"
kubectl wait --for=jsonpath='{.status.state}'=TASK_FINISHED task/hello-once --timeout=120s
kubectl get mesokube -o wide
